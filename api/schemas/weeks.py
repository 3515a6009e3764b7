"""Weekly totals (``GET /v1/weeks``)."""

from __future__ import annotations

from pydantic import BaseModel, Field

from api.plans import WEEK_ACWR_METHOD
from api.schemas.common import (
    Day,
)


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
