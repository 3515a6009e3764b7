"""Request and response bodies of API v1, exactly as DESIGN.md "API v1" names them."""

from __future__ import annotations

import datetime as dt
import re
from typing import Annotated, Any, Literal, get_args
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from pydantic import BaseModel, BeforeValidator, ConfigDict, Field, Strict, field_validator
from pydantic.json_schema import SkipJsonSchema

from api.plans import WEEK_ACWR_METHOD

Weekday = Literal["monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday"]
WeekStart = Literal["monday", "saturday", "sunday"]
Strategy = Literal["separate", "stack"]
Sex = Literal["male", "female"]
Experience = Literal["novice", "trained"]
WEEKDAYS: tuple[Weekday, ...] = get_args(Weekday)
Sport = Literal["run", "trail_run", "treadmill", "hike", "walk", "ride", "other"]
Name = Annotated[str, Field(min_length=1, max_length=100)]
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


def _valid_timezone(value: str | None) -> str | None:
    if value is None:
        return None
    try:
        ZoneInfo(value)
    except (ZoneInfoNotFoundError, ValueError) as exc:
        raise ValueError(f"unknown IANA time zone {value!r}") from exc
    return value


class Error(BaseModel):
    detail: str


class Health(BaseModel):
    status: Literal["ok"] = "ok"


# --- athletes and the profile ------------------------------------------------------------------


class Race(BaseModel):
    date: InDay
    name: Annotated[str, Field(max_length=200)] = "race"
    distance_km: Annotated[Num, Field(ge=0, le=1000)] = 0.0
    ascent_m: Annotated[Num, Field(ge=0, le=50000)] = 0.0
    priority: Literal["A", "B", "C"] = "A"


class AthleteCreate(BaseModel):
    model_config = ConfigDict(extra="forbid")
    name: Name
    timezone: Timezone = "UTC"
    week_start: WeekStart = "monday"

    _tz = field_validator("timezone")(_valid_timezone)


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


class ProfileOut(Profile):
    id: int
    calendar_url: str = Field(description="The secret calendar feed (ICS) URL of this athlete.")


NOT_NULL = ("name", "timezone", "week_start", "strategy", "strength_days", "lifting_experience",
            "races")  # fmt: skip


class ProfilePatch(BaseModel):
    """Any subset of the profile. ``null`` clears the nullable fields (inferred / unknown again)."""

    model_config = ConfigDict(extra="forbid")
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
    races: Annotated[list[Race], Field(max_length=50)] | SkipJsonSchema[None] = None

    @field_validator(*NOT_NULL)
    @classmethod
    def _not_null(cls, value: Any) -> Any:
        if value is None:
            raise ValueError("may not be null")
        return value

    _tz = field_validator("timezone")(_valid_timezone)

    def changes(self) -> dict[str, Any]:
        """The fields the client sent, JSON-ready (dates as ISO strings)."""
        return self.model_dump(mode="json", exclude_unset=True)


# --- activities ----------------------------------------------------------------------------------


class ActivitySummary(BaseModel):
    id: int
    start: dt.datetime = Field(description="UTC, ISO 8601")
    local_date: Day
    utc_offset_s: int
    sport: Sport
    duration_s: float
    moving_s: float
    distance_m: float
    ascent_m: float
    descent_m: float
    elevation_source: Literal["device", "recomputed"]
    elevation_note: str | None = Field(None, description="Why that elevation source is reported")
    ascent_recomputed_m: float
    descent_recomputed_m: float
    ascent_device_m: float | None = None
    descent_device_m: float | None = None
    descent_by_grade_m: dict[str, float] = Field(
        description='Descent metres by grade bin: {"0-5", "5-10", "10-20", "20+"}'
    )
    descent_load_m: float
    km_effort: float
    trimp: float | None = None
    avg_hr: float | None = None
    max_hr: float | None = None
    device: str | None = None
    format: str
    sha256: str
    file_name: str | None = None
    duplicate_of: int | None = None


class ActivityList(BaseModel):
    activities: list[ActivitySummary]


class Week(BaseModel):
    week_start: Day
    distance_km: float
    ascent_m: float
    descent_m: float
    descent_load_m: float
    km_effort: float
    load: float
    long_run_km: float
    runs: int
    acwr: float | None = Field(
        description="ACWR at the start of the week's first day (load up to the day before), "
        "the number the week's plan uses; null before 28 days of history"
    )
    acwr_method: str = WEEK_ACWR_METHOD


