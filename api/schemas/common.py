"""Field types every resource shares: weekdays, names, time zones, dates, strict numbers; errors."""

from __future__ import annotations

import datetime as dt
import re
from typing import Annotated, Any, Literal, get_args
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from pydantic import (
    AfterValidator,
    BaseModel,
    BeforeValidator,
    ConfigDict,
    Field,
    Strict,
    StringConstraints,
)

from api.plain_text import code_point, refused_in_name, refused_in_note

Weekday = Literal["monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday"]
WeekStart = Literal["monday", "saturday", "sunday"]
Strategy = Literal["separate", "stack"]
Sex = Literal["male", "female"]
Experience = Literal["novice", "trained"]
WEEKDAYS: tuple[Weekday, ...] = get_args(Weekday)
Sport = Literal["run", "trail_run", "treadmill", "hike", "walk", "ride", "other"]


def plain_text(value: str) -> str:
    """A name or label: no control characters (NUL, tab, line breaks, escape, …) and no
    invisible format or layout characters (``api.plain_text``: the command line's rule too)."""
    found = refused_in_name(value)
    if found is not None:
        raise ValueError(f"must not contain control characters (found {code_point(found)})")
    return value


def note_text(value: str) -> str:
    """Free text: line breaks (``\\n``, ``\\r\\n`` kept as ``\\n``) and tabs; no other control."""
    value = value.replace("\r\n", "\n")
    found = refused_in_note(value)
    if found is not None:
        raise ValueError(
            "must not contain control characters other than line breaks and tabs "
            f"(found {code_point(found)})"
        )
    return value


Name = Annotated[
    str,
    StringConstraints(strip_whitespace=True, min_length=1, max_length=100),
    AfterValidator(plain_text),
]
Note = Annotated[str, Field(max_length=2000), AfterValidator(note_text)]
Timezone = Annotated[str, Field(min_length=1, max_length=64, examples=["Europe/Zurich"])]
HeartRate = Annotated[float, Strict(), Field(gt=20, lt=260)]
Day = dt.date
ISO_DATE = re.compile(r"\d{4}-\d{2}-\d{2}")


def _iso_date_only(value: Any) -> Any:
    """Dates arrive as ``YYYY-MM-DD`` text: not as epoch numbers or datetimes."""
    if isinstance(value, dt.date) and not isinstance(value, dt.datetime):
        return value
    if isinstance(value, str) and ISO_DATE.fullmatch(value):
        return value
    raise ValueError("expected a date as YYYY-MM-DD")


# Input dates far outside any training history are refused (422) rather than overflowing later.
InDay = Annotated[
    dt.date,
    BeforeValidator(_iso_date_only),
    Field(ge=dt.date(1900, 1, 1), le=dt.date(2199, 12, 31)),
]
# Input numbers are JSON numbers: no booleans or numeric strings.
Num = Annotated[float, Strict()]
Int = Annotated[int, Strict()]
Bool = Annotated[bool, Strict()]
QueryDate = InDay


def valid_timezone(value: str | None) -> str | None:
    if value is None:
        return None
    try:
        ZoneInfo(value)
    except (ZoneInfoNotFoundError, ValueError, OSError):  # "Europe" is a directory
        raise ValueError(f"unknown IANA time zone {value!r}") from None
    return value


class Body(BaseModel):
    """A request body, or a part of one: a field the API does not know is a 422 naming it (a
    ``"weight"`` sent for ``"load_kg"`` must not be dropped in silence)."""

    model_config = ConfigDict(extra="forbid")


class Error(BaseModel):
    detail: str


class Health(BaseModel):
    status: Literal["ok"] = "ok"
