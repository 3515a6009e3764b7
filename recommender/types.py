"""Values in and out of the recommender (DESIGN.md: WeekPlan, Profile). Plain, frozen, picklable."""

from __future__ import annotations

from dataclasses import asdict, dataclass, field
from datetime import date
from typing import Any, Literal

WEEKDAYS = ("monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday")
Weekday = Literal["monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday"]
Strategy = Literal["separate", "stack"]
Phase = Literal["base", "build", "peak", "pre_taper", "race_week", "post_race"]
SessionKind = Literal["heavy_legs", "light", "activation"]
Focus = Literal[
    "single_leg", "anti_rotation", "squat", "back", "plyometrics", "strength_endurance", "balance"
]

# Columns of the activity frame the recommender reads (one row per activity, duplicates removed
# by the caller; a `duplicate_of` column, if present, is honoured too):
ACTIVITY_COLUMNS = (
    "start",  # tz-aware UTC timestamp
    "local_date",  # datetime.date in the athlete's / file's local time
    "sport",  # run | trail_run | treadmill | hike | walk | ride | other
    "duration_s",
    "moving_s",
    "distance_m",
    "ascent_m",
    "descent_m",
    "descent_load_m",  # D−_eff, RULES.md §2.8
    "km_effort",
    "trimp",  # NaN / None when no HR
    "avg_hr",
    "max_hr",
)


@dataclass(frozen=True)
class Race:
    date: date
    name: str = "race"
    distance_km: float = 0.0
    ascent_m: float = 0.0
    descent_m: float | None = None  # defaults to ascent_m (a loop) where unknown
    priority: Literal["A", "B", "C"] = "A"

    @property
    def km_effort(self) -> float:
        return self.distance_km + self.ascent_m / 100.0


@dataclass(frozen=True)
class Profile:
    name: str = "athlete"
    timezone: str = "UTC"
    week_start: Literal["monday", "saturday", "sunday"] = "monday"
    strategy: Strategy = "separate"
    strength_days: tuple[Weekday, ...] = WEEKDAYS  # type: ignore[assignment]
    long_run_day: Weekday | None = None
    hard_days: tuple[Weekday, ...] | None = None
    sex: Literal["male", "female"] | None = None
    hr_rest: float | None = None
    hr_max: float | None = None
    lifting_experience: Literal["novice", "trained"] = "novice"
    races: tuple[Race, ...] = ()


@dataclass(frozen=True)
class StrengthSet:
    reps: int
    load_kg: float | None = None
    rpe: float | None = None


@dataclass(frozen=True)
class StrengthEntry:
    date: date
    exercise: str  # catalogue id, e.g. "back_squat"
    sets: tuple[StrengthSet, ...]


@dataclass(frozen=True)
class Checkin:
    date: date
    sleep_hours: float | None = None
    soreness: float | None = None  # 0–10
    note: str | None = None


@dataclass(frozen=True)
class ExerciseRx:
    id: str
    name: str
    focus: Focus
    sets: int
    reps: int | None = None
    seconds: int | None = None
    load_kg: float | None = None
    percent_1rm: float | None = None
    rpe: float | None = None
    tempo: str | None = None  # e.g. "3-1-1-0" (eccentric-pause-concentric-pause, seconds)
    rest_s: int | None = None
    foot_contacts: int = 0
    note: str | None = None


@dataclass(frozen=True)
class Session:
    date: date
    weekday: Weekday
    kind: SessionKind
    exercises: tuple[ExerciseRx, ...]
    foot_contacts: int = 0
    note: str | None = None  # e.g. "after the run, ≥ 6 h later"


@dataclass(frozen=True)
class Totals:
    sets: int
    heavy_sets: int
    foot_contacts: int
    change_vs_last_week_pct: float | None


@dataclass(frozen=True)
class PlanInputs:
    weekly_distance_km: float
    weekly_ascent_m: float
    weekly_descent_m: float
    descent_load_m: float
    acwr: float | None
    acwr_method: str
    long_run_day: Weekday | None
    hard_days: tuple[Weekday, ...]
    days_to_next_race: int | None
    novel_descent_dates: tuple[date, ...]
    extra: dict[str, Any] = field(default_factory=dict)  # ctl, atl, tsb, monotony, sleep_7d, ...


@dataclass(frozen=True)
class RationaleEntry:
    rule: str  # "S3", "L2", ...
    text: str


@dataclass(frozen=True)
class WeekPlan:
    week_start: date
    as_of: date
    phase: Phase
    heavy_leg_day: date | None
    sessions: tuple[Session, ...]
    totals: Totals
    inputs: PlanInputs
    rationale: tuple[RationaleEntry, ...]

    def to_dict(self) -> dict[str, Any]:
        """JSON-ready: dates as ISO strings, tuples as lists."""
        return _jsonable(asdict(self))


def _jsonable(value: Any) -> Any:
    if isinstance(value, dict):
        return {k: _jsonable(v) for k, v in value.items()}
    if isinstance(value, list | tuple):
        return [_jsonable(v) for v in value]
    if isinstance(value, date):
        return value.isoformat()
    return value
