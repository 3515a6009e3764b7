"""Track → the activity page's profile: distance, smoothed altitude, grade and position, thinned to
at most ``max_points`` samples (pure).

The altitude is the same smoothed profile the recomputed ascent/descent were summed from
(``elevation.recompute``), so the drawn profile and the reported figures agree; the grade is over
the same ≥ 50 m distance window the descent bins use (``descent.WINDOW_M``). Thinning keeps the
first and last sample and picks the rest evenly by distance (a track paused for an hour draws no
hour of points on one spot).
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import pandas as pd

from ingest.decode.gpx import cumulative_distance
from ingest.decode.track import Track
from ingest.measure import descent, elevation

MAX_POINTS = 800


@dataclass(frozen=True)
class TrackProfile:
    distance_m: list[float]
    altitude_m: list[float | None]
    grade_pct: list[float | None]
    lat: list[float | None]
    lon: list[float | None]
    notes: tuple[str, ...]


def track_profile(track: Track, max_points: int = MAX_POINTS) -> TrackProfile:
    """The profile of ``track`` with at most ``max_points`` samples."""
    frame = track.frame
    notes: list[str] = []
    cum = _distance(frame)
    if cum is None:
        return TrackProfile([], [], [], [], [], ("no distance or positions: nothing to draw",))
    alt = np.full(len(frame), np.nan)
    prof = elevation.recompute(frame, track.device.barometric)
    if prof is not None:
        rows = frame.index.get_indexer(prof.altitude_m.index)
        alt[rows] = prof.altitude_m.to_numpy(dtype=float)
        notes.append(f"altitude {prof.describe()}")
    else:
        notes.append("no altitude in the file")
    keep = _thin(cum, max_points)
    grade = _grade(cum, alt)
    lat = frame["lat"].to_numpy(dtype=float)
    lon = frame["lon"].to_numpy(dtype=float)
    if not np.isfinite(lat).any():
        notes.append("no positions in the file")
    return TrackProfile(
        distance_m=[round(float(v), 1) for v in cum[keep]],
        altitude_m=_opt(alt[keep], 1),
        grade_pct=_opt(grade[keep], 1),
        lat=_opt(lat[keep], 6),
        lon=_opt(lon[keep], 6),
        notes=tuple(notes),
    )


def _distance(frame: pd.DataFrame) -> np.ndarray | None:
    dist = frame["distance_m"]
    if dist.notna().sum() >= 2:
        return np.maximum.accumulate(dist.ffill().fillna(0.0).to_numpy(dtype=float))
    pos = frame[["lat", "lon"]]
    if pos.notna().all(axis=1).sum() >= 2:
        return cumulative_distance(pos["lat"].to_numpy(), pos["lon"].to_numpy())
    return None


def _thin(cum: np.ndarray, max_points: int) -> np.ndarray:
    """Row indices: first, last, and evenly spaced by distance in between."""
    n = len(cum)
    if n <= max_points:
        return np.arange(n)
    targets = np.linspace(cum[0], cum[-1], max_points)
    idx = np.searchsorted(cum, targets, side="left").clip(0, n - 1)
    return np.unique(np.concatenate([[0], idx, [n - 1]]))


def _grade(cum: np.ndarray, alt: np.ndarray) -> np.ndarray:
    """Grade in % at each sample, over the ``descent.WINDOW_M`` window centred on it."""
    ok = np.isfinite(alt)
    out = np.full(len(cum), np.nan)
    if ok.sum() < 2:
        return out
    d, h = cum[ok], alt[ok]
    half = descent.WINDOW_M / 2
    ahead = np.interp(np.clip(cum + half, d[0], d[-1]), d, h)
    behind = np.interp(np.clip(cum - half, d[0], d[-1]), d, h)
    span = np.clip(cum + half, d[0], d[-1]) - np.clip(cum - half, d[0], d[-1])
    with np.errstate(divide="ignore", invalid="ignore"):
        out = np.where(span >= half, (ahead - behind) / span * 100.0, np.nan)
    return out


def _opt(values: np.ndarray, digits: int) -> list[float | None]:
    return [round(float(v), digits) if np.isfinite(v) else None for v in values]
