"""GPX point times: gpxpy's datetimes to UTC, bogus ones dropped, missing ones interpolated.

Times before 1980 or after 2100 are bogus (``samples.EARLIEST``/``LATEST``), as is a mangled zone;
a point without a usable time gets one interpolated by distance between the timed points around it,
and points before the first or after the last timed point are dropped.

A point whose time steps back up to ``BACKSTEP_S`` behind the latest time before it, and all but
one of a run of points sharing one timestamp, are real positions with wrong times (Sports Tracker
flushes runs of points under one timestamp, the next a second early): their times are dropped and
interpolated by distance like missing ones, so the points keep the order they were walked in and
the run keeps its moving time. The stamp of a run goes to its middle point: it may belong to the
first point (a clock that stuck) or to the last (a batch written late); the middle halves the error
either way. A larger step back is left to the sort by time.
"""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any, cast

import numpy as np
import pandas as pd

from ingest.decode.samples import EARLIEST, EARLIEST_US, LATEST, LATEST_US


def utc_times(times: list[datetime | None]) -> pd.Series:
    """The usable times (``usable``) as UTC, NaT where unusable. gpxpy's times are naive or carry
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
            return utc_times_one_by_one(times)
    try:  # pandas converts datetime objects in C (numpy's np.array(..., "datetime64") is slower)
        naive = pd.to_datetime(cast(Any, wall)).as_unit("us").to_numpy()
    except (ValueError, OverflowError):  # a year pandas cannot hold: never usable anyway
        return utc_times_one_by_one(times)
    offset = np.array(minutes, dtype=np.int64)
    valid = np.abs(offset) < 1440  # datetime refuses an offset of a day or more
    utc = naive - np.where(valid, offset, 0).astype("timedelta64[m]")
    usable_ = valid & (utc >= EARLIEST_US) & (utc < LATEST_US)  # NaT compares False
    if not usable_.any():
        return utc_times_one_by_one(times)
    utc[~usable_] = np.datetime64("NaT")
    return pd.Series(utc).dt.tz_localize(UTC)


def utc_times_one_by_one(times: list[datetime | None]) -> pd.Series:
    return pd.to_datetime(pd.Series([usable(t) for t in times], dtype=object), utc=True)


def usable(time: datetime | None) -> datetime | None:
    if time is None:
        return None
    try:  # a mangled zone (gpxpy accepts "+99:00" and other oddities) makes the time unusable
        aware = (time if time.tzinfo else time.replace(tzinfo=UTC)).astimezone(UTC)
    except (ValueError, OverflowError):
        return None
    return aware if EARLIEST <= aware < LATEST else None


BACKSTEP_S = 2.0


def untrusted_times(times: pd.Series) -> np.ndarray:
    """Which points' times to drop and interpolate (see the module doc): file order."""
    seconds = (times - pd.Timestamp(0, tz=UTC)).dt.total_seconds().to_numpy(dtype=float)
    known = np.where(np.isnan(seconds), -np.inf, seconds)
    latest = np.concatenate([[-np.inf], np.maximum.accumulate(known)[:-1]])
    with np.errstate(invalid="ignore"):
        back = (seconds < latest) & (seconds >= latest - BACKSTEP_S)
    stamped = np.flatnonzero(~back & ~np.isnan(seconds))
    if len(stamped) == len(np.unique(seconds[stamped])):
        return np.asarray(back)
    order = stamped[np.argsort(seconds[stamped], kind="stable")]  # runs together, file order
    _, first, count = np.unique(seconds[order], return_index=True, return_counts=True)
    untrusted = back.copy()
    untrusted[order] = True
    untrusted[order[first + (count - 1) // 2]] = False  # each stamp kept at its run's middle
    return np.asarray(untrusted)


def interpolate_times(frame: pd.DataFrame, timed: pd.Series) -> str:
    """Fill ``frame``'s missing times by distance between timed points (NaT outside them, for the
    caller to drop); the note saying what was done."""
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
