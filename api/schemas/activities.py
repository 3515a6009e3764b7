"""Activity summaries (``/v1/activities``)."""

from __future__ import annotations

import datetime as dt
from typing import Literal

from pydantic import BaseModel, Field

from api.schemas.common import (
    Day,
    Sport,
)


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


class ArchiveFile(BaseModel):
    """One member of an uploaded export archive and what became of it."""

    name: str = Field(description="The member's path in the archive (nested: outer.zip!inner)")
    status: Literal["ingested", "duplicate", "failed", "skipped"]
    id: int | None = Field(None, description="The activity (ingested or duplicate)")
    reason: str | None = Field(None, description="Why it failed or was skipped; what it repeats")


class ArchiveUpload(BaseModel):
    """An uploaded ``.zip`` (a Strava bulk export, a Garmin Connect account export)."""

    files: list[ArchiveFile]
