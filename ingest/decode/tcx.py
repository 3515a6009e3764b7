"""TCX (Garmin Training Center) bytes -> Track, on the standard library's expat parser.

- Whitespace (and a BOM) before the XML declaration is dropped: Strava writes TCX files that start
  with spaces, which strict XML parsers refuse.
- Hostile input is refused on the bytes first (``xml_guard``: no DTD, caps on size, points,
  namespaces; depth while parsing).
- A ``MultiSportSession`` (or several activities recorded back to back) is one activity, sport
  ``multisport`` when the sports differ, like a multisport FIT file. Activities more than
  ``CHAIN_GAP_S`` apart (a "session" of four workouts on four days) are separate activities:
  refused, with the reason and their dates, rather than merged into one of several days.
- A file with a ``Course`` (a planned route) or a ``Workout`` and no activity is refused with that
  reason: it was never run.
- The laps' ``TotalTimeSeconds`` and ``DistanceMeters`` are the device's totals (``DeviceTotals``):
  a file whose trackpoints are sparse (five points for a 180 km ride) is measured from them. A
  file with laps and no trackpoints gets one sample at each lap boundary.
- Trackpoints are cleaned like GPX points (``samples``): impossible values dropped, zero-altitude
  dropouts, time order; bogus times (before 1980, after 2100) are dropped.
- The device is the activity's ``Creator`` name (``Forerunner 945``, ``Polar V800``).
"""

from __future__ import annotations

import itertools
import re
from datetime import datetime
from typing import Any

import numpy as np
import pandas as pd

from ingest.decode.devices import is_barometric, maker_of
from ingest.decode.geo import cumulative_distance
from ingest.decode.samples import (
    EARLIEST,
    IMPOSSIBLE,
    IMPOSSIBLE_RANGES,
    LATEST,
    drop_impossible,
    time_ordered,
    without_dropouts,
)
from ingest.decode.sniff import xml_root
from ingest.decode.tcx_parse import Activity, TcxDocument, parse_tcx
from ingest.decode.track import TRACK_COLUMNS, Device, DeviceTotals, Track
from ingest.decode.xml_guard import TCX_POINTS, check_hostile
from ingest.errors import IngestError

ROOT = "TrainingCenterDatabase"
CHAIN_GAP_S = 3600.0
_LEADING = b" \t\r\n"
_BOM = b"\xef\xbb\xbf"
_UNIT_ID = re.compile(r"\s*\(Unit ID \d+\)", re.IGNORECASE)  # "Forerunner305 (Unit ID 3815748186)"


def decode_tcx(data: bytes) -> Track:
    """Decode a TCX activity file or raise IngestError."""
    data = strip_leading_space(data)
    root = xml_root(data)  # refuses a DTD before any XML parser sees the document
    if root != ROOT:
        raise IngestError(f"not a TCX document (no <{ROOT}> root element)", kind="not_activity")
    check_hostile(data, TCX_POINTS)
    doc = parse_tcx(data)
    activities = _recorded(doc)
    notes = _chain_notes(doc, activities)
    frame, cleaning = _frame(doc, activities)
    sports = [a.sport.lower() for a in activities if a.sport]
    kinds = sorted(set(sports) - {"transition"})
    creator = _UNIT_ID.sub("", next((a.creator for a in activities if a.creator), "")) or None
    maker = maker_of(creator)
    has_altitude = bool(frame["altitude_m"].notna().any())
    laps = [lap for a in activities for lap in a.laps]
    starts = [t for t in (_instant(lap.start) for lap in laps) if t is not None]
    return Track(
        frame=frame,
        format="tcx",
        start=min([*starts, frame["time"].iloc[0].to_pydatetime()]),
        sport="multisport" if len(kinds) > 1 else (kinds[0] if kinds else None),
        device=Device(
            manufacturer=maker if maker and creator and maker not in creator.lower() else None,
            product=creator,
            barometric=is_barometric(creator) if has_altitude else False,
        ),
        totals=_totals(activities),
        notes=(*notes, *cleaning),
    )


def strip_leading_space(data: bytes) -> bytes:
    """``data`` without a UTF-8 BOM and the whitespace before its first ``<``."""
    return (data[len(_BOM) :] if data.startswith(_BOM) else data).lstrip(_LEADING)


def _recorded(doc: TcxDocument) -> list[Activity]:
    if doc.activities:
        return doc.activities
    if doc.courses:
        raise IngestError(
            f"TCX holds {_count(doc.courses, 'course')} (a planned route), not a recorded activity",
            kind="no_track",
        )
    if doc.workouts:
        raise IngestError(
            f"TCX holds {_count(doc.workouts, 'workout')} (a training plan), not a recorded"
            " activity",
            kind="no_track",
        )
    raise IngestError("TCX has no activity", kind="no_track")


