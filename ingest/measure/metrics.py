"""Track → ActivitySummary: the one entry point of the metrics (pure, picklable).

Distance is the last cumulative distance (else the device total, else the sum of position steps).
Elapsed time is last − first sample (else the device's). Moving time sums the sample intervals
faster than ``MOVING_MPS`` (0.5 m/s), leaving out gaps longer than ``PAUSE_S`` (a paused recording);
the samples are in time order, one per instant (every decoder hands them so). When the samples
cover less than ``SPARSE_RATIO`` of the device's own distance or time (a TCX with five trackpoints
for a 180 km ride, its laps carrying the totals), the device's distance, elapsed and timer time
are reported instead, and the note says so. The sport is judged on the moving speed: the distance
covered while moving over the moving time.

Reported ascent/descent are the device's session totals when the file has them, else the recomputed
ones (``elevation``). A device total under a quarter of a recomputed figure of 100 m or more
is taken as a device fault (a device writing 3 m for a mountain run) and the recomputed figures
are reported instead; the note says so. Descent bins and D−eff come from the recomputed profile
(``ingest.measure.descent``).
"""

from __future__ import annotations

from typing import Literal

import numpy as np
import pandas as pd

from ingest.decode.geo import cumulative_distance
from ingest.decode.track import Track
from ingest.measure import descent, elevation, load, localtime, sport
from ingest.measure.summary import ActivitySummary, MetricsProfile

Source = Literal["device", "recomputed"]
MOVING_MPS = 0.5
PAUSE_S = 60.0
FAULT_RATIO = 0.25
FAULT_MIN_M = 100.0
SPARSE_RATIO = 0.5


def summarize(track: Track, profile: MetricsProfile, sha256: str) -> ActivitySummary:
    frame = track.frame
    notes = list(track.notes)
    cum = _cumulative_distance(frame)
    distance = float(np.nanmax(cum)) if cum is not None else (track.totals.distance_m or 0.0)
    times = frame["time"]
    elapsed = (times.iloc[-1] - times.iloc[0]).total_seconds() if len(frame) > 1 else 0.0
    elapsed = elapsed or (track.totals.elapsed_s or 0.0)
    moving, moving_m = _moving(times, cum) if cum is not None else (0.0, 0.0)
    if cum is None:
        moving = track.totals.timer_s or elapsed
        moving_m = distance
    if _sparse(track, distance, elapsed):
        device = track.totals
        notes.append(
            f"the samples cover {distance:.0f} m and {elapsed:.0f} s of the device's"
            f" {device.distance_m or 0:.0f} m and {device.timer_s or 0:.0f} s: the device's totals"
        )
        distance = max(distance, device.distance_m or 0.0)
        moving = device.timer_s or moving
        elapsed = max(elapsed, device.elapsed_s or moving)
        moving_m = distance

    prof = elevation.recompute(frame, track.device.barometric)
    up = prof.ascent_m if prof else 0.0
    down = prof.descent_m if prof else 0.0
    ascent, desc, source, note = _reported(track, prof, up, down)
    bins = descent.empty_bins()
    if prof is not None and cum is not None:
        rows = frame.index.get_indexer(prof.altitude_m.index)
        segments = descent.segment_descent(cum[rows], prof.altitude_m.to_numpy())
        bins = descent.scaled(segments, down)
    elif prof is not None:
        notes.append("no distance: descent not binned by grade")

    positions = frame[["lat", "lon"]].dropna()
    xy = positions.to_numpy(dtype=float)
    first = (float(xy[0, 0]), float(xy[0, 1])) if len(xy) else None
    offset, offset_note = localtime.resolve_offset(
        track.start, track.utc_offset_s, first, profile.timezone
    )
    notes.append(offset_note)
    hr = frame["heart_rate"].where(frame["heart_rate"] > 0)
    sport_class = sport.classify(
        track.sport,
        track.sub_sport,
        distance_m=distance,
        ascent_m=ascent,
        moving_s=moving,
        moving_m=moving_m,
        has_positions=first is not None,
    )
    return ActivitySummary(
        start=track.start,
        local_date=localtime.local_date(track.start, offset),
        utc_offset_s=offset,
        sport=sport_class,
        duration_s=float(elapsed),
        moving_s=float(moving),
        distance_m=distance,
        ascent_m=ascent,
        descent_m=desc,
        elevation_source=source,
        elevation_note=note,
        ascent_recomputed_m=up,
        descent_recomputed_m=down,
        ascent_device_m=track.totals.ascent_m,
        descent_device_m=track.totals.descent_m,
        descent_by_grade_m=bins,
        descent_load_m=descent.descent_load(bins),
        km_effort=load.km_effort(distance, ascent),
        trimp=load.trimp(times, hr, profile.hr_rest, profile.hr_max, profile.sex),
        avg_hr=float(hr.mean()) if hr.notna().any() else None,
        max_hr=float(hr.max()) if hr.notna().any() else None,
        device=track.device.label,
        format=track.format,
        sha256=sha256,
        name=track.name,
        samples=len(frame),
        notes=tuple(notes),
    )


def _reported(
    track: Track, prof: elevation.ElevationProfile | None, up: float, down: float
) -> tuple[float, float, Source, str]:
    """(ascent, descent, source, note) to report."""
    dev_up, dev_down = track.totals.ascent_m, track.totals.descent_m
    how = prof.describe() if prof else "no altitude in the file"
    if dev_up is None:
        if prof is None:
            return 0.0, 0.0, "recomputed", "no device total and no altitude in the file: 0"
        return up, down, "recomputed", f"no device total; {how}"
    dev_down = down if dev_down is None else dev_down
    if _fault(dev_up, up) or _fault(dev_down, down):
        return (
            up,
            down,
            "recomputed",
            f"device total ({dev_up:.0f} m up, {dev_down:.0f} m down) is implausibly small; {how}",
        )
    return dev_up, dev_down, "device", f"device total from session message ({how}: {up:.0f} m up)"


def _fault(device_m: float, recomputed_m: float) -> bool:
    return recomputed_m >= FAULT_MIN_M and device_m < FAULT_RATIO * recomputed_m


def _cumulative_distance(frame: pd.DataFrame) -> np.ndarray | None:
    """Cumulative distance per row (NaN-free), or None when neither distance nor positions exist."""
    dist = frame["distance_m"]
    if dist.notna().sum() >= 2:
        return np.maximum.accumulate(dist.ffill().fillna(0.0).to_numpy(dtype=float))
    if frame[["lat", "lon"]].notna().all(axis=1).sum() >= 2:
        return cumulative_distance(frame["lat"].to_numpy(), frame["lon"].to_numpy())
    return None


def _moving(times: pd.Series, cum: np.ndarray) -> tuple[float, float]:
    """(moving time in s, distance covered while moving in m)."""
    dt = times.diff().dt.total_seconds().to_numpy()[1:]
    dd = np.diff(cum)
    moving = (dt > 0) & (dt <= PAUSE_S) & (dd >= MOVING_MPS * dt)
    return float(dt[moving].sum()), float(dd[moving].sum())


def _sparse(track: Track, distance_m: float, elapsed_s: float) -> bool:
    """Whether the samples cover less than ``SPARSE_RATIO`` of the device's distance or time."""
    device = track.totals
    short_m = bool(device.distance_m) and distance_m < SPARSE_RATIO * (device.distance_m or 0.0)
    short_s = bool(device.timer_s) and elapsed_s < SPARSE_RATIO * (device.timer_s or 0.0)
    return short_m or short_s
