"""ActivitySummary: what the metrics compute from a Track and the store keeps (DESIGN.md)."""

from __future__ import annotations

from dataclasses import asdict, dataclass, field
from datetime import date, datetime
from typing import Any, Literal

Sport = Literal["run", "trail_run", "treadmill", "hike", "walk", "ride", "other"]
ON_FOOT: frozenset[str] = frozenset({"run", "trail_run", "treadmill", "hike", "walk"})
GRADE_BINS = ("0-5", "5-10", "10-20", "20+")


@dataclass(frozen=True)
class MetricsProfile:
    """What the metrics need to know of the athlete; ``version`` names this set of figures (it
    changes whenever one of them does), so a summary can say which figures it was computed with."""

    timezone: str = "UTC"
    sex: Literal["male", "female"] | None = None
    hr_rest: float | None = None
    hr_max: float | None = None
    version: int = 0


@dataclass(frozen=True)
class ActivitySummary:
    start: datetime  # UTC, tz-aware
    local_date: date
    utc_offset_s: int
    sport: Sport
    duration_s: float
    moving_s: float
    distance_m: float
    ascent_m: float
    descent_m: float
    elevation_source: Literal["device", "recomputed"]
    elevation_note: str  # why that source was chosen
    ascent_recomputed_m: float
    descent_recomputed_m: float
    ascent_device_m: float | None
    descent_device_m: float | None
    descent_by_grade_m: dict[str, float]
    descent_load_m: float
    km_effort: float
    trimp: float | None
    avg_hr: float | None
    max_hr: float | None
    device: str | None
    format: str
    sha256: str
    name: str | None = None
    samples: int = 0
    notes: tuple[str, ...] = field(default_factory=tuple)

    def to_dict(self) -> dict[str, Any]:
        d = asdict(self)
        d["start"] = self.start.isoformat()
        d["local_date"] = self.local_date.isoformat()
        d["notes"] = list(self.notes)
        return d
