"""Effort-distance conventions (RULES.md §2.6 ITRA km-effort and categories, §2.7 Minetti 2002).

Definitions only, no choices: the load model uses km-effort as the load of a run without heart
rate; these helpers give the same numbers for a single run and for test vectors T-ITRA and T-MIN.
"""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np


def km_effort(km: float, ascent_m: float) -> float:
    """ITRA: km + D+(m)/100."""
    return km + ascent_m / 100.0


ITRA_CATEGORIES = (
    (0, "XXS", 0),
    (25, "XS", 1),
    (45, "S", 2),
    (75, "M", 3),
    (115, "L", 4),
    (155, "XL", 5),
    (210, "XXL", 6),
)


def itra_category(effort: float) -> tuple[str, int]:
    name, points = "XXS", 0
    for lower, n, p in ITRA_CATEGORIES:
        if effort >= lower:
            name, points = n, p
    return name, points


def minetti_cr(grade: float | np.ndarray) -> np.ndarray:
    """Minetti 2002 running cost J·kg⁻¹·m⁻¹; grade as a fraction, clipped to ±0.45."""
    i = np.clip(np.asarray(grade, dtype=float), -0.45, 0.45)
    return np.asarray(155.4 * i**5 - 30.4 * i**4 - 43.3 * i**3 + 46.3 * i**2 + 19.5 * i + 3.6)


def flat_equivalent_km(km: Sequence[float], grades: Sequence[float]) -> float:
    """Σ dᵢ·Cr(gᵢ)/Cr(0) over segments."""
    d = np.asarray(km, dtype=float)
    return float((d * minetti_cr(np.asarray(grades)) / minetti_cr(0.0)).sum())
