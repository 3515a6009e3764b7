"""The activity page's data (``GET /v1/activities/{id}/track``), decoded from the raw file."""

from __future__ import annotations

from pydantic import BaseModel, Field


class ActivityTrack(BaseModel):
    """Parallel arrays, one entry per drawn sample (at most 800, evenly spaced by distance)."""

    id: int
    distance_m: list[float] = Field(description="Cumulative distance of each sample")
    altitude_m: list[float | None] = Field(
        description="The smoothed altitude the recomputed ascent/descent were summed from"
    )
    grade_pct: list[float | None] = Field(description="Grade over a 50 m window (descent < 0)")
    lat: list[float | None]
    lon: list[float | None]
    descent_by_grade_m: dict[str, float] = Field(
        description='The activity\'s descent by grade bin: {"0-5", "5-10", "10-20", "20+"}'
    )
    notes: list[str] = Field(description="What the profile was made from, or what is missing")
