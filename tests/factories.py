"""Builders for test data. ``make_track(km=…, climb=…)`` gives a Track as a parser would."""

from __future__ import annotations

from datetime import UTC, datetime

import numpy as np
import pandas as pd

from ingest.decode.track import Device, DeviceTotals, Track


def make_track(
    *,
    km: float = 10.0,
    climb: float = 0.0,
    descent: float | None = None,
    speed_mps: float = 3.0,
    step_s: float = 1.0,
    noise_sd: float = 0.0,
    seed: int = 0,
    hr: float | None = None,
    start: datetime = datetime(2026, 3, 2, 7, 0, tzinfo=UTC),
    lat: float | None = 46.0,
    lon: float | None = 7.0,
    altitude: bool = True,
    barometric: bool | None = True,
    sport: str | None = "running",
    sub_sport: str | None = None,
    utc_offset_s: int | None = None,
    totals: DeviceTotals | None = None,
    fmt: str = "fit",
) -> Track:
    """An out-and-up track: ``climb`` metres spread evenly over the first half of the distance and
    ``descent`` (default: the same as ``climb``) over the second half, at a steady speed, sampled
    every ``step_s`` seconds, with Gaussian altitude noise of ``noise_sd`` metres. ``lat=None``
    gives a track without positions (a treadmill); ``altitude=False`` one without altitude."""
    descent = climb if descent is None else descent
    total_m = km * 1000.0
    n = max(2, round(total_m / speed_mps / step_s) + 1)
    seconds = np.arange(n) * step_s
    distance = np.minimum(seconds * speed_mps, total_m)
    half = total_m / 2
    up = np.clip(distance / half, 0, 1) * climb
    down = np.clip((distance - half) / half, 0, 1) * descent
    rng = np.random.default_rng(seed)
    alt = 500.0 + up - down + (rng.normal(0, noise_sd, n) if noise_sd else 0.0)
    nan = np.full(n, np.nan)
    # positions walk north along a meridian: 1e-5° of latitude is ~1.11 m
    lats = nan if lat is None else lat + distance / 111_195.0
    frame = pd.DataFrame(
        {
            "time": pd.Timestamp(start) + pd.to_timedelta(seconds, unit="s"),
            "distance_m": distance,
            "altitude_m": alt if altitude else nan,
            "lat": lats,
            "lon": nan if lon is None or lat is None else np.full(n, lon),
            "heart_rate": nan if hr is None else np.full(n, float(hr)),
        }
    )
    return Track(
        frame=frame,
        format=fmt,
        start=start,
        sport=sport,
        sub_sport=sub_sport,
        device=Device("garmin", "fenix 6", barometric),
        utc_offset_s=utc_offset_s,
        totals=totals or DeviceTotals(),
        name="synthetic",
    )


def profile_frame(
    distance_m: list[float], altitude_m: list[float], speed_mps: float = 3.0
) -> pd.DataFrame:
    """A frame following the given (distance, altitude) polyline at a steady speed, 1 sample/s."""
    total = distance_m[-1]
    n = int(total / speed_mps) + 1
    d = np.minimum(np.arange(n) * speed_mps, total)
    h = np.interp(d, distance_m, altitude_m)
    start = pd.Timestamp("2026-03-02 07:00", tz="UTC")
    return pd.DataFrame(
        {
            "time": start + pd.to_timedelta(np.arange(n), unit="s"),
            "distance_m": d,
            "altitude_m": h,
            "lat": np.full(n, np.nan),
            "lon": np.full(n, np.nan),
            "heart_rate": np.full(n, np.nan),
        }
    )
