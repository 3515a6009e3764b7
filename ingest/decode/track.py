"""The Track: one activity's samples plus what the file says of itself, parser to metrics."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime

import pandas as pd

from ingest.decode.fit_sets import WatchSet

TRACK_COLUMNS = ("time", "distance_m", "altitude_m", "lat", "lon", "heart_rate")


@dataclass(frozen=True)
class Device:
    manufacturer: str | None = None
    product: str | None = None
    barometric: bool | None = None

    @property
    def label(self) -> str | None:
        parts = [p for p in (self.manufacturer, self.product) if p]
        return " ".join(parts) if parts else None


@dataclass(frozen=True)
class DeviceTotals:
    """The device's own session totals, when the file has them (FIT session messages)."""

    distance_m: float | None = None
    ascent_m: float | None = None
    descent_m: float | None = None
    elapsed_s: float | None = None
    timer_s: float | None = None


@dataclass
class Track:
    """One activity.

    ``frame`` has a tz-aware UTC ``time`` column and float columns ``distance_m`` (cumulative),
    ``altitude_m``, ``lat``, ``lon``, ``heart_rate`` (NaN where absent), sorted by time, one row
    per instant; a format that carries more keeps it in further columns (TCX: ``cadence``, per
    minute as the file writes it).
    """

    frame: pd.DataFrame
    format: str  # "fit" | "gpx" | "tcx"
    start: datetime  # tz-aware UTC
    sport: str | None = None  # the file's own words, lower case ("running", "hiking", ...)
    sub_sport: str | None = None  # "trail", "treadmill", ...
    device: Device = field(default_factory=Device)
    utc_offset_s: int | None = None  # as the file states it, unrounded
    totals: DeviceTotals = field(default_factory=DeviceTotals)
    name: str | None = None
    notes: tuple[str, ...] = ()  # what the parser recovered or ignored, for the user
    sets: tuple[WatchSet, ...] = ()  # a strength activity's sets (FIT ``set`` messages)
