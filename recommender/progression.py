"""Progressive overload and tracked weights (RULES.md D6): e1RM, %1RM↔reps, the 2-for-2 rule.

Choices [D], documented here and tested:
- A lift's history is its logged sessions with a load, before the planned week, oldest first.
- Tracking: when the latest session's working reps (fewest reps at the top load) are within ±2 of
  this week's target reps, next week's load starts from the last logged top load (track the weight
  week to week); otherwise (a new rep band, e.g. base → build) it is e1RM × target %.
  e1RM is the best Epley estimate of the latest session.
- 2-for-2: the last set of each of the latest two sessions, at the current top load, has
  ≥ target + 2 reps → +2.5 % (trained) / +5 % (novice), rounded to the nearest 2.5 kg, at least
  +2.5 kg.
  (NSCA: 2–5 % trained, 5–10 % novice; we take the low end.)
- A gap: whole calendar weeks (the athlete's weeks) with no lifting at all before the planned week
  (``recommender.comeback.weeks_without_lifting``; not ``days // 7 − 1`` of this lift, which gave
  −5 % or 0 % for the same two missed sessions depending on the weekday of the last lift, and
  detrained a lift that only rotated out). ≤ 1 week off → loads kept (< 1 wk cessation keeps
  strength); 2 weeks → −5 %; ≥ 3 → −10 %. A gap also freezes progression.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date
from typing import Literal

from recommender.types import StrengthEntry

PLATE_KG = 2.5
INCREMENT = {"trained": 0.025, "novice": 0.05}


def epley_e1rm(load_kg: float, reps: int) -> float:
    """Epley: e1RM = w (1 + r / 30)."""
    return load_kg * (1.0 + reps / 30.0)


def brzycki_e1rm(load_kg: float, reps: int) -> float:
    """Brzycki: e1RM = w · 36 / (37 − r); reliable up to ≈ 10 reps."""
    if reps >= 37:
        raise ValueError("Brzycki is undefined from 37 reps")
    return load_kg * 36.0 / (37.0 - reps)


def reps_at_percent(percent: float) -> float:
    """Reps to failure at `percent` of 1RM (Epley inverted): r = 30 (1/p − 1)."""
    return 30.0 * (100.0 / percent - 1.0)


def percent_for_reps(reps: float) -> float:
    """%1RM that allows exactly `reps` reps to failure (Epley): p = 1 / (1 + r/30)."""
    return 100.0 / (1.0 + reps / 30.0)


def round_to_plate(load_kg: float, step: float = PLATE_KG) -> float:
    """Nearest multiple of `step` (half-way rounds up)."""
    return math.floor(load_kg / step + 0.5) * step


def lift_history(log: Sequence[StrengthEntry], exercise: str, before: date) -> list[StrengthEntry]:
    """Sessions of `exercise` with a loaded set of ≥ 1 rep, before `before`, oldest first."""
    rows = [
        e
        for e in log
        if e.exercise == exercise
        and e.date < before
        and any(s.load_kg and s.reps > 0 for s in e.sets)
    ]
    return sorted(rows, key=lambda e: e.date)


def top_load(entry: StrengthEntry) -> float:
    return max(s.load_kg or 0.0 for s in entry.sets)


def working_reps(entry: StrengthEntry) -> int:
    top = top_load(entry)
    return min(s.reps for s in entry.sets if (s.load_kg or 0.0) == top)


def best_e1rm(entry: StrengthEntry) -> float:
    return max(epley_e1rm(s.load_kg, s.reps) for s in entry.sets if s.load_kg and s.reps > 0)


def two_for_two(history: Sequence[StrengthEntry], target_reps: int) -> bool:
    """NSCA 2-for-2: ≥ 2 reps beyond target in the last set of 2 consecutive sessions."""
    if len(history) < 2:
        return False
    last, previous = history[-1], history[-2]
    load = top_load(last)
    return all(top_load(e) >= load and e.sets[-1].reps >= target_reps + 2 for e in (previous, last))


def progressed_load(load_kg: float, experience: Literal["novice", "trained"]) -> float:
    """The next load after a 2-for-2: +2.5 % / +5 %, on 2.5-kg plates, at least one step."""
    return max(round_to_plate(load_kg * (1.0 + INCREMENT[experience])), load_kg + PLATE_KG)


def detraining_pct(off: int) -> float:
    return 0.0 if off <= 1 else 5.0 if off == 2 else 10.0


@dataclass(frozen=True)
class LoadRx:
    load_kg: float | None
    percent_1rm: float
    how: str  # the numbers behind the load, for the rationale
    progressed: bool = False
    detrained_pct: float = 0.0


def main_lift_load(
    history: Sequence[StrengthEntry],
    *,
    target_reps: int,
    target_pct: float,
    experience: Literal["novice", "trained"],
    weeks_off: int,
    freeze: str | None,
) -> LoadRx:
    """Load for a main lift: kg when the log knows the lift, else the target %1RM (D6)."""
    if not history:
        return LoadRx(None, target_pct, f"no log → {target_pct:g} % 1RM")
    last = history[-1]
    e1rm = best_e1rm(last)
    off = weeks_off
    cut = detraining_pct(off)
    if abs(working_reps(last) - target_reps) > 2:
        load = round_to_plate(e1rm * target_pct / 100.0 * (1 - cut / 100.0))
        how = f"e1RM {e1rm:.1f} kg × {target_pct:g} % → {load:g} kg"
        return LoadRx(load, _pct(load, e1rm), how, detrained_pct=cut)
    load = top_load(last)
    if cut:
        new = round_to_plate(load * (1 - cut / 100.0))
        how = f"{off} weeks off → last {load:g} kg −{cut:g} % = {new:g} kg"
        return LoadRx(new, _pct(new, e1rm), how, detrained_pct=cut)
    if two_for_two(history, target_reps):
        if freeze:
            return LoadRx(load, _pct(load, e1rm), f"2-for-2 met, held at {load:g} kg ({freeze})")
        new = progressed_load(load, experience)
        how = f"2-for-2 (≥ {target_reps + 2} reps twice) → {load:g} → {new:g} kg"
        return LoadRx(new, _pct(new, e1rm), how, progressed=True)
    return LoadRx(load, _pct(load, e1rm), f"kept at last {load:g} kg")


def _pct(load: float, e1rm: float) -> float:
    return round(100.0 * load / e1rm, 1)
