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

import threading
from collections.abc import Iterable
from typing import Any

from ingest.decode.fit_time import Messages, normalized, time_shift
from ingest.decode.fit_track import columns_frame, track_from_messages
from ingest.decode.track import Track
from ingest.errors import IngestError

# The messages every reader hands on (as dicts by field name) to ``fit_track.track_from_messages``.
# A decoder of other messages (strength sets, say) adds their names here and to
# ``fit_records.KEEP`` (by global number) and reads them from the same ``Messages``.
WANTED = (
    "record",
    "session",
    "sport",
    "file_id",
    "device_info",
    "activity",
    "timestamp_correlation",
    "set",  # a strength activity's sets (fit_sets)
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
    shift, anchored = time_shift(wanted)
    messages = normalized(wanted, shift)
    return track_from_messages(messages, anchored, columns_frame(split.columns, shift))


def _decode_with_sdk(data: bytes) -> Track:
    wanted = _sdk_messages(data)
    shift, anchored = time_shift(wanted)
    return track_from_messages(normalized(wanted, shift), anchored)


def _sdk_messages(data: bytes, *, crc: bool = True) -> Messages:
    from garmin_fit_sdk import Decoder, Stream

    messages: Any
    messages, errors = Decoder(Stream.from_byte_array(bytearray(data))).read(enable_crc_check=crc)
    if errors:
        raise IngestError(f"garmin-fit-sdk: {errors[0]}")
    return {name: list(messages.get(f"{name}_mesgs", [])) for name in WANTED}


def _decode_with_fitparse(data: bytes) -> Track:
    import fitparse
    from fitparse import records

    wanted: Messages = {name: [] for name in WANTED}
    with _FITPARSE_LOCK:  # fitparse keeps developer-field definitions in a module global
        records.DEV_TYPES = {}
        try:
            for message in fitparse.FitFile(data).get_messages(list(WANTED)):
                wanted[message.name].append(_first_values(message.fields))
        except Exception as error:  # fitparse raises many kinds; all mean "cannot read"
            raise IngestError(f"fitparse: {type(error).__name__}: {error}") from error
        finally:
            records.DEV_TYPES = {}
    shift, anchored = time_shift(wanted)
    return track_from_messages(normalized(wanted, shift), anchored)


def _first_values(fields: Iterable[Any]) -> dict[str, Any]:
    """Field name -> first non-empty value (an invalid altitude can expand to a None later)."""
    values: dict[str, Any] = {}
    for field in fields:
        if field.value is not None and values.get(field.name) is None:
            values[field.name] = field.value
    return values


def _combined_reason(sdk: str, fitparse: str) -> str:
    both = f"{sdk} {fitparse}".lower()
    if "crc" in both:
        return "CRC mismatch: the FIT file is corrupt"
    if "local message" in both:
        return "FIT data message uses an undefined local message type: the file is corrupt"
    return f"FIT file cannot be decoded ({sdk}; {fitparse})"
