"""Values in and out of the recommender (DESIGN.md: WeekPlan, Profile). Plain, frozen, picklable."""

from __future__ import annotations

from dataclasses import asdict, dataclass, field
from datetime import date
from typing import Any, Literal

WEEKDAYS = ("monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday")
Weekday = Literal["monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday"]
Strategy = Literal["separate", "stack"]
EQUIPMENT = ("barbell", "dumbbells", "kettlebell", "box", "bands", "pullup_bar")
DEFAULT_EQUIPMENT = ("barbell", "dumbbells", "box")
UNITS = ("metric", "imperial")
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
    equipment: tuple[str, ...] = DEFAULT_EQUIPMENT  # any of EQUIPMENT; () = bodyweight only
    units: Literal["metric", "imperial"] = "metric"


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
    load_lb: float | None = None  # imperial profiles: the load rounded to 5 lb / a dumbbell pair


@dataclass(frozen=True)
class Session:
    date: date
    weekday: Weekday
    kind: SessionKind
    exercises: tuple[ExerciseRx, ...]
    foot_contacts: int = 0
    note: str | None = None  # e.g. "after the run, ≥ 6 h later"
    done: bool = False  # logged before as_of (from the strength log), not planned
    duration_min: int | None = None  # estimated (recommender.duration), None for a logged session


@dataclass(frozen=True)
class Totals:
    sets: int
    heavy_sets: int
    foot_contacts: int
    change_vs_last_week_pct: float | None
    volume: float | None = None  # hard-set equivalents (recommender.volume): sets by intensity


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


# --- The seam between the schedule (which day) and the dose (how much) ---


@dataclass(frozen=True)
class PhaseInfo:
    """Season phase (RULES.md §6, P1–P6) for one planned week."""

    phase: Phase
    next_race: Race | None = None  # the nearest race of any priority (S3, P6, B/C mini-taper)
    days_to_next_race: int | None = None  # from the week's first day
    weeks_to_a_race: float | None = None
    last_heavy_date: date | None = None  # P4: no heavy legs after this date (before the race)
    no_heavy_until: date | None = None  # P6: no heavy legs before this date (after a race)
    last_race: Race | None = None
    a_race: Race | None = None  # the next A race: the one the phase and D5 prepare for


@dataclass(frozen=True)
class DoseInputs:
    """Everything the dose needs, decided upstream by the load model and the schedule."""

    week_start: date
    as_of: date
    phase: PhaseInfo
    heavy_day: date | None  # None: no heavy session this week (race week, post-race window)
    light_days: tuple[date, ...]  # days for light/activation sessions, already placed legally
    experience: Literal["novice", "trained"]
    strength_log: tuple[StrengthEntry, ...]  # logged before the week (as of the plan)
    strength_weeks: int  # how many of the last weeks have any logged strength (D7 ramp when < 2)
    acwr: float | None  # rolling 7:28 on km-effort, read at the week start (ratios)
    monotony: float | None
    ctl_ramp: float | None  # CTL points per week
    tsb: float | None
    sleep_7d_mean: float | None
    soreness_recent: float | None  # latest check-in soreness 0–10 within 3 days
    spike_long_run: bool  # S7
    eccentric_block_dates: tuple[date, ...]  # S4: days within 72 h after a novel descent / race
    volume_cut_pct: float  # S6 relaxation: 25 when no day satisfied every soft rule, else 0
    max_weekly_descent_load_6w_m: float  # D5: the athlete's largest weekly D−_eff in 6 weeks
    last_novel_descent: date | None = None  # D5: the latest novel descent before the plan
    ctl: float | None = None  # L4 judges the ramp and TSB relative to it (None: L4 cannot fire)
    quiet_days: tuple[date, ...] = ()  # light days next to a long run: no jumps (fallback day)
    equipment: tuple[str, ...] = DEFAULT_EQUIPMENT  # what the athlete owns (Profile.equipment)
    units: Literal["metric", "imperial"] = "metric"
    sleep_nights: int | None = None  # R1: nights behind sleep_7d_mean (None: not counted)


@dataclass(frozen=True)
class DoseResult:
    sessions: tuple[Session, ...]
    rationale: tuple[RationaleEntry, ...]
    totals: Totals  # change_vs_last_week_pct left None; the planner fills it
