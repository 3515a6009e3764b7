"""FIT times: seconds since the FIT epoch to tz-aware UTC, and files whose watch clock was not set.

A watch whose clock was not set writes device-relative times (below ``RELATIVE_LIMIT`` seconds).
When the file has a timestamp_correlation message, relative times are shifted by it; else when the
activity message pairs such a time with an absolute local_timestamp, relative times are anchored to
it (the local time is taken as UTC: the offset is unknown); otherwise they are dropped.
"""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any

Messages = dict[str, list[dict[str, Any]]]

FIT_EPOCH_S = 631065600  # 1989-12-31T00:00:00Z
RELATIVE_LIMIT = 0x10000000  # FIT times below this are seconds since the device powered on


def time_shift(messages: Messages) -> tuple[int | None, bool]:
    """(seconds to add to device-relative times, whether the shift is only anchored): see the
    module doc."""
    for corr in messages["timestamp_correlation"]:  # VIRB: system time <-> UTC, stated outright
        utc, system = (
            fit_seconds(corr.get("timestamp")),
            fit_seconds(corr.get("system_timestamp")),
        )
        if utc is not None and system is not None and system < RELATIVE_LIMIT <= utc:
            return utc - system, False
    for activity in messages["activity"]:
        utc, local = (
            fit_seconds(activity.get("timestamp")),
            fit_seconds(activity.get("local_timestamp")),
        )
        if utc is not None and local is not None and utc < RELATIVE_LIMIT <= local:
            return local - utc, True
    return None, False


def normalized(messages: Messages, shift: int | None) -> Messages:
    """Times as tz-aware UTC datetimes (relative ones shifted or dropped, see time_shift),
    local_timestamp as FIT seconds."""
    for rows in messages.values():
        for row in rows:
            local = fit_seconds(row.get("local_timestamp"))
            if local is not None:
                row["local_timestamp"] = local
            for key in ("timestamp", "start_time"):
                seconds = fit_seconds(row.pop(key, None))
                if seconds is not None and seconds < RELATIVE_LIMIT:
                    seconds = None if shift is None else seconds + shift
                if seconds is not None:
                    row[key] = datetime.fromtimestamp(seconds + FIT_EPOCH_S, UTC)
    return messages


def fit_seconds(value: Any) -> int | None:
    if isinstance(value, datetime):
        aware = value if value.tzinfo else value.replace(tzinfo=UTC)
        return round(aware.timestamp()) - FIT_EPOCH_S
    return value if isinstance(value, int) and not isinstance(value, bool) else None
