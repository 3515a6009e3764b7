"""Long-range series (``GET /v1/trends/load``, ``GET /v1/trends/lifts``)."""

from __future__ import annotations

from pydantic import BaseModel, Field

from api.schemas.common import Day


class LoadDay(BaseModel):
    date: Day
    load: float = Field(description="The day's running load (TRIMP or km-effort, as in /v1/weeks)")
    ctl: float = Field(description="Chronic training load (fitness), 42-day time constant")
    atl: float = Field(description="Acute training load (fatigue), 7-day time constant")
    tsb: float = Field(description="Training stress balance (form) = CTL − ATL")
    acwr: float | None = Field(
        description="The plan's ACWR (rolling 7:28 on km-effort, data gaps skipped) at the end "
        "of the day; null with < 14 days or < 4 runs"
    )


class LoadSeries(BaseModel):
    days: list[LoadDay] = Field(description="Oldest first; none before the first activity")
    ctl_days: int
    atl_days: int
    acwr_method: str


class LiftSession(BaseModel):
    date: Day
    e1rm_kg: float = Field(description="Best Epley e1RM of the day: w × (1 + reps / 30)")
    load_kg: float | None = Field(description="The load of that best set")
    reps: int


class LiftSeries(BaseModel):
    exercise: str = Field(description="The catalogue id (or the logged name)")
    name: str
    sessions: list[LiftSession]


class LiftList(BaseModel):
    lifts: list[LiftSeries] = Field(description="One per exercise with a loaded set, most first")
