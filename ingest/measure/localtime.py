"""Which UTC offset an activity's local date uses.

1. The file's own offset, rounded to the nearest quarter hour (offsets are whole quarter hours; the
   corpus has 225 s, which becomes 0, and 7320 s, which becomes 7200 — a local_timestamp written a
   few seconds or minutes off its UTC timestamp).
2. When the file states none — or states 0, which COROS writes whatever the zone — the time zone
   at the first position (timezonefinder, offline), at the start instant. A stated 0 gives way only
   when the position's zone is not at UTC+0 then.
3. Else the athlete's time zone (IANA name from the profile).
"""

from __future__ import annotations

from datetime import date, datetime, timedelta
from functools import lru_cache
from zoneinfo import ZoneInfo

from timezonefinder import TimezoneFinder

QUARTER_HOUR_S = 900


def round_to_quarter_hour(offset_s: float) -> int:
    return round(offset_s / QUARTER_HOUR_S) * QUARTER_HOUR_S


@lru_cache(maxsize=1)
def _finder() -> TimezoneFinder:
    """Built once per process, on first use: it takes a while to load."""
    return TimezoneFinder()


def zone_at(lat: float, lon: float) -> str | None:
    """The IANA time zone at a position, offline."""
    return _finder().timezone_at(lng=lon, lat=lat)


def offset_in_zone(zone: str, instant: datetime) -> int:
    offset = instant.astimezone(ZoneInfo(zone)).utcoffset()
    return int(offset.total_seconds()) if offset is not None else 0


def resolve_offset(
    start: datetime,
    file_offset_s: float | None,
    position: tuple[float, float] | None,
    athlete_zone: str,
) -> tuple[int, str]:
    """The UTC offset to use and a note saying where it came from."""
    stated = None if file_offset_s is None else round_to_quarter_hour(file_offset_s)
    if stated is not None and stated != 0:
        return stated, "UTC offset from the file"
    zone = zone_at(*position) if position is not None else None
    if zone is not None:
        by_position = offset_in_zone(zone, start)
        if stated is None:
            return by_position, f"UTC offset from the start position ({zone})"
        if by_position != 0:
            return by_position, f"file states UTC+0; the start position ({zone}) says otherwise"
    if stated is not None:
        return stated, "UTC offset from the file"
    return offset_in_zone(
        athlete_zone, start
    ), f"UTC offset from the athlete's zone ({athlete_zone})"


def local_date(start: datetime, offset_s: int) -> date:
    return (start + timedelta(seconds=offset_s)).date()
