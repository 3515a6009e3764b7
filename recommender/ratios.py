"""Ratios and curves over the daily load (RULES.md §2.3–§2.5): ACWR, CTL/ATL/TSB, monotony.

Choices [D]:
- ACWR is EWMA 7/28 (Williams 2017), λ = 2/(N+1), each EWMA seeded with the first day's load; it is
  None until 28 days of history exist. Rolling coupled/uncoupled variants are for display and tests.
- One reference moment per planned week, always a week boundary: the state at the end of the day
  before ``reference_day`` = the planned week's first day, or, for a week planned ahead, the first
  day of the athlete week holding ``as_of``. A plan made on Saturday is dosed on the same ACWR, TSB
  and monotony as one made on Monday (the 7-day EWMA swings from 1.12 to 0.69 between the two on
  the sample athlete, and dips before every weekend long run). GET /v1/weeks reports the same
  ``acwr_as_of`` at each week's start, so the dashboard and the plan show one number per week.
- Monotony (§2.5) of seven identical non-zero days has SD 0: reported as ``MONOTONY_CAP`` (10.0,
  five times Foster's 2.0 flag) rather than infinity, so it stays a number in JSON and rationale.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta

import numpy as np
import pandas as pd

from recommender.load import LoadModel
from recommender.types import WEEKDAYS

ACWR_METHOD = "EWMA 7/28 (Williams 2017)"
MONOTONY_CAP = 10.0
CHRONIC_DAYS = 28


def reference_day(week_start: date, as_of: date, first_weekday: str = "monday") -> date:
    """The day whose start the week's load state is read at (see the module doc)."""
    if as_of >= week_start:
        return week_start
    return as_of - timedelta(days=(as_of.weekday() - WEEKDAYS.index(first_weekday)) % 7)


def ewma(values: np.ndarray, span: int) -> np.ndarray:
    """Williams 2017: EWMA_t = λ·L_t + (1−λ)·EWMA_{t−1}, λ = 2/(span+1), seeded with L_0."""
    lam = 2.0 / (span + 1)
    return _recursive(np.asarray(values, dtype=float), lam)


def _recursive(values: np.ndarray, alpha: float) -> np.ndarray:
    if values.size == 0:
        return values
    s = pd.Series(values).ewm(alpha=alpha, adjust=False).mean()
    return np.asarray(s.to_numpy(dtype=float))


def acwr_ewma(loads: np.ndarray, acute: int = 7, chronic: int = 28) -> float | None:
    """EWMA acute / EWMA chronic on the last value of ``loads``; None when chronic is 0."""
    if len(loads) == 0:
        return None
    a, c = ewma(loads, acute)[-1], ewma(loads, chronic)[-1]
    return float(a / c) if c > 0 else None


def acwr_rolling(
    loads: np.ndarray, acute: int = 7, chronic: int = 28, *, coupled: bool = True
) -> float | None:
    """Rolling ACWR. Coupled (Hulin 2016): chronic window ends with the acute one; uncoupled
    (Windt & Gabbett 2018): chronic is the ``chronic`` periods before the acute window.
    Works on daily (7/28) or weekly (1/4) series."""
    loads = np.asarray(loads, dtype=float)
    need = chronic if coupled else chronic + acute
    if len(loads) < need:
        return None
    acute_sum = loads[-acute:].sum()
    window = loads[-chronic:] if coupled else loads[-(chronic + acute) : -acute]
    chronic_mean = window.sum() / (chronic / acute)
    return float(acute_sum / chronic_mean) if chronic_mean > 0 else None


def pmc(loads: np.ndarray) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """CTL (42 d), ATL (7 d), TSB = CTL − ATL; X_t = X_{t−1} + (L_t − X_{t−1})/TC, seed = L_0."""
    loads = np.asarray(loads, dtype=float)
    ctl, atl = _recursive(loads, 1 / 42), _recursive(loads, 1 / 7)
    return ctl, atl, ctl - atl


def monotony_strain(week: np.ndarray) -> tuple[float | None, float]:
    """Foster 1998 on 7 daily loads (rest day 0): mean / population SD, strain = sum × monotony.
    Monotony is None when SD is 0 (seven identical days: infinitely monotonous, or no load)."""
    week = np.asarray(week, dtype=float)
    sd = float(week.std())
    if sd == 0:
        return None, 0.0
    mono = float(week.mean() / sd)
    return mono, float(week.sum() * mono)


@dataclass(frozen=True)
class LoadSnapshot:
    """Where the athlete stands at the end of the day before ``as_of``."""

    acwr: float | None
    acwr_coupled: float | None
    acwr_uncoupled: float | None
    descent_acwr: float | None
    ctl: float | None
    atl: float | None
    tsb: float | None
    ctl_ramp: float | None  # CTL points over the last 7 days
    monotony: float | None
    strain: float | None


def acwr_series(daily: pd.DataFrame) -> pd.Series:
    """EWMA 7/28 ACWR at the end of each day of ``daily`` (NaN before 28 days or chronic 0)."""
    load = daily["load"].to_numpy(dtype=float) if len(daily) else np.zeros(0)
    acute, chronic = ewma(load, 7), ewma(load, CHRONIC_DAYS)
    with np.errstate(divide="ignore", invalid="ignore"):
        ratio = np.where(chronic > 0, acute / chronic, np.nan)
    ratio[: CHRONIC_DAYS - 1] = np.nan
    return pd.Series(ratio, index=daily.index, dtype=float)


def acwr_as_of(series: pd.Series, day: date) -> float | None:
    """The ACWR at the start of ``day`` (the end of the day before), from ``acwr_series``."""
    before = series.loc[series.index < pd.Timestamp(day)]
    return None if before.empty else _last_finite(before)


def _last_finite(values: pd.Series) -> float | None:
    last = float(values.iloc[-1])
    return last if np.isfinite(last) else None


def snapshot(model: LoadModel, at: date | None = None) -> LoadSnapshot:
    """The load state at the start of ``at`` (default: ``model.as_of``)."""
    daily = model.daily
    if at is not None and at < model.as_of:
        daily = daily.loc[daily.index < pd.Timestamp(at)]
    if daily.empty:
        return LoadSnapshot(*([None] * 10))
    load = daily["load"].to_numpy()
    full = len(load) >= CHRONIC_DAYS
    ctl, atl, tsb = pmc(load)
    mono, strain = monotony_strain(load[-7:]) if len(load) >= 7 else (None, None)
    if mono is None and len(load) >= 7 and load[-7:].sum() > 0:
        mono = MONOTONY_CAP  # identical non-zero days: SD 0, far above any threshold
        strain = float(load[-7:].sum()) * mono
    elif mono is not None:
        mono = min(mono, MONOTONY_CAP)
    return LoadSnapshot(
        acwr=_last_finite(acwr_series(daily)) if full else None,
        acwr_coupled=acwr_rolling(load, coupled=True),
        acwr_uncoupled=acwr_rolling(load, coupled=False),
        descent_acwr=acwr_ewma(daily["descent_load_m"].to_numpy()) if full else None,
        ctl=float(ctl[-1]),
        atl=float(atl[-1]),
        tsb=float(tsb[-1]),
        ctl_ramp=float(ctl[-1] - ctl[-8]) if len(ctl) >= 8 else None,
        monotony=mono,
        strain=strain,
    )
