"""Recomputed ascent and descent from a track's altitude samples.

Every profile goes through the same three steps:

1. a 9-sample running median, which removes start-up and dropout spikes (a fenix 2 file starts at
   55 m, jumps to 142 m for three samples, then reads 56 m);
2. a centred running mean over a time window (so 1-s, 2-s and 5-s "smart" recordings are treated
   alike);
3. a symmetric hysteresis: the running total only moves once the profile has left the last
   turning point by the threshold.

Two settings, chosen per file:

- ``barometric``: 20 s window, threshold max(0.6 m, 4 × the noise left after smoothing). Chosen when
  the device has a barometric altimeter, or when nothing says and the samples are quiet (a Garmin
  Connect GPX export of a barometric watch has the same quiet samples as its FIT).
- ``gps``: 30 s window, threshold max(3 m, 4 × the noise left after smoothing). Chosen when the
  device has no barometer, or when nothing says and the samples are noisy (sample noise ≥ 0.5 m).

Measured against the devices' own totals: ``benchmarks/elevation_accuracy.py``.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Literal

import numpy as np
import pandas as pd

Mode = Literal["barometric", "gps"]

MEDIAN_SAMPLES = 9
NOISE_SAMPLES = 5
WINDOW_S: dict[Mode, float] = {"barometric": 20.0, "gps": 30.0}
MIN_THRESHOLD_M: dict[Mode, float] = {"barometric": 0.6, "gps": 3.0}
NOISE_FACTOR = 4.0
QUIET_NOISE_M = 0.5  # sample noise below this reads as a barometric (or device-filtered) profile


@dataclass(frozen=True)
class ElevationProfile:
    """The smoothed profile and what was summed from it."""

    ascent_m: float
    descent_m: float
    altitude_m: pd.Series  # smoothed, indexed like the frame rows that had an altitude
    mode: Mode
    window_s: float
    threshold_m: float
    noise_m: float  # estimated sample noise of the raw altitude

    def describe(self) -> str:
        source = "barometric" if self.mode == "barometric" else "GPS"
        return (
            f"recomputed from {source} altitude with {self.window_s:.0f}-s smoothing "
            f"and {self.threshold_m:.1f} m hysteresis"
        )


def hysteresis_totals(altitude: np.ndarray, threshold_m: float) -> tuple[float, float]:
    """Gain and loss of ``altitude``, counting a move only once it reaches ``threshold_m``."""
    up = down = 0.0
    if len(altitude) == 0:
        return up, down
    ref = float(altitude[0])
    for value in altitude[1:]:
        v = float(value)
        if v - ref >= threshold_m:
            up += v - ref
            ref = v
        elif ref - v >= threshold_m:
            down += ref - v
            ref = v
    return up, down


def sample_noise_m(altitude: np.ndarray) -> float:
    """Sample-to-sample noise: spread of each sample about its centred 5-sample mean.

    A centred mean cancels a steady climb, so terrain barely shows; the top 1 % of residuals is
    dropped so a single spike does not read as noise.
    """
    if len(altitude) < NOISE_SAMPLES:
        return 0.0
    series = pd.Series(altitude)
    mean = series.rolling(NOISE_SAMPLES, center=True).mean()
    residual = (series - mean).dropna().abs().to_numpy()
    residual = residual[residual <= np.quantile(residual, 0.99)]
    n = NOISE_SAMPLES
    return float(np.sqrt(np.mean(residual**2)) / np.sqrt(1 - 1 / n))


def choose_mode(barometric: bool | None, noise_m: float) -> Mode:
    """The device's word when it has one, else what the samples look like."""
    if barometric is None:
        return "barometric" if noise_m < QUIET_NOISE_M else "gps"
    return "barometric" if barometric else "gps"


def smooth(time: pd.Series, altitude: pd.Series, window_s: float) -> pd.Series:
    """Running median over 9 samples, then a centred mean over ``window_s`` seconds."""
    index = pd.DatetimeIndex(time)
    series = pd.Series(running_median(altitude.to_numpy(dtype=float)), index=index)
    if not index.is_monotonic_increasing or index.has_duplicates:
        return pd.Series(series.to_numpy(), index=altitude.index)
    window = pd.Timedelta(seconds=window_s)
    smoothed = series.rolling(window, center=True, min_periods=1).mean()
    return pd.Series(smoothed.to_numpy(), index=altitude.index)


def running_median(values: np.ndarray) -> np.ndarray:
    """Centred running median; each end is padded with the median of its first (last) window so a
    spike in the first few samples cannot take over the shortened edge windows."""
    half = MEDIAN_SAMPLES // 2
    if len(values) < MEDIAN_SAMPLES:
        return values.copy()
    head = np.full(half, np.median(values[:MEDIAN_SAMPLES]))
    tail = np.full(half, np.median(values[-MEDIAN_SAMPLES:]))
    padded = pd.Series(np.concatenate([head, values, tail]))
    return padded.rolling(MEDIAN_SAMPLES, center=True).median().to_numpy()[half:-half]


def recompute(frame: pd.DataFrame, barometric: bool | None) -> ElevationProfile | None:
    """Ascent and descent from ``frame``'s altitude samples, or None when it has none."""
    rows = frame[["time", "altitude_m"]].dropna()
    if len(rows) < 2:
        return None
    raw = rows["altitude_m"].to_numpy(dtype=float)
    noise = sample_noise_m(raw)
    mode = choose_mode(barometric, noise)
    window_s = WINDOW_S[mode]
    smoothed = smooth(rows["time"], rows["altitude_m"], window_s)
    residual_noise = noise / np.sqrt(max(1.0, window_s / _median_step_s(rows["time"])))
    threshold = max(MIN_THRESHOLD_M[mode], NOISE_FACTOR * residual_noise)
    up, down = hysteresis_totals(smoothed.to_numpy(), threshold)
    return ElevationProfile(up, down, smoothed, mode, window_s, threshold, noise)


def _median_step_s(time: pd.Series) -> float:
    steps = time.diff().dt.total_seconds().dropna()
    steps = steps[steps > 0]
    return float(steps.median()) if len(steps) else 1.0
