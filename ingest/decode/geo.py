"""Distance along a track from its positions (haversine on a spherical Earth)."""

from __future__ import annotations

from typing import Any

import numpy as np

EARTH_RADIUS_M = 6_371_008.8  # the mean radius (IUGG)


def cumulative_distance(lat: Any, lon: Any) -> np.ndarray:
    """Cumulative haversine distance in metres; points without a position add nothing."""
    la, lo = np.radians(np.asarray(lat, dtype=float)), np.radians(np.asarray(lon, dtype=float))
    steps = np.zeros(len(la))
    valid = np.flatnonzero(~(np.isnan(la) | np.isnan(lo)))
    if len(valid) > 1:
        a, b = valid[:-1], valid[1:]
        h = (
            np.sin((la[b] - la[a]) / 2) ** 2
            + np.cos(la[a]) * np.cos(la[b]) * np.sin((lo[b] - lo[a]) / 2) ** 2
        )
        steps[b] = 2 * EARTH_RADIUS_M * np.arcsin(np.sqrt(np.minimum(h, 1.0)))
    return np.cumsum(steps)