class WeekList(BaseModel):
    weeks: list[Week]


# --- the plan -----------------------------------------------------------------------------------

Focus = Literal[
    "single_leg", "anti_rotation", "squat", "back", "plyometrics", "strength_endurance", "balance"
]


class Exercise(BaseModel):
    id: str | None = None
    name: str
    focus: Focus
    sets: int
    reps: int | None = None
    seconds: int | None = None
    load_kg: float | None = None
    percent_1rm: float | None = None
    rpe: float | None = None
    tempo: str | None = None
    rest_s: int | None = None
    foot_contacts: int = 0
    note: str | None = None


class PlanSession(BaseModel):
    date: Day
    weekday: Weekday
    kind: Literal["heavy_legs", "light", "activation"]
    exercises: list[Exercise]
    foot_contacts: int = 0
    note: str | None = None
    done: bool = Field(
        False, description="Already logged this week before as_of (from the strength log)"
    )


class PlanTotals(BaseModel):
    sets: int
    heavy_sets: int
    foot_contacts: int
    change_vs_last_week_pct: float | None


class PlanInputs(BaseModel):
    weekly_distance_km: float
    weekly_ascent_m: float
    weekly_descent_m: float
    descent_load_m: float
    acwr: float | None
    acwr_method: str
    long_run_day: Weekday | None
    hard_days: list[Weekday]
    days_to_next_race: int | None
    novel_descent_dates: list[Day]
    extra: dict[str, Any] = Field(default_factory=dict)


class RationaleLine(BaseModel):
    rule: str
    text: str


class WeekPlan(BaseModel):
    week_start: Day
    as_of: Day
    phase: Literal["base", "build", "peak", "pre_taper", "race_week", "post_race"]
    heavy_leg_day: Day | None
    sessions: list[PlanSession]
    totals: PlanTotals
    inputs: PlanInputs
    rationale: list[RationaleLine]


# --- strength log and check-ins -----------------------------------------------------------------


class StrengthSet(BaseModel):
    reps: Annotated[Int, Field(ge=0, le=1000)]
    load_kg: Annotated[Num, Field(ge=0, le=1000)] | None = None
    rpe: Annotated[Num, Field(ge=0, le=10)] | None = None


class StrengthEntryIn(BaseModel):
    model_config = ConfigDict(extra="forbid")
    date: InDay
    exercise: Annotated[str, Field(min_length=1, max_length=100)]
    sets: Annotated[list[StrengthSet], Field(min_length=1, max_length=50)]


class StrengthEntry(StrengthEntryIn):
    id: int


class StrengthLog(BaseModel):
    entries: list[StrengthEntry]


class CheckinIn(BaseModel):
    model_config = ConfigDict(extra="forbid")
    date: InDay
    sleep_hours: Annotated[Num, Field(ge=0, le=24)] | None = None
    soreness: Annotated[Num, Field(ge=0, le=10)] | None = None
    note: Annotated[str, Field(max_length=2000)] | None = None


class Checkin(CheckinIn):
    id: int


class CheckinList(BaseModel):
    checkins: list[Checkin]


# --- folder sync --------------------------------------------------------------------------------


class SyncCounts(BaseModel):
    model_config = ConfigDict(extra="allow")  # also skipped, pending
    seen: int = 0
    ingested: int = 0
    duplicate: int = 0
    failed: int = 0


class SyncRun(BaseModel):
    model_config = ConfigDict(extra="allow")  # the run's own counts
    started_at: dt.datetime | None = None
    finished_at: dt.datetime | None = None
    status: str
    error: str | None = None


class SyncFailure(BaseModel):
    folder: str
    file: str
    reason: str | None
    at: dt.datetime | None = None


class SyncFolder(BaseModel):
    path: str
    counts: SyncCounts
    last_run: SyncRun | None = None


class SyncStatus(BaseModel):
    folders: list[SyncFolder]
    counts: SyncCounts = Field(default_factory=SyncCounts)
    failures: list[SyncFailure] = Field(default_factory=list)
    last_run: SyncRun | None = None


class SyncStarted(BaseModel):
    status: Literal["started"] = "started"
    folders: list[str] = Field(description="The folders a run was started for")
