"""Athletes and the profile (``POST /v1/athletes``, ``GET``/``PATCH /v1/me``)."""

from __future__ import annotations

from datetime import datetime
from typing import Annotated, Any, Literal

from pydantic import AfterValidator, BaseModel, Field, field_validator
from pydantic.json_schema import SkipJsonSchema

from api.schemas.common import (
    WEEKDAYS,
    Body,
    Experience,
    HeartRate,
    InDay,
    Name,
    Num,
    Sex,
    Strategy,
    Timezone,
    Weekday,
    WeekStart,
    plain_text,
    valid_timezone,
)

EquipmentItem = Literal["barbell", "dumbbells", "kettlebell", "box", "bands", "pullup_bar"]
Units = Literal["metric", "imperial"]
DEFAULT_EQUIPMENT: list[EquipmentItem] = ["barbell", "dumbbells", "box"]
EQUIPMENT_HELP = (
    "What the athlete lifts with: any of barbell, dumbbells, kettlebell, box, bands, pullup_bar; "
    "[] = bodyweight only. Every prescribed exercise is doable with it."
)
UNITS_HELP = (
    "How loads are shown: metric (kg, 2.5-kg plates) or imperial (loads rounded to 5 lb, "
    "dumbbells to real pairs); every exercise with a load carries both load_kg and load_lb."
)


def _unique(value: list[str]) -> list[str]:
    return list(dict.fromkeys(value))


class Race(Body):
    date: InDay
    name: Annotated[str, Field(max_length=200)] = "race"
    distance_km: Annotated[Num, Field(ge=0, le=1000)] = 0.0
    ascent_m: Annotated[Num, Field(ge=0, le=50000)] = 0.0
    descent_m: Annotated[Num, Field(ge=0, le=50000)] | None = Field(
        None, description="The course's descent (default: its ascent, a loop)"
    )
    priority: Literal["A", "B", "C"] = "A"


class RaceIn(Race):
    """A race as the athlete sends it: its name without control characters."""

    name: Annotated[str, Field(max_length=200), AfterValidator(plain_text)] = "race"


class AthleteCreate(Body):
    name: Name
    timezone: Timezone = "UTC"
    week_start: WeekStart = "monday"

    _tz = field_validator("timezone")(valid_timezone)


class AthleteCreated(BaseModel):
    id: int
    name: str
    token: str = Field(description="The athlete's bearer token. Shown once; stored hashed.")


class Profile(BaseModel):
    name: str
    timezone: str = "UTC"
    week_start: WeekStart = "monday"
    strategy: Strategy = "separate"
    strength_days: list[Weekday] = Field(default_factory=lambda: list(WEEKDAYS))
    long_run_day: Weekday | None = None
    hard_days: list[Weekday] | None = None
    sex: Sex | None = None
    hr_rest: float | None = None
    hr_max: float | None = None
    lifting_experience: Experience = "novice"
    races: list[Race] = Field(default_factory=list)
    equipment: list[EquipmentItem] = Field(
        default_factory=lambda: list(DEFAULT_EQUIPMENT), description=EQUIPMENT_HELP
    )
    units: Units = Field("metric", description=UNITS_HELP)


class ProfileOut(Profile):
    id: int
    calendar_url: str = Field(description="The secret calendar feed (ICS) URL of this athlete.")
    recomputing: bool = Field(
        False,
        description="A change of the time zone or heart-rate figures is still being applied to "
        "the stored activities (local dates, weekly totals, TRIMP): until it is, the answers that "
        "depend on them keep the old figures and carry the header `Legday-Recomputing: true`.",
    )
    recompute_pending: int = Field(0, description="Activities still to recompute")
    calendar_url_reissued_at: datetime | None = Field(
        None,
        description="When the server gave this athlete a new calendar URL of its own accord "
        "(migration 0009 retired the first, bare form): a calendar subscribed before must be "
        "subscribed again with `calendar_url`. Null: never.",
    )


NOT_NULL = ("name", "timezone", "week_start", "strategy", "strength_days", "lifting_experience",
            "races", "equipment", "units")  # fmt: skip


class ProfilePatch(Body):
    """Any subset of the profile. ``null`` clears the nullable fields (inferred / unknown again)."""

    name: Name | SkipJsonSchema[None] = None
    timezone: Timezone | SkipJsonSchema[None] = None
    week_start: WeekStart | SkipJsonSchema[None] = None
    strategy: Strategy | SkipJsonSchema[None] = None
    strength_days: Annotated[list[Weekday], Field(max_length=7)] | SkipJsonSchema[None] = None
    long_run_day: Weekday | None = None
    hard_days: Annotated[list[Weekday], Field(max_length=7)] | None = None
    sex: Sex | None = None
    hr_rest: HeartRate | None = None
    hr_max: HeartRate | None = None
    lifting_experience: Experience | SkipJsonSchema[None] = None
    races: Annotated[list[RaceIn], Field(max_length=50)] | SkipJsonSchema[None] = None
    equipment: (
        Annotated[list[EquipmentItem], Field(max_length=6), AfterValidator(_unique)]
        | SkipJsonSchema[None]
    ) = Field(None, description=EQUIPMENT_HELP)
    units: Units | SkipJsonSchema[None] = Field(None, description=UNITS_HELP)

    @field_validator(*NOT_NULL)
    @classmethod
    def _not_null(cls, value: Any) -> Any:
        if value is None:
            raise ValueError("may not be null")
        return value

    _tz = field_validator("timezone")(valid_timezone)

    def changes(self) -> dict[str, Any]:
        """The fields the client sent, JSON-ready (dates as ISO strings)."""
        return self.model_dump(mode="json", exclude_unset=True)
