"""FIT bytes -> Track: garmin-fit-sdk first, fitparse when the SDK cannot read the file.

The records of a plain activity file are read vectorised (``fit_records``) and only the other
messages go through the SDK; that gives the same Track as the SDK alone, several times faster.

Policy for damaged files: refusal with a specific reason (an IngestError), except a single file
cut short mid-data (a watch that died), which ``fit_recover`` keeps up to its last complete
message, with the note "recovered: file truncated at byte N; CRC not verified". The header chain is
checked first (truncation, corrupt or empty chained header); CRC and record-level faults come from
the decoders.
"""

from __future__ import annotations

import math
import re
import threading
from collections.abc import Iterable
from datetime import UTC, datetime
from typing import Any

import numpy as np
import pandas as pd

from ingest.decode.fit_sets import watch_sets
from ingest.decode.gpx import cumulative_distance
from ingest.decode.track import TRACK_COLUMNS, Device, DeviceTotals, Track
from ingest.errors import IngestError

Messages = dict[str, list[dict[str, Any]]]

_FIT_EPOCH_S = 631065600  # 1989-12-31T00:00:00Z
_RELATIVE_LIMIT = 0x10000000  # FIT times below this are seconds since the device powered on
_WANTED = (
    "record",
    "session",
    "sport",
    "file_id",
    "device_info",
    "activity",
    "timestamp_correlation",
    "set",  # strength sets (fit_sets)
    "workout_step",
)
_FITPARSE_LOCK = threading.Lock()


def decode_fit(data: bytes) -> Track:
    """Decode a FIT file (chained files included), or what a truncated one holds, or raise
    IngestError."""
    from ingest.decode.fit_recover import truncated_prefix

    try:
        return _decode_whole(data)
    except IngestError as error:
        recovered = truncated_prefix(data) if error.kind == "unreadable" else None
        if recovered is None:
            raise
        sealed, cut = recovered
        try:
            track = _decode_whole(sealed)
        except IngestError:
            raise error from None
    track.notes = (*track.notes, f"recovered: file truncated at byte {cut}; CRC not verified")
    return track


def _decode_whole(data: bytes) -> Track:
    chained = check_chain(data)
    try:
        track = _decode_fast(data) if chained == 1 else None
        track = track or _decode_with_sdk(data)
    except IngestError as sdk_error:
        if sdk_error.kind != "unreadable":
            raise
        try:
            track = _decode_with_fitparse(data)
        except IngestError as fp_error:
            raise IngestError(_combined_reason(sdk_error.reason, fp_error.reason)) from None
        note = f"decoded with fitparse: garmin-fit-sdk failed ({sdk_error.reason})"
        track.notes = (*track.notes, note)
    if chained > 1:
        track.notes = (*track.notes, f"{chained} chained FIT files read")
    return track


def check_chain(data: bytes) -> int:
    """Walk the FIT headers (chained files included); return how many; refuse a broken chain."""
    pos, count = 0, 0
    while pos < len(data):
        head = data[pos : pos + 12]
        if len(head) < 12 or head[0] not in (12, 14) or head[8:12] != b".FIT":
            where = f"FIT file {count + 1} at byte {pos}"
            raise IngestError(f"{where} has a corrupt or missing header")
        header_size, data_size = head[0], int.from_bytes(head[4:8], "little")
        found = len(data) - pos - header_size
        if found < data_size + 2:
            part = f" (chained file {count + 1})" if count else ""
            raise IngestError(
                f"FIT file is truncated{part}: expected {data_size} bytes of data and a 2-byte CRC,"
                f" found {max(found, 0)}"
            )
        pos += header_size + data_size + 2
        count += 1
    if count == 0:
        raise IngestError("FIT file is empty")
    return count


def _decode_fast(data: bytes) -> Track | None:
    """Records read vectorised, every other message by the SDK; None when the file has a shape
    only the SDK reads (``ingest.decode.fit_records`` lists them)."""
    from ingest.decode.fit_records import Unsupported, split_records

    try:
        split = split_records(data)
        wanted = _sdk_messages(split.others, crc=False)  # the reader checked it
    except (Unsupported, IngestError):
        return None
    if wanted["record"]:  # records the reader did not see: never expected, but not guessed either
        return None
    shift, anchored = _time_shift(wanted)
    messages = _normalized(wanted, shift)
    return track_from_messages(messages, anchored, _columns_frame(split.columns, shift))


def _decode_with_sdk(data: bytes) -> Track:
    wanted = _sdk_messages(data)
    shift, anchored = _time_shift(wanted)
    return track_from_messages(_normalized(wanted, shift), anchored)


def _sdk_messages(data: bytes, *, crc: bool = True) -> Messages:
    from garmin_fit_sdk import Decoder, Stream

    messages: Any
    messages, errors = Decoder(Stream.from_byte_array(bytearray(data))).read(enable_crc_check=crc)
    if errors:
        raise IngestError(f"garmin-fit-sdk: {errors[0]}")
    return {name: list(messages.get(f"{name}_mesgs", [])) for name in _WANTED}


