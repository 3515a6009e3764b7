"""GPX bytes -> Track, with gpxpy on the standard library's ElementTree (no lxml).

Rules: tracks and segments are concatenated in time order, distance is haversine and cumulative
across segments (no jump between them). An ``<ele>0</ele>`` next to points more than 50 m from 0 on
every side that has a neighbour is a dropout (NaN), not sea level. Points without time get a time
interpolated by distance between timed points; points before the first or after the last timed point
are dropped. Times before 1980 or after 2100 are bogus; fewer than two distinct usable times means
the run cannot be placed in a week: refused (no_track, "no usable timestamps").

Hostile input, checked on the bytes before any XML parser runs: a DTD anywhere (``<!DOCTYPE``,
``<!ENTITY``) is refused; more than ``MAX_POINTS`` points (trkpt, rtept, wpt; a 1 Hz 100-hour
ultra has 360,000) is refused as too large, counted by a scan that stops at the cap, so a
5-million-point file never becomes 5 million objects; more than ``MAX_TAGS`` tags likewise (empty
elements in <extensions> cost memory too); more than ``MAX_NAMESPACES`` distinct ``xmlns`` is
refused (gpxpy registers each one in ElementTree's global map, a quadratic loop). Impossible
values are missing, not refused: a position outside ±90°/±180°, an elevation outside
-1,000..10,000 m, a heart rate outside 1..300 bpm, or any of them not finite, is NaN, and a note
counts the points; a file where most points have such a value is refused.
"""

from __future__ import annotations

import math
import re
import threading
import xml.etree.ElementTree as ElementTree
from datetime import UTC, datetime
from typing import Any, cast

import numpy as np
import pandas as pd

from ingest.decode.sniff import xml_root
from ingest.decode.track import TRACK_COLUMNS, Device, Track
from ingest.errors import IngestError

_EARTH_RADIUS_M = 6_371_008.8
_HR_NAMES = {"hr", "heartrate", "heart_rate", "bpm"}
_STRAVA_TYPES = {"1": "cycling", "4": "hiking", "9": "running", "10": "walking", "16": "swimming"}
_DROPOUT_NEIGHBOUR_M = 50.0
_EARLIEST, _LATEST = datetime(1980, 1, 1, tzinfo=UTC), datetime(2100, 1, 1, tzinfo=UTC)
_EARLIEST_US, _LATEST_US = np.datetime64("1980-01-01", "us"), np.datetime64("2100-01-01", "us")
_HR_TAGS: dict[str, bool] = {}
MAX_POINTS = 500_000
MAX_NAMESPACES = 64
MAX_TEXT = 200  # a name, creator or type longer than this is cut: display text only
MAX_TAGS = 6_000_000  # "<" characters: ElementTree keeps ~200 bytes per element
_ELEVATION_M = (-1_000.0, 10_000.0)
_HEART_RATE = (1.0, 300.0)
_POINT = re.compile(rb"<(?:[A-Za-z_][\w.\-]*:)?(?:trkpt|rtept|wpt)[\s/>]")
_DTD = re.compile(rb"<!\s*(?:DOCTYPE|ENTITY)", re.IGNORECASE)
_GPXPY_LOCK = threading.Lock()  # gpxpy edits ElementTree's global namespace map
_ET_NAMESPACES: dict[str, str] = getattr(ElementTree, "_namespace_map", {})


def decode_gpx(data: bytes) -> Track:
    """Decode a GPX 1.0/1.1 document or raise IngestError."""
    import gpxpy
    import gpxpy.gpx

    root = xml_root(data)  # refuses a DTD before any XML parser sees the document
    if root is None or root.lower() != "gpx":
        raise IngestError("not a GPX document (no <gpx> root element)", kind="not_activity")
    check_hostile(data)
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


def check_hostile(data: bytes) -> None:
    """Refuse, on the bytes, what must never reach the XML parser (see the module doc)."""
    if _DTD.search(data):
        raise IngestError("XML with a DTD (<!DOCTYPE or <!ENTITY) is refused")
    if data.count(b"<") > MAX_TAGS:
        raise IngestError(f"GPX has more than {MAX_TAGS} XML tags, the limit", kind="too_large")
    if data.count(b"pt") <= MAX_POINTS:  # every point tag ends in "pt": the scan cannot refuse
        return _check_namespaces(data)
    for count, _ in enumerate(_POINT.finditer(data), start=1):
        if count > MAX_POINTS:
            raise IngestError(
                f"GPX has more than {MAX_POINTS} points, the limit (a 1 Hz 100-hour ultra has"
                " 360000)",
                kind="too_large",
            )
    _check_namespaces(data)


