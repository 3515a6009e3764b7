"""What an activity is outside the store: its record, an ingest outcome, and the conversions between
ORM rows, parsed files and the duplicate detector's keys."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, datetime
from typing import Any, Literal

from ingest.pipeline import ParsedActivity
from ingest.store import dedup
from ingest.store.database import naive_utc, utc
from ingest.store.schema import Activity
from ingest.store.text import display_text

DEVICE_CHARS = 200  # activities.device
FILE_NAME_CHARS = 255  # activities.file_name

API_ACTIVITY_KEYS = (
    "id",
    "utc_offset_s",
    "sport",
    "duration_s",
    "moving_s",
    "distance_m",
    "ascent_m",
    "descent_m",
    "elevation_source",
    "ascent_recomputed_m",
    "descent_recomputed_m",
    "descent_by_grade_m",
    "descent_load_m",
    "km_effort",
    "trimp",
    "avg_hr",
    "max_hr",
    "device",
    "format",
    "sha256",
    "file_name",
    "duplicate_of",
)


@dataclass(frozen=True)
class ActivityRecord:
    id: int
    athlete_id: int
    sha256: str
    file_name: str
    format: str
    start: datetime
    local_date: date
    utc_offset_s: int
    sport: str
    duration_s: float
    moving_s: float
    distance_m: float
    ascent_m: float
    descent_m: float
    elevation_source: str
    ascent_recomputed_m: float
    descent_recomputed_m: float
    descent_by_grade_m: dict[str, float]
    descent_load_m: float
    km_effort: float
    trimp: float | None
    avg_hr: float | None
    max_hr: float | None
    device: str | None
    duplicate_of: int | None
    parser_version: int
    summary: dict[str, Any] = field(repr=False)
    created_at: datetime = field(repr=False)

    def to_dict(self) -> dict[str, Any]:
        """The API's activity summary (DESIGN.md, API v1), JSON-ready."""
        d = {k: getattr(self, k) for k in API_ACTIVITY_KEYS}
        d["start"] = self.start.isoformat()
        d["local_date"] = self.local_date.isoformat()
        return d


@dataclass(frozen=True)
class IngestOutcome:
    status: Literal["ingested", "duplicate"]
    activity_id: int
    duplicate_of: int | None
    activity: ActivityRecord


def activity_record(row: Activity) -> ActivityRecord:
    return ActivityRecord(
        id=row.id,
        athlete_id=row.athlete_id,
        sha256=row.sha256,
        file_name=row.file_name,
        format=row.format,
        start=utc(row.start_utc),
        local_date=row.local_date,
        utc_offset_s=row.utc_offset_s,
        sport=row.sport,
        duration_s=row.duration_s,
        moving_s=row.moving_s,
        distance_m=row.distance_m,
        ascent_m=row.ascent_m,
        descent_m=row.descent_m,
        elevation_source=row.elevation_source,
        ascent_recomputed_m=row.ascent_recomputed_m,
        descent_recomputed_m=row.descent_recomputed_m,
        descent_by_grade_m=dict(row.descent_by_grade),
        descent_load_m=row.descent_load_m,
        km_effort=row.km_effort,
        trimp=row.trimp,
        avg_hr=row.avg_hr,
        max_hr=row.max_hr,
        device=row.device,
        duplicate_of=row.duplicate_of,
        parser_version=row.parser_version,
        summary=dict(row.summary),
        created_at=utc(row.created_at),
    )


def summary_columns(parsed: ParsedActivity) -> dict[str, Any]:
    s = parsed.summary
    summary = s.to_dict()
    summary["barometric"] = parsed.barometric
    return {
        "profile_version": parsed.profile_version,
        "sha256": parsed.sha256,
        "format": parsed.format,
        "start_utc": naive_utc(s.start),
        "local_date": s.local_date,
        "utc_offset_s": int(s.utc_offset_s),
        "sport": s.sport,
        "duration_s": float(s.duration_s),
        "moving_s": float(s.moving_s),
        "distance_m": float(s.distance_m),
        "ascent_m": float(s.ascent_m),
        "descent_m": float(s.descent_m),
        "elevation_source": s.elevation_source,
        "ascent_recomputed_m": float(s.ascent_recomputed_m),
        "descent_recomputed_m": float(s.descent_recomputed_m),
        "descent_by_grade": {k: float(v) for k, v in s.descent_by_grade_m.items()},
        "descent_load_m": float(s.descent_load_m),
        "km_effort": float(s.km_effort),
        "trimp": None if s.trimp is None else float(s.trimp),
        "avg_hr": None if s.avg_hr is None else float(s.avg_hr),
        "max_hr": None if s.max_hr is None else float(s.max_hr),
        "device": display_text(s.device, DEVICE_CHARS),  # a FIT product name can be 250 chars
        "parser_version": parsed.parser_version,
        "summary": summary,
    }


def dedup_key(row: Activity) -> dedup.DedupKey:
    return dedup.DedupKey(
        id=row.id,
        start=utc(row.start_utc),
        duration_s=row.duration_s,
        distance_m=row.distance_m,
        format=row.format,
        samples=int(row.summary.get("samples") or 0),
        has_hr=row.avg_hr is not None,
        barometric=row.summary.get("barometric"),
        duplicate_of=row.duplicate_of,
        sport=row.sport,
    )


def new_key(parsed: ParsedActivity) -> dedup.DedupKey:
    s = parsed.summary
    return dedup.DedupKey(
        id=None,
        start=utc(s.start),
        duration_s=s.duration_s,
        distance_m=s.distance_m,
        format=parsed.format,
        samples=s.samples,
        has_hr=s.avg_hr is not None,
        barometric=parsed.barometric,
        sport=s.sport,
    )


def same_file(row: Activity) -> IngestOutcome:
    record = activity_record(row)
    return IngestOutcome("duplicate", record.id, record.id, record)
