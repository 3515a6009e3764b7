"""Descent binned by grade and the weighted descent load D−eff (RULES.md §2.8).

The smoothed profile is cut into equal distance segments of at least ``WINDOW_M`` (50 m); each
falling segment's drop goes to the bin of its grade. The bins are then scaled so they add up to the
recomputed (hysteresis) descent: the segments say *where* the descent was, the hysteresis total
says *how much* there was, and ``sum(descent_by_grade_m) == descent_recomputed_m`` always holds
(when the profile has any falling 50-m segment). The device total is deliberately not used for
the scale: a device that writes 3 m of descent for a mountain run must not erase its descent load.

D−eff = 0.5 × (5–10 % bin) + 1.0 × (10–20 % bin + 20+ % bin); the −5 % and −10 % boundaries belong
to the lighter bin, as in RULES.md ("grade ≤ −5 %" counts, "< −10 %" weighs 1.0).
"""

from __future__ import annotations

import numpy as np

from ingest.measure.summary import GRADE_BINS

WINDOW_M = 50.0
WEIGHTS: dict[str, float] = {"0-5": 0.0, "5-10": 0.5, "10-20": 1.0, "20+": 1.0}


def empty_bins() -> dict[str, float]:
    return dict.fromkeys(GRADE_BINS, 0.0)


def grade_bin(grade_pct: float) -> str:
    """The bin of a descent at ``grade_pct`` (a positive number: 7.5 means −7.5 %)."""
    if grade_pct < 5:
        return "0-5"
    if grade_pct <= 10:
        return "5-10"
    if grade_pct <= 20:
        return "10-20"
    return "20+"


def segment_descent(distance_m: np.ndarray, altitude_m: np.ndarray) -> dict[str, float]:
    """Metres of descent per grade bin, over equal segments of at least ``WINDOW_M``."""
    bins = empty_bins()
    ok = ~(np.isnan(distance_m) | np.isnan(altitude_m))
    d = np.maximum.accumulate(distance_m[ok]) if ok.any() else distance_m[ok]
    h = altitude_m[ok]
    if len(d) < 2 or d[-1] - d[0] < WINDOW_M:
        return bins
    n = int((d[-1] - d[0]) // WINDOW_M)
    grid = np.linspace(d[0], d[-1], n + 1)
    drops = np.diff(np.interp(grid, d, h))
    length = grid[1] - grid[0]
    for drop in drops[drops < 0]:
        bins[grade_bin(-drop / length * 100)] += float(-drop)
    return bins


def scaled(bins: dict[str, float], total_m: float) -> dict[str, float]:
    """``bins`` scaled to add up to ``total_m`` (all zero when there is nothing to scale)."""
    current = sum(bins.values())
    if current <= 0 or total_m <= 0:
        return empty_bins()
    return {k: v * total_m / current for k, v in bins.items()}


def descent_load(bins: dict[str, float]) -> float:
    """D−eff: grade-weighted descent metres (RULES.md §2.8)."""
    return sum(WEIGHTS[k] * v for k, v in bins.items())