def _decode_with_fitparse(data: bytes) -> Track:
    import fitparse
    from fitparse import records

    wanted: Messages = {name: [] for name in _WANTED}
    with _FITPARSE_LOCK:  # fitparse keeps developer-field definitions in a module global
        records.DEV_TYPES = {}
        try:
            for message in fitparse.FitFile(data).get_messages(list(_WANTED)):
                wanted[message.name].append(_first_values(message.fields))
        except Exception as error:  # fitparse raises many kinds; all mean "cannot read"
            raise IngestError(f"fitparse: {type(error).__name__}: {error}") from error
        finally:
            records.DEV_TYPES = {}
    shift, anchored = _time_shift(wanted)
    return track_from_messages(_normalized(wanted, shift), anchored)


def _first_values(fields: Iterable[Any]) -> dict[str, Any]:
    """Field name -> first non-empty value (an invalid altitude can expand to a None later)."""
    values: dict[str, Any] = {}
    for field in fields:
        if field.value is not None and values.get(field.name) is None:
            values[field.name] = field.value
    return values


def _time_shift(messages: Messages) -> tuple[int | None, bool]:
    """(seconds to add to device-relative times, whether the shift is only anchored).

    A watch whose clock was not set writes device-relative times (< 0x10000000 s). When the file
    has a timestamp_correlation message, relative times are shifted by it; else when the activity
    message pairs such a time with an absolute local_timestamp, relative times are anchored to it
    (the local time is taken as UTC: the offset is unknown); otherwise they are dropped.
    """
    for corr in messages["timestamp_correlation"]:  # VIRB: system time <-> UTC, stated outright
        utc, system = (
            _fit_seconds(corr.get("timestamp")),
            _fit_seconds(corr.get("system_timestamp")),
        )
        if utc is not None and system is not None and system < _RELATIVE_LIMIT <= utc:
            return utc - system, False
    for activity in messages["activity"]:
        utc, local = (
            _fit_seconds(activity.get("timestamp")),
            _fit_seconds(activity.get("local_timestamp")),
        )
        if utc is not None and local is not None and utc < _RELATIVE_LIMIT <= local:
            return local - utc, True
    return None, False


def _normalized(messages: Messages, shift: int | None) -> Messages:
    """Times as tz-aware UTC datetimes (relative ones shifted or dropped, see _time_shift),
    local_timestamp as FIT seconds."""
    for rows in messages.values():
        for row in rows:
            local = _fit_seconds(row.get("local_timestamp"))
            if local is not None:
                row["local_timestamp"] = local
            for key in ("timestamp", "start_time"):
                seconds = _fit_seconds(row.pop(key, None))
                if seconds is not None and seconds < _RELATIVE_LIMIT:
                    seconds = None if shift is None else seconds + shift
                if seconds is not None:
                    row[key] = datetime.fromtimestamp(seconds + _FIT_EPOCH_S, UTC)
    return messages


def _fit_seconds(value: Any) -> int | None:
    if isinstance(value, datetime):
        aware = value if value.tzinfo else value.replace(tzinfo=UTC)
        return round(aware.timestamp()) - _FIT_EPOCH_S
    return value if isinstance(value, int) and not isinstance(value, bool) else None


def _combined_reason(sdk: str, fitparse: str) -> str:
    both = f"{sdk} {fitparse}".lower()
    if "crc" in both:
        return "CRC mismatch: the FIT file is corrupt"
    if "local message" in both:
        return "FIT data message uses an undefined local message type: the file is corrupt"
    return f"FIT file cannot be decoded ({sdk}; {fitparse})"


# Devices with a barometric altimeter, by the product name the FIT profile gives them. A heuristic:
# a name we know -> True; no altitude in any record -> False; anything else -> None (unknown).
_BAROMETRIC = re.compile(
    r"fenix|epix|enduro|instinct|tactix|quatix|descent|marq|fr9[1-9]\d|fr(6[2-4]5|7[0-9]5|645)"
    r"|vivo_?active|oregon|montana|gpsmap|etrex_?3|edge_?(5|8|10|15)\d\d|apex|vertix|baro",
    re.IGNORECASE,
)


def track_from_messages(
    messages: Messages, anchored: bool = False, frame: pd.DataFrame | None = None
) -> Track:
    """Records merged by timestamp (first non-empty value per field) plus the file's metadata;
    ``frame`` when the records were read into columns already (``_columns_frame``)."""
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


def _columns_frame(columns: dict[str, np.ndarray], shift: int | None) -> pd.DataFrame:
    """The frame _records_frame builds, from the columns fit_records read (FIT values)."""
    seconds = columns["timestamp"]
    relative = seconds < _RELATIVE_LIMIT
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
    epoch = (seconds + _FIT_EPOCH_S).astype(np.int64) * 1_000_000
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
    barometric = (True if _BAROMETRIC.search(name) else None) if has_altitude else False
    return Device(
        manufacturer=None if manufacturer is None else str(manufacturer),
        product=None if product is None else str(product),
        barometric=barometric,
    )


def _utc_offset(activities: list[dict[str, Any]]) -> int | None:
    for activity in activities:
        local, utc = activity.get("local_timestamp"), activity.get("timestamp")
        if isinstance(local, int) and isinstance(utc, datetime):
            return local + _FIT_EPOCH_S - int(utc.timestamp())
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
