"""A heavy day as the athlete can do it in an hour (RULES.md D1 session size) [D]: what the
equipment allows (substitutes, ``recommender.equipment``), 2–4 lower-body strength exercises, then
≤ 60 min (``recommender.duration.fit_heavy``); each change is named in the rationale.

Which accessory is left out first when there are more than 2: a plain accessory, then a second
strength-endurance item, then an eccentric item (D5 chose it), never the first strength-endurance
item (D2's base-phase requirement).
"""

from __future__ import annotations

from dataclasses import replace

from recommender.catalogue import exercise
from recommender.duration import fit_heavy
from recommender.equipment import substitute
from recommender.templates import LOWER_BODY_MAX, Item
from recommender.types import RationaleEntry

LOWER_ROLES = ("main", "leg", "eccentric")
TIMED = {"side_plank": 30, "copenhagen_plank": 20, "wall_sit": 45, "single_leg_balance": 30}


def equip(items: tuple[Item, ...], have: frozenset[str]) -> tuple[tuple[Item, ...], list[str]]:
    """Each item as the equipment allows: itself, its substitute, or dropped (named)."""
    out: list[Item] = []
    changes: list[str] = []
    for i in items:
        sub = substitute(i.id, have)
        if sub is not None and sub != i.id and any(o.id == sub for o in out + list(items)):
            sub = None  # already in the session: drop rather than repeat
        if sub is None:
            changes.append(f"{exercise(i.id).name.lower()} dropped")
            continue
        if sub != i.id:
            changes.append(f"{exercise(i.id).name.lower()} → {exercise(sub).name.lower()}")
            i = replace(i, id=sub)
            if sub in TIMED and i.seconds is None:
                i = replace(i, reps=None, seconds=TIMED[sub], tempo=None)
            elif sub not in TIMED and i.seconds is not None and i.focus != "strength_endurance":
                i = replace(i, reps=10, seconds=None)
        out.append(i)
    return tuple(out), changes


def fit_session(
    items: tuple[Item, ...], have: frozenset[str], notes: list[RationaleEntry]
) -> tuple[Item, ...]:
    items, changes = equip(items, have)
    if changes:
        notes.append(RationaleEntry("D1", "equipment: " + "; ".join(changes)))
    dropped: list[str] = []
    while sum(i.role in LOWER_ROLES for i in items) > LOWER_BODY_MAX:
        order = sorted(
            (n for n, i in enumerate(items) if i.role in ("leg", "eccentric")),
            key=lambda n: (_keep_rank(items, n), -n),
        )
        n = order[0]
        dropped.append(exercise(items[n].id).name.lower())
        items = items[:n] + items[n + 1 :]
    if dropped:
        notes.append(
            RationaleEntry(
                "D1", f"2–4 lower-body lifts a session → {', '.join(dropped)} left out this week"
            )
        )
    items, cuts = fit_heavy(items)
    if cuts:
        notes.append(RationaleEntry("D1", "≤ 60 min → " + ", ".join(cuts)))
    return items


def _keep_rank(items: tuple[Item, ...], n: int) -> int:
    """Which accessory to leave out first: 0 a plain accessory, 1 a second strength-endurance
    item, 2 an eccentric item (D5 chose it), 3 the first strength-endurance item (D2)."""
    item = items[n]
    if item.role == "eccentric":
        return 2
    if (item.focus or exercise(item.id).focus) == "strength_endurance":
        first = next(
            k
            for k, i in enumerate(items)
            if (i.focus or exercise(i.id).focus) == "strength_endurance"
        )
        return 3 if first == n else 1
    return 0
