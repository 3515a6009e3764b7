"""Strength volume in one unit that weights each set by its intensity: "hard-set equivalents".

Used for "change vs last week" and for the cuts R1/L2/L4 report. Choices [D]:
- A loaded set prescribed by %1RM counts ``percent / 100`` (a squat set at 85 % = 0.85); a set
  with an RPE counts ``RPE / 10`` (a split squat at RPE 8 = 0.8).
- Plyometrics count per foot contact: 0.02 low (pogo hops), 0.03 moderate (bounds, box jumps),
  0.05 high (drop jumps): 10 pogo hops = 0.2, 5 drop jumps = 0.25.
- Other work: a timed leg set (60-s walking lunges, wall sit) 0.5; bodyweight reps (dead bug,
  Pallof press) 0.3; timed balance/core 0.2; mobility 0.1 whatever its length: a 300-s hip
  mobility flow is not a squat set.
"""

from __future__ import annotations

from collections.abc import Iterable

from recommender.catalogue import exercise
from recommender.types import ExerciseRx, Session

PER_CONTACT = {"low": 0.02, "moderate": 0.03, "high": 0.05}


def set_weight(
    exercise_id: str,
    *,
    reps: int | None,
    seconds: int | None,
    percent: float | None,
    rpe: float | None,
) -> float:
    """One set's weight in hard-set equivalents (see the module doc)."""
    ex = exercise(exercise_id)
    if ex.plyo_intensity is not None:
        return PER_CONTACT[ex.plyo_intensity] * (reps or 0) * max(ex.contacts_per_rep, 1)
    if "mobility" in ex.categories:
        return 0.1
    if percent is not None:
        return percent / 100.0
    if rpe is not None:
        return rpe / 10.0
    if seconds is not None:
        return 0.5 if ex.leg_strength and ex.focus != "balance" else 0.2
    return 0.3


def rx_volume(exercises: Iterable[ExerciseRx]) -> float:
    return sum(
        e.sets * set_weight(e.id, reps=e.reps, seconds=e.seconds, percent=e.percent_1rm, rpe=e.rpe)
        for e in exercises
    )


def week_volume(sessions: Iterable[Session]) -> float:
    """The week's strength volume in hard-set equivalents, one decimal."""
    return round(sum(rx_volume(s.exercises) for s in sessions), 1)
