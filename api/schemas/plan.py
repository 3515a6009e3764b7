"""The WeekPlan (``GET /v1/recommendation``)."""

from __future__ import annotations

from typing import Any, Literal

from pydantic import BaseModel, Field

from api.schemas.common import (
    Day,
    Weekday,
)

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
    load_lb: float | None = Field(
        None,
        description="The same load in lb: rounded to 5 lb (dumbbells to real pairs) for an "
        "imperial profile, then load_kg is that load in kg; a dumbbell load is per hand",
    )
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
    duration_min: int | None = Field(
        None,
        description="Estimated minutes incl. warm-up, set-up and rests "
        "(docs/recommender-method.md); null for a logged session",
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