def _check_namespaces(data: bytes) -> None:
    """gpxpy runs ``\\sxmlns:?[^=]*="[^"]+"`` over the document and registers every match in
    ElementTree's global map (each registration scans the map): bound the scans and the map."""
    if data.count(b"schemaLocation") > 16 or data.count(b"xmlns") > 100_000:
        raise IngestError("GPX has too many namespace or schemaLocation attributes")
    declared: set[bytes] = set()
    pos = data.find(b"xmlns")
    while pos >= 0:
        equals = data.find(b"=", pos, pos + 512)
        value_end = -1 if equals < 0 else data.find(b'"', equals + 2, equals + 4096)
        if equals < 0 or (data[equals + 1 : equals + 2] == b'"' and value_end < 0):
            raise IngestError("GPX has a malformed XML namespace declaration")
        if data[equals + 1 : equals + 2] == b'"':
            declared.add(data[pos:value_end])
            if len(declared) > MAX_NAMESPACES:
                raise IngestError(f"GPX declares more than {MAX_NAMESPACES} XML namespaces")
        pos = data.find(b"xmlns", pos + 5)


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
            f"{impossible} of {total} GPX points have an impossible position, elevation or heart"
            " rate (not finite, or outside ±90°/±180°, -1000..10000 m, 1..300 bpm)"
        )
    if impossible:
        notes.append(f"{impossible} points with an impossible position, elevation or heart rate")
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


def _segment(points: list[Any]) -> tuple[pd.DataFrame, int]:
    frame = pd.DataFrame(
        {
            "time": _times([p.time for p in points]),
            "lat": [float(p.latitude) for p in points],
            "lon": [float(p.longitude) for p in points],
            "altitude_m": [math.nan if p.elevation is None else float(p.elevation) for p in points],
            "heart_rate": [_heart_rate(p.extensions) if p.extensions else math.nan for p in points],
        }
    )
    impossible = _drop_impossible(frame)
    frame["altitude_m"] = _without_dropouts(frame["altitude_m"].to_numpy())
    frame["distance_m"] = cumulative_distance(frame["lat"], frame["lon"])
    return frame, impossible


def _drop_impossible(frame: pd.DataFrame) -> int:
    """Impossible positions, elevations and heart rates set to NaN; how many points had one."""
    lat, lon = frame["lat"].to_numpy(), frame["lon"].to_numpy()  # required in GPX: NaN is "nan"
    with np.errstate(invalid="ignore"):
        position = ~((np.abs(lat) <= 90.0) & (np.abs(lon) <= 180.0))
        ele = frame["altitude_m"].to_numpy()
        elevation = ~np.isnan(ele) & ~((ele >= _ELEVATION_M[0]) & (ele <= _ELEVATION_M[1]))
        hr = frame["heart_rate"].to_numpy()
        heart = ~np.isnan(hr) & ~((hr >= _HEART_RATE[0]) & (hr <= _HEART_RATE[1]))
    if position.any():  # each .loc assignment costs ~0.2 ms even when it selects nothing
        frame.loc[position, ["lat", "lon"]] = math.nan
    if elevation.any():
        frame.loc[elevation, "altitude_m"] = math.nan
    if heart.any():
        frame.loc[heart, "heart_rate"] = math.nan
    return int((position | elevation | heart).sum())


def _times(times: list[datetime | None]) -> pd.Series:
    """The usable times (``_usable``) as UTC, NaT where unusable. gpxpy's times are naive or carry
    its ``SimpleTZ`` (whole minutes): shifted and range-checked in numpy, not point by point in
    Python (``astimezone`` calls the Python tzinfo for every point); any other zone, or no usable
    time at all, takes the point-by-point path."""
    from gpxpy.gpxfield import SimpleTZ

    wall: list[datetime | None] = []
    minutes: list[int] = []
    for time in times:
        zone = None if time is None else time.tzinfo
        if zone is None:
            wall.append(time)
            minutes.append(0)
        elif type(zone) is SimpleTZ:
            wall.append(time.replace(tzinfo=None))  # type: ignore[union-attr]
            minutes.append(zone.offset)
        else:
            return _times_one_by_one(times)
    try:  # pandas converts datetime objects in C (numpy's np.array(..., "datetime64") is slower)
        naive = pd.to_datetime(cast(Any, wall)).as_unit("us").to_numpy()
    except (ValueError, OverflowError):  # a year pandas cannot hold: never usable anyway
        return _times_one_by_one(times)
    offset = np.array(minutes, dtype=np.int64)
    valid = np.abs(offset) < 1440  # datetime refuses an offset of a day or more
    utc = naive - np.where(valid, offset, 0).astype("timedelta64[m]")
    usable = valid & (utc >= _EARLIEST_US) & (utc < _LATEST_US)  # NaT compares False
    if not usable.any():
        return _times_one_by_one(times)
    utc[~usable] = np.datetime64("NaT")
    return pd.Series(utc).dt.tz_localize(UTC)


def _times_one_by_one(times: list[datetime | None]) -> pd.Series:
    return pd.to_datetime(pd.Series([_usable(t) for t in times], dtype=object), utc=True)


def _usable(time: datetime | None) -> datetime | None:
    if time is None:
        return None
    try:  # a mangled zone (gpxpy accepts "+99:00" and other oddities) makes the time unusable
        aware = (time if time.tzinfo else time.replace(tzinfo=UTC)).astimezone(UTC)
    except (ValueError, OverflowError):
        return None
    return aware if _EARLIEST <= aware < _LATEST else None


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
