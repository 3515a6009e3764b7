"""Which logged sets look implausible against the athlete's own history of the lift. Pure.

Rule [D]: walking a lift's entries in date order (then as logged), an entry whose best set has an
Epley e1RM more than ``FACTOR`` (1.5) × the best e1RM of the lift's earlier accepted entries is
flagged: a typo (800 kg for 80) would otherwise set next week's load (D6). A flagged entry is not
history until the athlete confirms it; a confirmed one is. A lift's first entry has nothing to be
measured against and is never flagged; sets without a load or reps do not count.
"""

from __future__ import annotations

from collections.abc import Hashable, Sequence
from dataclasses import dataclass
from datetime import date

from recommender.catalogue import CATALOGUE
from recommender.progression import epley_e1rm
from recommender.types import StrengthSet

FACTOR = 1.5


@dataclass(frozen=True)
class Logged:
    key: Hashable  # the entry's id
    date: date
    exercise: str
    sets: Sequence[StrengthSet]
    confirmed: bool = False


def best_set(sets: Sequence[StrengthSet]) -> tuple[float, StrengthSet] | None:
    """(e1RM, set) of the set with the highest Epley e1RM, or None without a loaded set."""
    loaded = [(epley_e1rm(s.load_kg, s.reps), s) for s in sets if s.load_kg and s.reps > 0]
    return max(loaded, key=lambda pair: pair[0]) if loaded else None


def implausible(entries: Sequence[Logged]) -> dict[Hashable, str]:
    """Flagged entries (key → why), confirmed ones included (they stay explained)."""
    flags: dict[Hashable, str] = {}
    best: dict[str, float] = {}
    order = sorted(range(len(entries)), key=lambda i: (entries[i].date, i))
    for i in order:
        entry = entries[i]
        found = best_set(entry.sets)
        if found is None:
            continue
        e1rm, top = found
        before = best.get(entry.exercise)
        if before is not None and e1rm > FACTOR * before:
            name = CATALOGUE[entry.exercise].name if entry.exercise in CATALOGUE else entry.exercise
            flags[entry.key] = (
                f"{top.load_kg:g} kg × {top.reps} is an e1RM of {e1rm:.0f} kg, more than "
                f"{FACTOR:g} × the best {name} logged before ({before:.0f} kg)"
            )
            if not entry.confirmed:
                continue
        best[entry.exercise] = max(e1rm, before or 0.0)
    return flags
