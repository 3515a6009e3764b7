"""Recomputed ascent and descent from a track's altitude samples.

Every profile goes through the same three steps:

1. a running median, which removes start-up and dropout spikes (a fenix 2 file starts at 55 m,
   jumps to 142 m for three samples, then reads 56 m);
2. a centred running mean over a time window (none for barometric profiles: see below);
3. a symmetric hysteresis: the running total only moves once the profile has left the last
   turning point by the threshold, the larger of a floor and a multiple of the noise the smoothing
   leaves.

Two settings (``SETTINGS``), chosen per file:

- ``barometric``: a 15-sample median, no mean, threshold max(1 m, 2 × the noise left). Chosen when
  the device has a barometric altimeter, or when nothing says and the samples are quiet (a Garmin
  Connect GPX export of a barometric watch has the same quiet samples as its FIT).
- ``gps``: a 9-sample median, a 30 s mean, threshold max(3 m, 4 × the noise left). Chosen when the
  device has no barometer, or when nothing says and the samples are noisy (sample noise ≥ 0.5 m).

The barometric settings were chosen by leave-one-device-out cross-validation over the corpus's
devices (``benchmarks/elevation_cv.py``: fitted on all devices but one, measured on the one left
out; the table is in the README). The corpus has no GPS-mode file with a device total to fit the
GPS settings on: they stay as first set. Accuracy: ``benchmarks/elevation_accuracy.py``.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Literal

import numpy as np
import pandas as pd

Mode = Literal["barometric", "gps"]

NOISE_SAMPLES = 5
QUIET_NOISE_M = 0.5  # sample noise below this reads as a barometric (or device-filtered) profile


@dataclass(frozen=True)
class Smoothing:
    """One mode's settings: the running median, the mean's window, the hysteresis threshold
    (the larger of a floor and ``noise_factor`` × the noise left after smoothing)."""

    median_samples: int
    window_s: float
    min_threshold_m: float
    noise_factor: float


SETTINGS: dict[Mode, Smoothing] = {
    "barometric": Smoothing(median_samples=15, window_s=0.0, min_threshold_m=1.0, noise_factor=2.0),
    "gps": Smoothing(median_samples=9, window_s=30.0, min_threshold_m=3.0, noise_factor=4.0),
}


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


def smooth(
    time: pd.Series, altitude: pd.Series, window_s: float, median_samples: int = 9
) -> pd.Series:
    """Running median over ``median_samples``, then a centred mean over ``window_s`` seconds."""
    index = pd.DatetimeIndex(time)
    values = running_median(altitude.to_numpy(dtype=float), median_samples)
    series = pd.Series(values, index=index)
    if window_s <= 0 or not index.is_monotonic_increasing or index.has_duplicates:
        return pd.Series(series.to_numpy(), index=altitude.index)
    window = pd.Timedelta(seconds=window_s)
    smoothed = series.rolling(window, center=True, min_periods=1).mean()
    return pd.Series(smoothed.to_numpy(), index=altitude.index)


def running_median(values: np.ndarray, samples: int = 9) -> np.ndarray:
    """Centred running median; each end is padded with the median of its first (last) window so a
    spike in the first few samples cannot take over the shortened edge windows."""
    half = samples // 2
    if samples < 2 or len(values) < samples:
        return values.copy()
    head = np.full(half, np.median(values[:samples]))
    tail = np.full(half, np.median(values[-samples:]))
    padded = pd.Series(np.concatenate([head, values, tail]))
    return padded.rolling(samples, center=True).median().to_numpy()[half : len(values) + half]


def threshold_m(noise_m: float, step_s: float, settings: Smoothing) -> float:
    """The hysteresis threshold: ``noise_factor`` × the noise a ``window_s`` mean leaves of a
    sample noise of ``noise_m`` (samples every ``step_s``), at least ``min_threshold_m``."""
    residual = noise_m / np.sqrt(max(1.0, settings.window_s / step_s))
    return float(max(settings.min_threshold_m, settings.noise_factor * residual))


def recompute(
    frame: pd.DataFrame, barometric: bool | None, settings: dict[Mode, Smoothing] | None = None
) -> ElevationProfile | None:
    """Ascent and descent from ``frame``'s altitude samples, or None when it has none."""
    rows = frame[["time", "altitude_m"]].dropna()
    if len(rows) < 2:
        return None
    raw = rows["altitude_m"].to_numpy(dtype=float)
    noise = sample_noise_m(raw)
    mode = choose_mode(barometric, noise)
    chosen = (settings or SETTINGS)[mode]
    smoothed = smooth(rows["time"], rows["altitude_m"], chosen.window_s, chosen.median_samples)
    threshold = threshold_m(noise, median_step_s(rows["time"]), chosen)
    up, down = hysteresis_totals(smoothed.to_numpy(), threshold)
    return ElevationProfile(up, down, smoothed, mode, chosen.window_s, threshold, noise)


def median_step_s(time: pd.Series) -> float:
    steps = time.diff().dt.total_seconds().dropna()
    steps = steps[steps > 0]
    return float(steps.median()) if len(steps) else 1.0
