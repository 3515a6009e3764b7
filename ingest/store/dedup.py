"""The cross-source duplicate rule: the same activity arriving from another source (the watch's FIT
and Garmin Connect's GPX of it). Pure: the store fetches the candidates and applies the decision.

Two activities of one athlete are the same when they start within ``START_TOLERANCE_S`` and their
durations and distances agree within ``RELATIVE_TOLERANCE`` — and both are on foot or neither is:
a strength session (no distance) is never the same activity as a run, even one whose watch
recorded no distance. The richer one is primary (FIT over TCX over GPX: the watch's own file,
then an export that keeps the device's distance and laps, then one that keeps positions only;
then a barometric altimeter, then heart rate, then more samples); the others point at it and
are left out of every total.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime

from ingest.measure.summary import ON_FOOT

START_TOLERANCE_S = 180.0
RELATIVE_TOLERANCE = 0.10


@dataclass(frozen=True)
class DedupKey:
    """What the rule needs of an activity (``id`` is None for the newcomer)."""

    id: int | None
    start: datetime
    duration_s: float
    distance_m: float
    format: str
    samples: int = 0
    has_hr: bool = False
    barometric: bool | None = None
    duplicate_of: int | None = None
    sport: str | None = None  # the sport class (ingest.measure.summary.Sport)


@dataclass(frozen=True)
class DedupDecision:
    """``duplicate_of``: the id the newcomer points at (None: it is primary).
    ``repoint``: ids of stored activities that must now point at the newcomer."""

    duplicate_of: int | None = None
    repoint: tuple[int, ...] = ()


def _close(a: float, b: float) -> bool:
    big = max(abs(a), abs(b))
    return big == 0 or abs(a - b) <= RELATIVE_TOLERANCE * big


def same_activity(a: DedupKey, b: DedupKey) -> bool:
    if a.sport is not None and b.sport is not None and (a.sport in ON_FOOT) != (b.sport in ON_FOOT):
        return False
    return (
        abs((a.start - b.start).total_seconds()) <= START_TOLERANCE_S
        and _close(a.duration_s, b.duration_s)
        and _close(a.distance_m, b.distance_m)
    )


FORMAT_RANK = {"fit": 2, "tcx": 1, "gpx": 0}


def richness(key: DedupKey) -> tuple[int, int, int, int]:
    rank = FORMAT_RANK.get(key.format, 0)
    return (rank, int(bool(key.barometric)), int(key.has_hr), key.samples)


def decide(new: DedupKey, stored: Sequence[DedupKey]) -> DedupDecision:
    """Where the newcomer goes among ``stored`` (the athlete's activities near its start)."""
    primaries = [s for s in stored if s.duplicate_of is None and s.id is not None]
    matches = [s for s in primaries if same_activity(new, s)]
    if not matches:
        return DedupDecision()
    match = min(matches, key=lambda s: abs((s.start - new.start).total_seconds()))
    assert match.id is not None
    if richness(new) > richness(match):
        group = [match.id] + [s.id for s in stored if s.duplicate_of == match.id and s.id]
        return DedupDecision(duplicate_of=None, repoint=tuple(group))
    return DedupDecision(duplicate_of=match.id)
