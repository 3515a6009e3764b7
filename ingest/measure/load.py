"""Training load of one activity: Banister TRIMP (RULES.md §2.2) and ITRA km-effort (§2.6).

TRIMP is summed per sample: each heart-rate sample counts for the time to the next sample, except
across gaps longer than ``MAX_GAP_S`` (a paused recording). HRr is clipped to 0…1. For an athlete
whose sex is not given, the weighting is the mean of the men's and women's curves (for the T-TRIMP
vector that is ≈ 125, between 118 and 132): no guess either way, and the error is at most ~6 %.
"""

from __future__ import annotations

from typing import Literal

import numpy as np
import pandas as pd

Sex = Literal["male", "female"] | None
BANISTER: dict[str, tuple[float, float]] = {"male": (0.64, 1.92), "female": (0.86, 1.67)}
MAX_GAP_S = 60.0


def banister_weight(hrr: np.ndarray, sex: Sex) -> np.ndarray:
    """HRr × k·e^(b·HRr) for ``sex``; the mean of both curves when sex is unknown."""
    if sex is None:
        return (banister_weight(hrr, "male") + banister_weight(hrr, "female")) / 2
    k, b = BANISTER[sex]
    return hrr * k * np.exp(b * hrr)


def banister_trimp(minutes: float, hr_avg: float, hr_rest: float, hr_max: float, sex: Sex) -> float:
    """Session TRIMP from an average heart rate."""
    hrr = min(1.0, max(0.0, (hr_avg - hr_rest) / (hr_max - hr_rest)))
    return minutes * float(banister_weight(np.array([hrr]), sex)[0])


def trimp(
    time: pd.Series, heart_rate: pd.Series, hr_rest: float | None, hr_max: float | None, sex: Sex
) -> float | None:
    """Per-sample Banister TRIMP, or None without heart rate or the athlete's HR figures."""
    if hr_rest is None or hr_max is None or hr_max <= hr_rest:
        return None
    hr = heart_rate.to_numpy(dtype=float)
    if not np.any(hr > 0):
        return None
    dt = time.diff().dt.total_seconds().shift(-1).fillna(0.0).to_numpy()
    use = (hr > 0) & (dt > 0) & (dt <= MAX_GAP_S)
    hrr = np.clip((hr[use] - hr_rest) / (hr_max - hr_rest), 0.0, 1.0)
    return float(np.sum(dt[use] / 60.0 * banister_weight(hrr, sex)))


def km_effort(distance_m: float, ascent_m: float) -> float:
    """ITRA km-effort: km + ascent/100 (descent does not count)."""
    return distance_m / 1000.0 + ascent_m / 100.0
