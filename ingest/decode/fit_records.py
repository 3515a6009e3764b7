"""A vectorised reader for the FIT record messages (the samples: 95 % of an activity file).

One pass over the message headers finds where each record starts; the record fields legday uses are
then read for all records at once with numpy. The other messages legday reads (file_id, sport,
session, device_info, activity, timestamp_correlation; a strength activity's set and workout_step)
are copied, with every definition, into a small FIT file for the Garmin SDK, so the metadata is
decoded exactly as before; messages legday
never reads (hrv, gps_metadata, sensor data, ...) are dropped, not decoded. Record values match the
SDK's: scale and offset applied the same way, invalid values as missing, and ``altitude`` expanded
into ``enhanced_altitude`` (so altitude wins when a record has both, as with the SDK).

Files of any other shape raise Unsupported, and the caller decodes them with the SDK as before:
chained files, a bad CRC, compressed timestamp headers (the SDK refuses those), hr messages (the SDK
merges them into the records), compressed speed/distance (it accumulates into distance), and a
record field written with another base type or as an array.
"""

from __future__ import annotations

from dataclasses import dataclass, field

import numpy as np

from ingest.decode.fit_crc import crc16

RECORD, HR = 20, 132
# the messages decode.fit reads besides records: file_id, sport, session, device_info, activity,
# timestamp_correlation, and a strength activity's set and workout_step (fit_sets); the rest (hrv,
# gps_metadata, sensor data, ...) is never decoded
KEEP = frozenset({0, 12, 18, 23, 34, 162, 225, 27})
COMPRESSED_SPEED_DISTANCE = 8
# field number -> (column, base type, invalid value, scale, offset), as the FIT profile has them
FIELDS: dict[int, tuple[str, int, int, float, float]] = {
    253: ("timestamp", 0x86, 0xFFFFFFFF, 1.0, 0.0),
    0: ("position_lat", 0x85, 0x7FFFFFFF, 1.0, 0.0),
    1: ("position_long", 0x85, 0x7FFFFFFF, 1.0, 0.0),
    2: ("altitude", 0x84, 0xFFFF, 5.0, 500.0),
    3: ("heart_rate", 0x02, 0xFF, 1.0, 0.0),
    5: ("distance", 0x86, 0xFFFFFFFF, 100.0, 0.0),
    78: ("enhanced_altitude", 0x86, 0xFFFFFFFF, 5.0, 500.0),
}
_CODES = {0x86: "u4", 0x85: "i4", 0x84: "u2", 0x02: "u1"}


class Unsupported(Exception):
    """A shape this reader leaves to the SDK."""


@dataclass
class _Definition:
    global_num: int
    size: int  # of a data message, header byte excluded, developer fields included
    dtype: np.dtype | None = None  # the wanted record fields (records only)
    starts: list[int] = field(default_factory=list)  # where each record's data begins


@dataclass(frozen=True)
class Split:
    columns: dict[str, np.ndarray]  # float64 per column, file order, NaN where invalid or absent
    others: bytes  # a FIT file of the definitions and the KEEP messages


def split_records(data: bytes) -> Split:
    header_size, data_size = data[0], int.from_bytes(data[4:8], "little")
    end = header_size + data_size
    if len(data) != end + 2:
        raise Unsupported("chained or trailing data")
    if crc16(memoryview(data)[:end]) != int.from_bytes(data[end:], "little"):
        raise Unsupported("CRC mismatch")
    try:
        records, others = _scan(data, header_size, end)
    except IndexError:
        raise Unsupported("a definition runs past the data") from None
    head = bytes([12, data[1]]) + data[2:4] + len(others).to_bytes(4, "little") + b".FIT"
    return Split(_columns(data, records), head + bytes(others) + b"\0\0")


def _scan(data: bytes, header_size: int, end: int) -> tuple[list[_Definition], bytearray]:
    """Record definitions (with where each record starts), and every other message's bytes."""
    local: dict[int, _Definition] = {}
    records: list[_Definition] = []
    others = bytearray()
    pos = header_size
    while pos < end:
        head = data[pos]
        if head & 0x80:
            raise Unsupported("compressed timestamp header")
        if head & 0x40:
            definition, stop = _definition(data, pos, head)
            if stop > end:
                raise Unsupported("definition overruns the data")
            local[head & 0x0F] = definition
            if definition.dtype is not None:
                records.append(definition)
            others += data[pos:stop]
            pos = stop
            continue
        found = local.get(head & 0x0F)
        if found is None:
            raise Unsupported("undefined local message type")
        stop = pos + 1 + found.size
        if found.dtype is not None:
            found.starts.append(pos + 1)
        elif found.global_num in KEEP:
            others += data[pos:stop]
        pos = stop
    if pos != end:
        raise Unsupported("last message overruns the data")
    return records, others


def _definition(data: bytes, pos: int, head: int) -> tuple[_Definition, int]:
    big = data[pos + 2] != 0
    global_num = int.from_bytes(data[pos + 3 : pos + 5], "big" if big else "little")
    count, at, offset = data[pos + 5], pos + 6, 0
    names, formats, offsets = [], [], []
    for _ in range(count):
        number, size, base = data[at], data[at + 1], data[at + 2]
        if global_num == RECORD and number == COMPRESSED_SPEED_DISTANCE:
            raise Unsupported("compressed speed/distance")
        wanted = FIELDS.get(number) if global_num == RECORD else None
        if wanted is not None:
            code = _CODES[wanted[1]]
            if base != wanted[1] or size != int(code[1]) or wanted[0] in names:
                raise Unsupported(f"record field {number} has base type {base:#x}, size {size}")
            names.append(wanted[0])
            formats.append((">" if big else "<") + code)
            offsets.append(offset)
        offset, at = offset + size, at + 3
    if head & 0x20:  # developer fields
        for _ in range(data[at]):
            offset += data[at + 2]
            at += 3
        at += 1
    if global_num == HR:
        raise Unsupported("hr messages")
    definition = _Definition(global_num, offset)
    if global_num == RECORD:
        layout = {"names": names, "formats": formats, "offsets": offsets, "itemsize": offset}
        definition.dtype = np.dtype(layout)  # type: ignore[call-overload]
    return definition, at


def _columns(data: bytes, definitions: list[_Definition]) -> dict[str, np.ndarray]:
    parts = [np.asarray(d.starts, dtype=np.int64) for d in definitions]
    starts = np.concatenate(parts) if parts else np.zeros(0, dtype=np.int64)
    order = np.argsort(starts, kind="stable")
    raw = np.frombuffer(data, dtype=np.uint8)
    columns = {name: np.full(len(starts), np.nan) for name, *_ in FIELDS.values()}
    first = 0
    for d in definitions:
        count = len(d.starts)
        assert d.dtype is not None
        if count and d.dtype.names:
            index = np.asarray(d.starts, dtype=np.int64)[:, None] + np.arange(d.size)
            values = raw[index].view(d.dtype).reshape(count)
            for name, _, invalid, scale, offset in FIELDS.values():
                if name in d.dtype.names:
                    column = values[name].astype(np.int64)
                    scaled = column / scale - offset if scale != 1.0 else column.astype(float)
                    scaled[column == invalid] = np.nan
                    columns[name][first : first + count] = scaled
        first += count
    return {name: column[order] for name, column in columns.items()}
