"""FIT messages -> Track: records merged by timestamp, the file's sport, device, offset and totals.

Records sharing a timestamp are merged (the first non-empty value per field: the Strava app splits
position/altitude and distance into separate records); a distance that restarts (a new session of a
multisport file) continues from where it was; a multisport file's session totals are summed. The
device's barometer: a name we know (``devices``) -> True; no altitude in any record -> False;
anything else -> None (unknown).
"""

from __future__ import annotations

import math
from datetime import datetime
from typing import Any

import numpy as np
import pandas as pd

from ingest.decode.devices import is_barometric
from ingest.decode.fit_sets import watch_sets
from ingest.decode.fit_time import FIT_EPOCH_S, RELATIVE_LIMIT, Messages
from ingest.decode.geo import cumulative_distance
from ingest.decode.track import TRACK_COLUMNS, Device, DeviceTotals, Track
from ingest.errors import IngestError


def track_from_messages(
    messages: Messages, anchored: bool = False, frame: pd.DataFrame | None = None
) -> Track:
    """Records merged by timestamp (first non-empty value per field) plus the file's metadata;
    ``frame`` when the records were read into columns already (``columns_frame``)."""
    frame = _records_frame(messages["record"]) if frame is None else frame
    if frame.empty:
        raise IngestError("FIT file has no records with a time (no track)", kind="no_track")
    sessions = messages["session"]
    sports = [str(s["sport"]).lower() for s in sessions if s.get("sport") is not None]
    if not sports:
        sports = [str(s["sport"]).lower() for s in messages["sport"] if s.get("sport") is not None]
    sub_sports = [str(s["sub_sport"]).lower() for s in sessions if s.get("sub_sport") is not None]
    notes: list[str] = []
    if anchored:
        notes.append(
            "watch clock not set: times anchored to the activity's local time, offset unknown"
        )
    kinds = sorted({s for s in sports if s != "transition"})
    if len(kinds) > 1:
        notes.append(f"multisport: {len(sessions)} sessions ({', '.join(sports)}); totals summed")
    starts = [s["start_time"] for s in sessions if isinstance(s.get("start_time"), datetime)]
    first = frame["time"].iloc[0].to_pydatetime()
    return Track(
        frame=frame,
        format="fit",
        start=min([*starts, first]),
        sport="multisport" if len(kinds) > 1 else (kinds[0] if kinds else None),
        sub_sport=sub_sports[0] if len(set(sub_sports)) == 1 else None,
        device=_device(messages, has_altitude=bool(frame["altitude_m"].notna().any())),
        utc_offset_s=None if anchored else _utc_offset(messages["activity"]),
        totals=_totals(sessions),
        notes=tuple(notes),
        sets=watch_sets(messages),
    )


def _records_frame(records: list[dict[str, Any]]) -> pd.DataFrame:
    rows = [
        (
            r["timestamp"],
            _num(r.get("distance")),
            _num(_first(r.get("enhanced_altitude"), r.get("altitude"))),
            _degrees(r.get("position_lat")),
            _degrees(r.get("position_long")),
            _num(r.get("heart_rate")),
        )
        for r in records
        if "timestamp" in r
    ]
    raw = pd.DataFrame(rows, columns=list(TRACK_COLUMNS))
    if raw.empty:
        return raw
    raw["time"] = pd.to_datetime(raw["time"], utc=True)
    return _merged(raw)