def _chain_notes(doc: TcxDocument, activities: list[Activity]) -> list[str]:
    """What the file's structure means for the reader; refuses separate activities in one file."""
    notes = []
    if len(activities) > 1:
        sports = ", ".join(a.sport.lower() or "?" for a in activities)
        _refuse_separate(activities)
        what = "MultiSportSession" if doc.multisport else "activities back to back"
        notes.append(f"multisport: {len(activities)} {what} ({sports}); totals summed")
    if doc.courses:
        notes.append(f"{_count(doc.courses, 'course')} (planned route) in the file ignored")
    return notes


def _refuse_separate(activities: list[Activity]) -> None:
    spans = []
    for activity in activities:
        times = [_instant(lap.start) for lap in activity.laps]
        first = next((t for t in times if t is not None), None)
        spans.append((first, sum(lap.seconds or 0.0 for lap in activity.laps)))
    for (start, seconds), (after, _) in itertools.pairwise(spans):
        gap = None if start is None or after is None else (after - start).total_seconds() - seconds
        if gap is None or gap > CHAIN_GAP_S:
            days = sorted({t.date().isoformat() for t, _ in spans if t is not None})
            raise IngestError(
                f"TCX holds {len(activities)} separate activities ({', '.join(days[:5])}): legday"
                " reads one activity per file; export them one by one",
                kind="unreadable",
            )


def _frame(doc: TcxDocument, activities: list[Activity]) -> tuple[pd.DataFrame, list[str]]:
    raw = pd.DataFrame(doc.columns)
    keep = np.zeros(len(raw), dtype=bool)
    for activity in activities:
        keep[activity.first_point : activity.last_point] = True
    raw = raw[keep].reset_index(drop=True)
    raw["time"] = _times(raw["time"])
    raw = raw[raw["time"].notna()]
    if raw["time"].nunique() < 2:
        return _from_laps(activities), ["no trackpoints with a time: one sample per lap boundary"]
    for column in ("lat", "lon", "altitude_m", "distance_m", "heart_rate", "cadence"):
        raw[column] = raw[column].astype("float64")
    notes = []
    impossible = drop_impossible(raw)
    if impossible * 2 > len(raw):
        raise IngestError(
            f"{impossible} of {len(raw)} TCX trackpoints have {IMPOSSIBLE} ({IMPOSSIBLE_RANGES})"
        )
    if impossible:
        notes.append(f"{impossible} trackpoints with {IMPOSSIBLE}")
    raw["altitude_m"] = without_dropouts(raw["altitude_m"].to_numpy())
    frame = time_ordered(raw.reset_index(drop=True))
    if frame["distance_m"].notna().sum() < 2 and frame["lat"].notna().sum() >= 2:
        frame["distance_m"] = cumulative_distance(frame["lat"], frame["lon"])  # in time order
    return frame[[*TRACK_COLUMNS, "cadence"]], notes


def _times(text: pd.Series) -> pd.Series:
    times = pd.to_datetime(text, format="ISO8601", utc=True, errors="coerce")
    return times.where((times >= EARLIEST) & (times < LATEST))


def _from_laps(activities: list[Activity]) -> pd.DataFrame:
    """Two samples per lap (its start and end) with the cumulative lap distance."""
    rows: list[dict[str, Any]] = []
    covered = 0.0
    for lap in (lap for a in activities for lap in a.laps):
        start = _instant(lap.start)
        if start is None or not lap.seconds:
            continue
        rows.append({"time": start, "distance_m": covered})
        covered += lap.distance_m or 0.0
        rows.append({"time": start + pd.Timedelta(seconds=lap.seconds), "distance_m": covered})
    if len(rows) < 2:
        raise IngestError(
            "TCX has no usable timestamps (no trackpoint or lap time between 1980 and 2100)",
            kind="no_track",
        )
    frame = pd.DataFrame(rows).reindex(columns=[*TRACK_COLUMNS, "cadence"])
    frame["time"] = pd.to_datetime(frame["time"], utc=True)
    return time_ordered(frame.astype({c: "float64" for c in frame.columns if c != "time"}))


def _totals(activities: list[Activity]) -> DeviceTotals:
    laps = [lap for a in activities for lap in a.laps]
    seconds = [lap.seconds for lap in laps if lap.seconds is not None]
    distances = [lap.distance_m for lap in laps if lap.distance_m is not None]
    return DeviceTotals(
        distance_m=float(sum(distances)) if distances else None,
        timer_s=float(sum(seconds)) if seconds else None,
    )


def _instant(text: str | None) -> datetime | None:
    if not text:
        return None
    stamp = pd.to_datetime(text, format="ISO8601", utc=True, errors="coerce")
    if pd.isna(stamp) or not EARLIEST <= stamp < LATEST:
        return None
    return stamp.to_pydatetime()


def _count(n: int, noun: str) -> str:
    return f"a {noun}" if n == 1 else f"{n} {noun}s"
