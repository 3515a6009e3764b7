"""The B/C-race mini-taper cut of a heavy day (RULES.md §6, B/C races) [D]."""

from __future__ import annotations

from dataclasses import replace

from recommender.catalogue import exercise
from recommender.modulation import (
    Items,
    contacts,
    cut_sets,
    is_eccentric,
    main_sets,
    round_half_up,
    without,
)
from recommender.phase import MINI_TAPER_CONTACTS, MINI_TAPER_HEAVY_CONTACTS
from recommender.types import DoseInputs, RationaleEntry


def mini_taper_cut(
    items: Items, inputs: DoseInputs, days_to_race: int
) -> tuple[Items, RationaleEntry]:
    """B/C race within 7 days of the heavy day → the 1-week mini-taper (RULES §6, B/C races):
    heavy volume −50 % (an accessory left with 1 set is left out), no drop/depth jumps (low-
    intensity jumps only), no eccentric-emphasis work, ≤ MINI_TAPER_HEAVY_CONTACTS contacts on the
    heavy day (the light days of the window get none, so the 7 days before the race hold ≤ 30)."""
    kept = without(
        items,
        lambda i: is_eccentric(i) or (i.role == "plyo" and exercise(i.id).plyo_intensity != "low"),
    )
    new = cut_sets(kept, lambda s: round_half_up(s * 0.5))
    new = without(new, lambda i: i.role == "leg" and i.sets <= 1)  # a token set: left out
    while contacts(new) > MINI_TAPER_HEAVY_CONTACTS:
        new = drop_one_plyo_set(new)
    race = inputs.phase.next_race
    name = race.name if race else "race"
    text = (
        f"{race.priority if race else ''} race '{name}' {days_to_race} days after the heavy day"
        f" → 1-week mini-taper: heavy volume −50 % ({main_sets(items)}→{main_sets(new)} sets), "
        f"no drop jumps, no eccentric-emphasis work, plyo {contacts(items)}→{contacts(new)} "
        f"low-intensity contacts (≤ {MINI_TAPER_CONTACTS} in the 7 days before the race; "
        "light days in that week without jumps), no progression"
    )
    return new, RationaleEntry("P4", text)


def drop_one_plyo_set(items: Items) -> Items:
    last = max((n for n, i in enumerate(items) if i.role == "plyo"), default=None)
    if last is None:
        return items
    i = items[last]
    rest = items[:last] + items[last + 1 :]
    return rest if i.sets <= 1 else (*rest[:last], replace(i, sets=i.sets - 1), *rest[last:])
