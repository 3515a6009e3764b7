"""D7, the new-to-lifting ramp (RULES.md D7): a novice's first 2 weeks of logged strength [D].

Weeks 1–2 (``experience == "novice"`` with < 2 athlete-weeks of logged strength, as the schedule
reads it): every exercise of every session ≤ 2 sets (core, balance and jumps included), RPE ≤ 7
and main lifts at ≤ the %1RM that leaves 3 reps in reserve, plyometrics low-level only at ≤ 50 %
of the session's template contacts, and no eccentric-emphasis items (D5 waits until week 3: an
unaccustomed eccentric bout is what makes the novice's DOMS, Doma 2019). A trained lifter whose
log starts in legday is not ramped.
"""

from __future__ import annotations

import math
from dataclasses import replace

from recommender.catalogue import exercise
from recommender.modulation import Items, Step, contacts, main_sets, without
from recommender.progression import percent_for_reps
from recommender.taper import drop_one_plyo_set
from recommender.types import DoseInputs, RationaleEntry

RAMP_WEEKS = 2
RAMP_SETS = 2
RAMP_PLYO_SHARE = 0.5


def in_ramp(inputs: DoseInputs) -> bool:
    return inputs.experience == "novice" and inputs.strength_weeks < RAMP_WEEKS


def ramp_items(items: Items) -> Items:
    """Any session's items under D7 (no rationale: the heavy day's note covers the week)."""
    template = contacts(items)
    out: list = []
    for i in items:
        if i.role == "plyo" and exercise(i.id).plyo_intensity != "low":
            continue
        if i.role == "eccentric":
            continue
        i = replace(i, sets=min(i.sets, RAMP_SETS))
        if i.role not in ("keep", "plyo"):
            i = replace(i, rpe=min(i.rpe or 7.0, 7.0))
        if i.role == "main" and i.percent is not None and i.reps is not None:
            cap = math.floor(percent_for_reps(i.reps + 3) / 2.5) * 2.5  # ≥ 3 reps in reserve
            i = replace(i, percent=min(i.percent, cap))
        out.append(i)
    new = tuple(out)
    while contacts(new) > RAMP_PLYO_SHARE * template:
        new = drop_one_plyo_set(new)
    return without(new, lambda i: i.role == "plyo" and i.sets == 0)


def novice_ramp(items: Items, inputs: DoseInputs) -> Step:
    """D7 on the heavy day, with its rationale line."""
    if not in_ramp(inputs):
        return items, None
    new = ramp_items(items)
    text = (
        f"{inputs.strength_weeks} week(s) of strength history (< 2) → every exercise ≤ 2 sets "
        f"({main_sets(items)}→{main_sets(new)} on the main lifts), RPE ≤ 7 (≥ 3 reps in reserve), "
        f"plyo low-level only {contacts(items)}→{contacts(new)} contacts (≤ 50 %), no drop jumps, "
        "no eccentric-emphasis items yet"
    )
    return new, RationaleEntry("D7", text)
