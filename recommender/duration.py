"""How long a session takes; fitting the heavy day into 60 minutes (RULES.md D1 session size) [D].

Time model (minutes, rounded up to the whole minute):
- warm-up: heavy day 8 min (easy cardio + dynamic mobility), light 4, activation 3, recovery 0;
- per exercise: 1 min to set up; a barbell lift adds 2 ramp-up sets (≈ 3 min);
- per set: work + the prescribed rest after every set but the last (the set-up of the next
  exercise covers that one). Work: ``seconds`` for a timed set, else reps × 3 s (a lift's tempo
  sums its phases instead), 1 s per jump contact; single-leg exercises, single-leg balance and
  side/Copenhagen planks are done per side (work × 2).
A heavy day over ``HEAVY_LIMIT_MIN`` is cut in this order until it fits: core/balance sets to 2,
accessory (leg/eccentric) sets to 2, main-lift rest 180 → 150 s (D1: 2–3 min), the last
plyometric drill, the last accessory; each step is named in the rationale.
"""

from __future__ import annotations

import math
from dataclasses import replace

from recommender.catalogue import exercise
from recommender.templates import Item

HEAVY_LIMIT_MIN = 60
WARMUP_MIN = {"heavy_legs": 8, "light": 4, "activation": 3, "recovery": 0}
SETUP_S = 60
BARBELL_RAMP_S = 180
REP_S = 3
_PER_SIDE_TIMED = ("single_leg_balance", "single_leg_balance_unstable", "side_plank")


def _per_side(item: Item) -> bool:
    ex = exercise(item.id)
    if item.seconds is not None:
        return item.id in _PER_SIDE_TIMED or item.id == "copenhagen_plank"
    return (
        ex.focus == "single_leg"
        or item.id in ("single_leg_rdl", "single_arm_row")
        or (item.id.startswith("pallof"))
    )


def set_seconds(item: Item) -> float:
    ex = exercise(item.id)
    if item.seconds is not None:
        work = float(item.seconds)
    elif ex.contacts_per_rep:
        work = float(item.reps or 0)
    else:
        tempo = sum(int(p) for p in item.tempo.split("-")) if item.tempo else REP_S
        work = float((item.reps or 0) * tempo)
    return work * (2 if _per_side(item) else 1)


def item_seconds(item: Item) -> float:
    ramp = BARBELL_RAMP_S if "barbell" in exercise(item.id).equipment else 0
    rest = (item.rest_s or 0) * max(0, item.sets - 1)
    return SETUP_S + ramp + item.sets * set_seconds(item) + rest


def minutes(items: tuple[Item, ...], kind: str) -> int:
    if not items:
        return 0
    return math.ceil(WARMUP_MIN.get(kind, 0) + sum(item_seconds(i) for i in items) / 60.0)


def fit_heavy(items: tuple[Item, ...]) -> tuple[tuple[Item, ...], list[str]]:
    """Cut a heavy day to ≤ 60 min; returns the items and what was cut."""
    cuts: list[str] = []

    def cap(roles: tuple[str, ...], sets: int, what: str) -> None:
        nonlocal items
        if minutes(items, "heavy_legs") <= HEAVY_LIMIT_MIN:
            return
        new = tuple(replace(i, sets=min(i.sets, sets)) if i.role in roles else i for i in items)
        if new != items:
            items = new
            cuts.append(what)

    cap(("keep",), 2, "core/balance 2 sets")
    cap(("leg", "eccentric"), 2, "accessories 2 sets")
    if minutes(items, "heavy_legs") > HEAVY_LIMIT_MIN:
        items = tuple(
            replace(i, rest_s=min(i.rest_s or 150, 150)) if i.role == "main" else i for i in items
        )
        cuts.append("main-lift rest 150 s")
    plyo = [n for n, i in enumerate(items) if i.role == "plyo"]
    if minutes(items, "heavy_legs") > HEAVY_LIMIT_MIN and len(plyo) > 2:
        cuts.append(f"{exercise(items[plyo[-1]].id).name.lower()} dropped")
        items = items[: plyo[-1]] + items[plyo[-1] + 1 :]
    while minutes(items, "heavy_legs") > HEAVY_LIMIT_MIN:
        extra = [n for n, i in enumerate(items) if i.role in ("leg", "eccentric")]
        if not extra:
            break
        cuts.append(f"{exercise(items[extra[-1]].id).name.lower()} dropped")
        items = items[: extra[-1]] + items[extra[-1] + 1 :]
    return items, cuts
