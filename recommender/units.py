"""Loads in the athlete's units (``Profile.units``) [D].

Metric: the load in kg as planned (2.5-kg plates) and ``load_lb`` = the same load in lb, 1 decimal.
Imperial: the load is rounded to what an imperial gym holds — a barbell to 5 lb (2.5-lb plates a
side), a dumbbell or kettlebell to a real pair (3, 5, 8, 10, 12, 15 lb, then every 5 lb) — and
``load_kg`` is that load converted back (1 decimal), so both fields name the same weight.
A dumbbell load is per hand.
"""

from __future__ import annotations

from collections.abc import Sequence

LB_PER_KG = 2.20462
BARBELL_STEP_LB = 5.0
DUMBBELLS_LB = (3.0, 5.0, 8.0, 10.0, 12.0, *(float(x) for x in range(15, 205, 5)))


def _nearest(x: float, options: Sequence[float]) -> float:
    return min(options, key=lambda o: (abs(o - x), o))


def in_units(
    load_kg: float | None, equipment: Sequence[str], units: str
) -> tuple[float | None, float | None]:
    """(load_kg, load_lb) for a planned load in `units`."""
    if load_kg is None:
        return None, None
    lb = load_kg * LB_PER_KG
    if units != "imperial":
        return load_kg, round(lb, 1)
    if "barbell" in equipment:
        lb = round(lb / BARBELL_STEP_LB) * BARBELL_STEP_LB
    else:
        lb = _nearest(lb, DUMBBELLS_LB)
    return round(lb / LB_PER_KG, 1), lb
