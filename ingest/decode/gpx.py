"""GPX bytes -> Track, with gpxpy on the standard library's ElementTree (no lxml).

Rules: tracks and segments are concatenated in time order, distance is haversine and cumulative
across segments (no jump between them); points written out of time order are measured in time
order (the path follows the clock), one row per instant. Times (``gpx_times``): bogus ones
(before 1980, after 2100) dropped, missing ones interpolated by distance, and so are repeated ones
and those a second or two behind the point before (Sports Tracker); fewer than two distinct
usable times means the run cannot be placed in a week: refused (no_track, "no usable
timestamps"). Impossible values and ``<ele>0</ele>`` dropouts: ``samples``. Hostile input is
refused on the bytes before gpxpy sees them: ``xml_guard``.
"""

from __future__ import annotations

import math
import threading
import xml.etree.ElementTree as ElementTree
from datetime import UTC
from typing import Any

import numpy as np
import pandas as pd

from ingest.decode.geo import cumulative_distance
from ingest.decode.gpx_times import interpolate_times, untrusted_times, utc_times
from ingest.decode.samples import (
    IMPOSSIBLE,
    IMPOSSIBLE_RANGES,
    drop_impossible,
    time_ordered,
    without_dropouts,
)
from ingest.decode.sniff import xml_root
from ingest.decode.track import TRACK_COLUMNS, Device, Track
from ingest.decode.xml_guard import GPX_POINTS, MAX_TEXT, check_hostile
from ingest.errors import IngestError

_HR_NAMES = {"hr", "heartrate", "heart_rate", "bpm"}
_STRAVA_TYPES = {"1": "cycling", "4": "hiking", "9": "running", "10": "walking", "16": "swimming"}
_HR_TAGS: dict[str, bool] = {}
_GPXPY_LOCK = threading.Lock()  # gpxpy edits ElementTree's global namespace map
_ET_NAMESPACES: dict[str, str] = getattr(ElementTree, "_namespace_map", {})


def decode_gpx(data: bytes) -> Track:
    """Decode a GPX 1.0/1.1 document or raise IngestError."""
    import gpxpy
    import gpxpy.gpx

    root = xml_root(data)  # refuses a DTD before any XML parser sees the document
    if root is None or root.lower() != "gpx":
        raise IngestError("not a GPX document (no <gpx> root element)", kind="not_activity")
    check_hostile(data, GPX_POINTS)
    with _GPXPY_LOCK:
        namespaces = dict(_ET_NAMESPACES)
        try:
            gpx = gpxpy.parse(data)
        except (gpxpy.gpx.GPXException, UnicodeDecodeError, ValueError) as error:
            raise IngestError(f"GPX is not well-formed: {error}") from error
        finally:  # the file's prefixes must not pile up in the process for every upload
            _ET_NAMESPACES.clear()
            _ET_NAMESPACES.update(namespaces)
    segments = [seg.points for trk in gpx.tracks for seg in trk.segments if seg.points]
    if not segments:
        what = "only routes/waypoints" if gpx.routes or gpx.waypoints else "no points"
        raise IngestError(f"GPX has no track points ({what})", kind="no_track")
    frame, notes = _frame(segments)
    kind = next((t.type for t in gpx.tracks if t.type), None)
    creator = gpx.creator.strip()[:MAX_TEXT] if gpx.creator else None
    return Track(
        frame=frame,
        format="gpx",
        start=frame["time"].iloc[0].to_pydatetime(),
        sport=_STRAVA_TYPES.get(kind.strip(), kind.strip().lower()[:MAX_TEXT]) if kind else None,
        device=Device(
            product=creator, barometric=True if creator and "baro" in creator.lower() else None
        ),
        name=(next((t.name for t in gpx.tracks if t.name), None) or gpx.name or "")[:MAX_TEXT]
        or None,
        notes=tuple(notes),
    )


def _frame(segments: list[list[Any]]) -> tuple[pd.DataFrame, list[str]]:
    parts, impossible = [], 0
    for points in segments:
        part, bad = _segment(points)
        parts.append(part)
        impossible += bad
    parts.sort(
        key=lambda p: (
            p["time"].min() if p["time"].notna().any() else pd.Timestamp.max.tz_localize(UTC)
        )
    )
    offset, notes, total = 0.0, [], sum(len(p) for p in parts)
    if impossible * 2 > total:
        raise IngestError(
            f"{impossible} of {total} GPX points have {IMPOSSIBLE} ({IMPOSSIBLE_RANGES})"
        )
    if impossible:
        notes.append(f"{impossible} points with {IMPOSSIBLE}")
    for number, part in enumerate(parts):
        part["distance_m"] += offset
        part["segment"] = number
        offset = float(part["distance_m"].iloc[-1])
    frame = pd.concat(parts, ignore_index=True)
    untrusted = untrusted_times(frame["time"])
    if untrusted.any():
        frame.loc[untrusted, "time"] = pd.NaT
        notes.append(f"{int(untrusted.sum())} points repeat or step back from the time before them")
    timed = frame["time"].notna()
    if frame.loc[timed, "time"].nunique() < 2:
        raise IngestError(
            "GPX has no usable timestamps (fewer than two distinct times between 1980 and 2100)",
            kind="no_track",
        )
    if not timed.all():
        notes.append(interpolate_times(frame, timed))
        frame = frame[frame["time"].notna()]
    walked_in_order = frame["time"].is_monotonic_increasing
    frame = time_ordered(frame)
    if not walked_in_order:  # points written out of time order: the path follows the clock
        frame["distance_m"] = _distance_within_segments(frame)
    return frame[list(TRACK_COLUMNS)], notes


def _distance_within_segments(frame: pd.DataFrame) -> np.ndarray:
    steps = np.diff(cumulative_distance(frame["lat"], frame["lon"]), prepend=0.0)
    segment = frame["segment"].to_numpy()
    steps[1:][segment[1:] != segment[:-1]] = 0.0  # no distance across a gap between segments
    return np.asarray(np.cumsum(steps))


def _segment(points: list[Any]) -> tuple[pd.DataFrame, int]:
    frame = pd.DataFrame(
        {
            "time": utc_times([p.time for p in points]),
            "lat": [float(p.latitude) for p in points],
            "lon": [float(p.longitude) for p in points],
            "altitude_m": [math.nan if p.elevation is None else float(p.elevation) for p in points],
            "heart_rate": [_heart_rate(p.extensions) if p.extensions else math.nan for p in points],
        }
    )
    impossible = drop_impossible(frame, position_required=True)
    frame["altitude_m"] = without_dropouts(frame["altitude_m"].to_numpy())
    frame["distance_m"] = cumulative_distance(frame["lat"], frame["lon"])
    return frame, impossible


def _is_hr_tag(tag: Any) -> bool:
    """Whether an extension element's tag names a heart rate (namespace and prefix ignored);
    memoised: a file repeats a handful of tags on every point."""
    known = _HR_TAGS.get(tag)
    if known is None:
        known = str(tag).rsplit("}", 1)[-1].rsplit(":", 1)[-1].lower() in _HR_NAMES
        if len(_HR_TAGS) < 4096 and isinstance(tag, str):  # bounded: tags come from uploads
            _HR_TAGS[tag] = known
    return known


def _heart_rate(extensions: list[Any]) -> float:
    for element in extensions:
        for node in element.iter():
            known = _HR_TAGS.get(node.tag)  # inline: this runs for every extension element
            if (_is_hr_tag(node.tag) if known is None else known) and node.text:
                try:
                    return float(node.text)
                except ValueError:
                    continue
    return math.nan
