"""Field types every resource shares: weekdays, names, time zones, dates, strict numbers; errors."""

from __future__ import annotations

import datetime as dt
import re
import unicodedata
from typing import Annotated, Any, Literal, get_args
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from pydantic import (
    AfterValidator,
    BaseModel,
    BeforeValidator,
    Field,
    Strict,
    StringConstraints,
)

Weekday = Literal["monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday"]
WeekStart = Literal["monday", "saturday", "sunday"]
Strategy = Literal["separate", "stack"]
Sex = Literal["male", "female"]
Experience = Literal["novice", "trained"]
WEEKDAYS: tuple[Weekday, ...] = get_args(Weekday)
Sport = Literal["run", "trail_run", "treadmill", "hike", "walk", "ride", "other"]
# Direction overrides/isolates and line/paragraph separators: invisible, and they reorder or
# break the lines a name is shown in (terminal, calendar, dashboard).
_LAYOUT = frozenset("\u202a\u202b\u202c\u202d\u202e\u2066\u2067\u2068\u2069\u2028\u2029")


def _refused(text: str, allowed: str = "") -> str | None:
    for ch in text:
        if ch not in allowed and (unicodedata.category(ch) == "Cc" or ch in _LAYOUT):
            return f"U+{ord(ch):04X}"
    return None


def plain_text(value: str) -> str:
    """A name or label: no control characters (NUL, tab, line breaks, escape, …) and no
    invisible layout controls."""
    found = _refused(value)
    if found is not None:
        raise ValueError(f"must not contain control characters (found {found})")
    return value


def note_text(value: str) -> str:
    """Free text: line breaks (``\\n``, ``\\r\\n`` kept as ``\\n``) and tabs; no other control."""
    value = value.replace("\r\n", "\n")
    found = _refused(value, allowed="\n\t")
    if found is not None:
        raise ValueError(
            f"must not contain control characters other than line breaks and tabs (found {found})"
        )
    return value


Name = Annotated[
    str,
    StringConstraints(strip_whitespace=True, min_length=1, max_length=100),
    AfterValidator(plain_text),
]
Label = Annotated[str, Field(min_length=1, max_length=100), AfterValidator(plain_text)]
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
QueryDate = InDay


def valid_timezone(value: str | None) -> str | None:
    if value is None:
        return None
    try:
        ZoneInfo(value)
    except (ZoneInfoNotFoundError, ValueError, OSError):  # "Europe" is a directory
        raise ValueError(f"unknown IANA time zone {value!r}") from None
    return value


class Error(BaseModel):
    detail: str


class Health(BaseModel):
    status: Literal["ok"] = "ok"
