"""Partial recovery of a FIT file whose watch stopped writing mid-file (the battery died).

Policy: a single FIT file (no chained files) with a valid header, whose messages, walked from the
header, run past the end of the bytes there are (the header promises more than the file has, or the
last message crosses the declared end), is kept up to the end of its last complete message: those
bytes are resealed (header data size and CRC recomputed) and decoded as usual, and the track says
"recovered: file truncated at byte N; CRC not verified". Everything else stays refused: a file
whose messages end exactly where the header says (then a CRC mismatch is corruption, not
truncation), a corrupt header, a message of an undefined local type before the cut, a header that
declares more data than any file legday accepts, or nothing complete before the cut.
"""

from __future__ import annotations

from ingest.decode.fit_crc import crc16

MAX_DECLARED = 256 * 1024 * 1024  # the pipeline's inflated-size cap: no real file declares more


def truncated_prefix(data: bytes) -> tuple[bytes, int] | None:
    """(a resealed FIT file of the complete messages, the byte where they end), or None when
    ``data`` is not a truncated single FIT file under the policy above."""
    if len(data) < 12 or data[0] not in (12, 14) or data[8:12] != b".FIT":
        return None
    header_size, declared = data[0], int.from_bytes(data[4:8], "little")
    if declared == 0 or declared > MAX_DECLARED:
        return None
    limit = min(header_size + declared, len(data))
    cut = _last_complete(data, header_size, limit)
    if cut is None or cut <= header_size:
        return None
    head = bytearray(data[:header_size])
    head[4:8] = (cut - header_size).to_bytes(4, "little")
    if header_size == 14:
        head[12:14] = b"\0\0"  # header CRC 0: not computed, as the protocol allows
    sealed = bytes(head) + data[header_size:cut]
    return sealed + crc16(sealed).to_bytes(2, "little"), cut


def _last_complete(data: bytes, pos: int, limit: int) -> int | None:
    """Where the last complete message ends when a message crosses ``limit``; None when the
    messages end exactly at ``limit`` or one uses an undefined local message type."""
    sizes: dict[int, int] = {}  # local message type -> data message size (header byte excluded)
    data_seen = False
    while pos < limit:
        head = data[pos]
        if head & 0x80:  # compressed timestamp header: local type in bits 5-6
            size = sizes.get((head >> 5) & 0x03)
            stop = None if size is None else pos + 1 + size
            data_seen = True
        elif head & 0x40:  # definition message
            if pos + 6 > limit:
                return pos if data_seen else None
            count = data[pos + 5]
            fields_end = pos + 6 + 3 * count
            if fields_end > limit:
                return pos if data_seen else None
            size = sum(data[pos + 7 : fields_end : 3])
            stop = fields_end
            if head & 0x20:  # developer fields
                if stop + 1 > limit:
                    return pos if data_seen else None
                dev_end = stop + 1 + 3 * data[stop]
                if dev_end > limit:
                    return pos if data_seen else None
                size += sum(data[stop + 2 : dev_end : 3])
                stop = dev_end
            sizes[head & 0x0F] = size
        else:
            size = sizes.get(head & 0x0F)
            stop = None if size is None else pos + 1 + size
            data_seen = True
        if stop is None:
            return None  # an undefined local message type: corrupt, not truncated
        if stop > limit:
            return pos if data_seen else None
        pos = stop
    return None  # the messages end exactly at the limit: nothing was cut
