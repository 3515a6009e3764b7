"""GPX bytes -> Track, with gpxpy on the standard library's ElementTree (no lxml).

Rules: tracks and segments are concatenated in time order, distance is haversine and cumulative
across segments (no jump between them). An ``<ele>0</ele>`` next to points more than 50 m from 0 on
every side that has a neighbour is a dropout (NaN), not sea level. Points without time get a time
interpolated by distance between timed points; points before the first or after the last timed point
are dropped. Times before 1980 or after 2100 are bogus; fewer than two distinct usable times means
the run cannot be placed in a week: refused (no_track, "no usable timestamps").
"""

from __future__ import annotations

import math
from datetime import UTC, datetime
from typing import Any

import numpy as np
import pandas as pd

from ingest.errors import IngestError
from ingest.sniff import xml_root
from ingest.track import TRACK_COLUMNS, Device, Track

_EARTH_RADIUS_M = 6_371_008.8
_HR_NAMES = {"hr", "heartrate", "heart_rate", "bpm"}
_STRAVA_TYPES = {"1": "cycling", "4": "hiking", "9": "running", "10": "walking", "16": "swimming"}
_DROPOUT_NEIGHBOUR_M = 50.0
_EARLIEST, _LATEST = datetime(1980, 1, 1, tzinfo=UTC), datetime(2100, 1, 1, tzinfo=UTC)


def decode_gpx(data: bytes) -> Track:
    """Decode a GPX 1.0/1.1 document or raise IngestError."""
    import gpxpy
    import gpxpy.gpx

    root = xml_root(data)  # refuses a DTD before any XML parser sees the document
    if root is None or root.lower() != "gpx":
        raise IngestError("not a GPX document (no <gpx> root element)", kind="not_activity")
    try:
        gpx = gpxpy.parse(data)
    except (gpxpy.gpx.GPXException, UnicodeDecodeError, ValueError) as error:
        raise IngestError(f"GPX is not well-formed: {error}") from error
    segments = [seg.points for trk in gpx.tracks for seg in trk.segments if seg.points]
    if not segments:
        what = "only routes/waypoints" if gpx.routes or gpx.waypoints else "no points"
        raise IngestError(f"GPX has no track points ({what})", kind="no_track")
    frame, notes = _frame(segments)
    kind = next((t.type for t in gpx.tracks if t.type), None)
    creator = gpx.creator.strip() if gpx.creator else None
    return Track(
        frame=frame,
        format="gpx",
        start=frame["time"].iloc[0].to_pydatetime(),
        sport=_STRAVA_TYPES.get(kind.strip(), kind.strip().lower()) if kind else None,
        device=Device(
            product=creator, barometric=True if creator and "baro" in creator.lower() else None
        ),
        name=next((t.name for t in gpx.tracks if t.name), None) or gpx.name,
        notes=tuple(notes),
    )


def _frame(segments: list[list[Any]]) -> tuple[pd.DataFrame, list[str]]:
    parts = [_segment(points) for points in segments]
    parts.sort(
        key=lambda p: (
            p["time"].min() if p["time"].notna().any() else pd.Timestamp.max.tz_localize(UTC)
        )
    )
    offset, notes = 0.0, []
    for part in parts:
        part["distance_m"] += offset
        offset = float(part["distance_m"].iloc[-1])
    frame = pd.concat(parts, ignore_index=True)
    timed = frame["time"].notna()
    if frame.loc[timed, "time"].nunique() < 2:
        raise IngestError(
            "GPX has no usable timestamps (fewer than two distinct times between 1980 and 2100)",
            kind="no_track",
        )
    if not timed.all():
        notes.append(_interpolate_times(frame, timed))
        frame = frame[frame["time"].notna()]
    frame = frame.sort_values("time", kind="stable").drop_duplicates("time").reset_index(drop=True)
    return frame[list(TRACK_COLUMNS)], notes


def _segment(points: list[Any]) -> pd.DataFrame:
    frame = pd.DataFrame(
        {
            "time": pd.to_datetime(
                pd.Series([_usable(p.time) for p in points], dtype=object), utc=True
            ),
            "lat": [float(p.latitude) for p in points],
            "lon": [float(p.longitude) for p in points],
            "altitude_m": [math.nan if p.elevation is None else float(p.elevation) for p in points],
            "heart_rate": [_heart_rate(p.extensions) for p in points],
        }
    )
    frame["altitude_m"] = _without_dropouts(frame["altitude_m"].to_numpy())
    frame["distance_m"] = cumulative_distance(frame["lat"], frame["lon"])
    return frame


def _usable(time: datetime | None) -> datetime | None:
    if time is None:
        return None
    aware = time if time.tzinfo else time.replace(tzinfo=UTC)
    return aware if _EARLIEST <= aware < _LATEST else None


def _heart_rate(extensions: list[Any]) -> float:
    for element in extensions:
        for node in element.iter():
            name = str(node.tag).rsplit("}", 1)[-1].rsplit(":", 1)[-1].lower()
            if name in _HR_NAMES and node.text:
                try:
                    return float(node.text)
                except ValueError:
                    continue
    return math.nan


def _without_dropouts(ele: np.ndarray) -> np.ndarray:
    out = ele.copy()
    zero = ele == 0.0
    i = 0
    while i < len(ele):
        if not zero[i]:
            i += 1
            continue
        j = i
        while j < len(ele) and zero[j]:
            j += 1
        before = ele[:i][~np.isnan(ele[:i])][-1:]
        after = ele[j:][~np.isnan(ele[j:]) & (ele[j:] != 0.0)][:1]
        sides = np.concatenate([before, after])
        if len(sides) and (np.abs(sides) > _DROPOUT_NEIGHBOUR_M).all():
            out[i:j] = math.nan
        i = j
    return out


def _interpolate_times(frame: pd.DataFrame, timed: pd.Series) -> str:
    distance = frame["distance_m"].to_numpy() + np.arange(len(frame)) * 1e-6  # strictly increasing
    seconds = frame.loc[timed, "time"].map(lambda t: t.timestamp()).to_numpy(dtype=float)
    filled = np.interp(distance, distance[timed.to_numpy()], seconds, left=np.nan, right=np.nan)
    missing = ~timed.to_numpy()
    times = pd.to_datetime(filled[missing], unit="s", utc=True).as_unit(frame["time"].dt.unit)
    frame.loc[missing, "time"] = times
    dropped = int(np.isnan(filled[missing]).sum())
    return (
        f"time interpolated by distance on {int(missing.sum()) - dropped} of {len(frame)} points"
        + (f"; {dropped} points outside the timed span dropped" if dropped else "")
    )


def cumulative_distance(lat: Any, lon: Any) -> np.ndarray:
    """Cumulative haversine distance in metres; points without a position add nothing."""
    la, lo = np.radians(np.asarray(lat, dtype=float)), np.radians(np.asarray(lon, dtype=float))
    steps = np.zeros(len(la))
    valid = np.flatnonzero(~(np.isnan(la) | np.isnan(lo)))
    if len(valid) > 1:
        a, b = valid[:-1], valid[1:]
        h = (
            np.sin((la[b] - la[a]) / 2) ** 2
            + np.cos(la[a]) * np.cos(la[b]) * np.sin((lo[b] - lo[a]) / 2) ** 2
        )
        steps[b] = 2 * _EARTH_RADIUS_M * np.arcsin(np.sqrt(np.minimum(h, 1.0)))
    return np.cumsum(steps)