def columns_frame(columns: dict[str, np.ndarray], shift: int | None) -> pd.DataFrame:
    """The frame _records_frame builds, from the columns fit_records read (FIT values)."""
    seconds = columns["timestamp"]
    relative = seconds < RELATIVE_LIMIT
    keep = ~np.isnan(seconds) & (~relative if shift is None else True)
    seconds = np.where(relative, seconds + (shift or 0), seconds)[keep]
    altitude = columns["altitude"]
    altitude = np.where(np.isnan(altitude), columns["enhanced_altitude"], altitude)
    degrees = 180.0 / 2**31
    values = (
        columns["distance"],
        altitude,
        columns["position_lat"] * degrees,
        columns["position_long"] * degrees,
        columns["heart_rate"],
    )
    raw = pd.DataFrame(dict(zip(TRACK_COLUMNS[1:], (v[keep] for v in values), strict=True)))
    if raw.empty:
        return pd.DataFrame(columns=list(TRACK_COLUMNS))
    epoch = (seconds + FIT_EPOCH_S).astype(np.int64) * 1_000_000
    raw.insert(0, "time", pd.to_datetime(epoch, unit="us", utc=True))
    return _merged(raw)


def _merged(raw: pd.DataFrame) -> pd.DataFrame:
    impossible = ~((raw["lat"].abs() <= 90.0) & (raw["lon"].abs() <= 180.0)) & raw["lat"].notna()
    raw.loc[impossible, ["lat", "lon"]] = math.nan  # a latitude past ±90°: no position
    frame = raw.groupby("time", sort=True).first().reset_index()  # first non-NaN per column
    if frame["distance_m"].isna().all() and frame["lat"].notna().any():
        frame["distance_m"] = cumulative_distance(frame["lat"], frame["lon"])
    frame["distance_m"] = _monotonic(frame["distance_m"].ffill().to_numpy(dtype=float))
    return frame.astype({c: "float64" for c in TRACK_COLUMNS[1:]})


def _monotonic(distance: np.ndarray) -> np.ndarray:
    """Distance that restarts (a new session of a multisport file) continues from where it was;
    a small step back (sensor jitter) counts as no progress."""
    if len(distance) < 2 or np.isnan(distance).all():
        return distance
    distance = np.nan_to_num(distance, nan=0.0)  # after ffill only leading gaps are left
    step = np.diff(distance, prepend=distance[0])
    restart = (step < 0) & (distance < np.roll(distance, 1) / 2)
    step = np.where(restart, distance, np.maximum(step, 0.0))
    step[0] = distance[0]
    return np.asarray(np.cumsum(step))


def _first(*values: Any) -> Any:
    return next((v for v in values if v is not None), None)


def _num(value: Any) -> float:
    return (
        float(value) if isinstance(value, int | float) and not isinstance(value, bool) else math.nan
    )


def _degrees(semicircles: Any) -> float:
    value = _num(semicircles)
    return value * (180.0 / 2**31) if abs(value) <= 2**31 else math.nan


def _device(messages: Messages, *, has_altitude: bool) -> Device:
    candidates = [*messages["file_id"], *messages["device_info"]]
    source = next((m for m in candidates if m.get("manufacturer") is not None), {})
    product = _first(
        source.get("garmin_product"), source.get("product_name"), source.get("product")
    )
    manufacturer = source.get("manufacturer")
    name = f"{manufacturer or ''} {product or ''}"
    barometric = is_barometric(name) if has_altitude else False
    return Device(
        manufacturer=None if manufacturer is None else str(manufacturer),
        product=None if product is None else str(product),
        barometric=barometric,
    )


def _utc_offset(activities: list[dict[str, Any]]) -> int | None:
    for activity in activities:
        local, utc = activity.get("local_timestamp"), activity.get("timestamp")
        if isinstance(local, int) and isinstance(utc, datetime):
            return local + FIT_EPOCH_S - int(utc.timestamp())
    return None


def _totals(sessions: list[dict[str, Any]]) -> DeviceTotals:
    def total(key: str) -> float | None:
        values = [_num(s.get(key)) for s in sessions]
        present = [v for v in values if not math.isnan(v)]
        return float(sum(present)) if present else None

    return DeviceTotals(
        distance_m=total("total_distance"),
        ascent_m=total("total_ascent"),
        descent_m=total("total_descent"),
        elapsed_s=total("total_elapsed_time"),
        timer_s=total("total_timer_time"),
    )
