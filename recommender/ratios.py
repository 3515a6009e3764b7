"""Ratios and curves over the daily load (RULES.md §2.3–§2.5): ACWR, CTL/ATL/TSB, monotony.

How the plan reads them [D] (RULES.md §5 L2 "How the ratio is read"; docs/recommender-method.md):
- One load unit: every ratio reads **km-effort** (km + D+/100, ITRA) for every run, so a heart-rate
  strap worn on alternate weeks or new profile HR figures cannot change the scale. TRIMP stays in
  the daily frame (``load``, ``trimp_share``) and in the plan's inputs, for display only.
- ACWR is **rolling 7:28, coupled** (Hulin 2016, the method the 0.8/1.3/1.5 bands were measured on):
  acute = the last 7 days' km-effort, chronic = the mean weekly km-effort of the last 28 days. A
  7-day sum holds every weekday once, so a steady week reads 1.00 whichever day it ends on; the
  daily EWMA read 1.33 every Monday after a Sunday long run (and 0.77 on Saturday), with a start-up
  bias that lasted weeks.
- Missing data is not rest: a stretch of ≥ ``GAP_DAYS`` days without any run is a **data gap**
  (no files): its whole weeks are left out of every window (the windows reach back over them, and
  the weekdays stay aligned: a 9-day stretch keeps its first 2 days as rest days), not zeros;
  after ``BREAK_DAYS`` without a run the history restarts (a break, not a gap).
- Too little data: fewer than ``MIN_DATA_DAYS`` days or ``MIN_RUNS`` runs counted → no ratios.
  With 14–27 days the chronic week is the mean of the days there are.
- CTL/ATL/TSB (L4) run on the 7-day rolling mean of the daily km-effort, both seeded with the mean
  of the first 28 days counted, so a steady weekly pattern reads TSB 0 on every weekday.
- One reference moment per planned week, always a week boundary: the state at the end of the day
  before ``reference_day`` = the planned week's first day, or, for a week planned ahead, the first
  day of the athlete week holding ``as_of``. The same dose whichever day the plan is made on.
- Monotony (§2.5) of seven identical non-zero days has SD 0: reported as ``MONOTONY_CAP``.
``ewma``, ``acwr_ewma``, ``acwr_rolling`` and ``pmc`` are RULES.md's definitions (test vectors).
"""

from __future__ import annotations

from dataclasses import dataclass, replace
from datetime import date, timedelta

import numpy as np
import pandas as pd

from recommender.load import LoadModel
from recommender.types import WEEKDAYS

ACWR_METHOD = "rolling 7:28 coupled on km-effort, data gaps skipped (Hulin 2016)"
LOAD_COLUMN = "km_effort"
MONOTONY_CAP = 10.0
CHRONIC_DAYS = 28
GAP_DAYS = 7
BREAK_DAYS = 28
MIN_DATA_DAYS = 14
MIN_RUNS = 4


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


def counted_days(runs: np.ndarray) -> tuple[np.ndarray, list[tuple[int, int]]]:
    """Which days count (not inside a run-free stretch of ≥ GAP_DAYS days, not before the last
    break of ≥ BREAK_DAYS) and the gaps as (first, last) day indexes. ``runs``: runs per day."""
    n = len(runs)
    keep = np.ones(n, dtype=bool)
    gaps: list[tuple[int, int]] = []
    ran = np.flatnonzero(np.asarray(runs) > 0)
    bounds = [*zip(ran[:-1] + 1, ran[1:], strict=True), (ran[-1] + 1 if len(ran) else 0, n)]
    for lo, hi in bounds:  # run-free stretch lo … hi−1
        if hi - lo >= GAP_DAYS:
            keep[lo + (hi - lo) % 7 : hi] = False  # whole weeks out: weekdays stay aligned
            gaps.append((int(lo), int(hi - 1)))
            if hi - lo >= BREAK_DAYS:
                keep[:hi] = False  # a break: the history restarts with the next run
    return keep, gaps


def smoothed_pmc(loads: np.ndarray) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """CTL/ATL/TSB on the 7-day rolling mean of ``loads``, seeded with the first 28 days' mean."""
    loads = np.asarray(loads, dtype=float)
    if loads.size == 0:
        return loads, loads, loads
    seed = float(loads[:CHRONIC_DAYS].mean())
    padded = np.concatenate([np.full(6, seed), loads])
    mean7 = np.convolve(padded, np.ones(7) / 7, mode="valid")
    ctl = _recursive(np.concatenate([[seed], mean7]), 1 / 42)[1:]
    atl = _recursive(np.concatenate([[seed], mean7]), 1 / 7)[1:]
    return ctl, atl, ctl - atl


@dataclass(frozen=True)
class LoadSnapshot:
    """Where the athlete stands at the end of the day before the reference day."""

    acwr: float | None
    acwr_coupled: float | None  # the same number (kept for the plan's inputs)
    acwr_uncoupled: float | None
    descent_acwr: float | None
    ctl: float | None
    atl: float | None
    tsb: float | None
    ctl_ramp: float | None  # CTL points over the last 7 counted days
    monotony: float | None
    strain: float | None
    data_days: int = 0  # days counted (gaps and days before a break left out)
    runs: int = 0  # runs on those days
    gaps: tuple[tuple[date, date], ...] = ()  # data gaps in the chronic window (first, last day)

    @property
    def too_little_data(self) -> bool:
        return self.data_days < MIN_DATA_DAYS or self.runs < MIN_RUNS


_EMPTY = LoadSnapshot(None, None, None, None, None, None, None, None, None, None)


def _ratio(values: np.ndarray) -> tuple[float | None, float | None]:
    """Coupled and uncoupled rolling ACWR on counted days (chronic = mean week of what exists)."""
    if len(values) < MIN_DATA_DAYS:
        return None, None
    acute = float(values[-7:].sum())
    window = values[-CHRONIC_DAYS:]
    chronic = float(window.sum()) * 7 / len(window)
    before = values[-(CHRONIC_DAYS + 7) : -7]
    prior = float(before.sum()) * 7 / len(before) if len(before) >= MIN_DATA_DAYS else 0.0
    return (acute / chronic if chronic > 0 else None), (acute / prior if prior > 0 else None)


def snapshot(model: LoadModel, at: date | None = None) -> LoadSnapshot:
    """The load state at the start of ``at`` (default: ``model.as_of``)."""
    daily = model.daily
    if at is not None and at < model.as_of:
        daily = daily.loc[daily.index < pd.Timestamp(at)]
    if daily.empty:
        return _EMPTY
    keep, gap_idx = counted_days(daily["runs"].to_numpy())
    kept = daily.loc[keep]
    days = daily.index
    window_start = days[-1] - pd.Timedelta(days=CHRONIC_DAYS + 7)
    gaps = tuple((days[a].date(), days[b].date()) for a, b in gap_idx if days[b] >= window_start)
    n_runs = int(kept["runs"].sum())
    if len(kept) < MIN_DATA_DAYS or n_runs < MIN_RUNS:
        return replace(_EMPTY, data_days=len(kept), runs=n_runs, gaps=gaps)
    load = kept[LOAD_COLUMN].to_numpy(dtype=float)
    coupled, uncoupled = _ratio(load)
    ctl, atl, tsb = smoothed_pmc(load)
    last7 = daily[LOAD_COLUMN].to_numpy(dtype=float)[-7:]
    mono, strain = monotony_strain(last7) if len(last7) == 7 else (None, None)
    if mono is None and len(last7) == 7 and last7.sum() > 0:
        mono = MONOTONY_CAP  # identical non-zero days: SD 0, far above any threshold
        strain = float(last7.sum()) * mono
    elif mono is not None:
        mono = min(mono, MONOTONY_CAP)
    return LoadSnapshot(
        acwr=coupled,
        acwr_coupled=coupled,
        acwr_uncoupled=uncoupled,
        descent_acwr=_ratio(kept["descent_load_m"].to_numpy(dtype=float))[0],
        ctl=float(ctl[-1]),
        atl=float(atl[-1]),
        tsb=float(tsb[-1]),
        ctl_ramp=float(ctl[-1] - ctl[-8]) if len(ctl) >= 8 else None,
        monotony=mono,
        strain=strain,
        data_days=len(kept),
        runs=n_runs,
        gaps=gaps,
    )


def acwr_series(daily: pd.DataFrame) -> pd.Series:
    """The plan's ACWR at the end of each day of ``daily`` (NaN with too little data): what
    ``snapshot`` reads for a plan whose reference day is the next day, in one pass."""
    n = len(daily)
    out = np.full(n, np.nan)
    if n == 0:
        return pd.Series(out, index=daily.index, dtype=float)
    runs = daily["runs"].to_numpy()
    load = daily[LOAD_COLUMN].to_numpy(dtype=float)
    gap = np.zeros(n, dtype=bool)  # inside a closed or open run-free stretch of >= GAP_DAYS
    seg = np.zeros(n, dtype=int)  # first day after the latest break ending at or before the day
    ran = np.flatnonzero(runs > 0)
    for lo, hi in zip(ran[:-1] + 1, ran[1:], strict=True):
        if hi - lo >= GAP_DAYS:
            gap[lo + (hi - lo) % 7 : hi] = True
        if hi - lo >= BREAK_DAYS:
            seg[hi:] = hi
    rank = np.cumsum(~gap)  # counted days up to and including each day
    cs = np.concatenate([[0.0], np.cumsum(np.where(gap, 0.0, load))[~gap]])
    rcs = np.concatenate([[0], np.cumsum(np.where(gap, 0, runs))[~gap]])
    last = np.maximum.accumulate(np.where(runs > 0, np.arange(n), -1))
    for t in range(n):
        if last[t] < 0 or t - last[t] >= BREAK_DAYS:
            continue
        k = (t - last[t]) % 7 if t - last[t] >= GAP_DAYS else t - last[t]  # open stretch
        p, p0 = int(rank[last[t]]), int(rank[seg[last[t]]] - 1) if seg[last[t]] else 0
        counted = p - p0 + k
        if counted < MIN_DATA_DAYS or rcs[p] - rcs[p0] < MIN_RUNS:
            continue
        acute = cs[p] - cs[max(p0, p - max(7 - k, 0))]
        w = min(CHRONIC_DAYS, counted)
        chronic = (cs[p] - cs[max(p0, p - (w - k))]) * 7 / w
        if chronic > 0:
            out[t] = acute / chronic
    return pd.Series(out, index=daily.index, dtype=float)


def acwr_as_of(series: pd.Series, day: date) -> float | None:
    """The ACWR at the start of ``day`` (the end of the day before), from ``acwr_series``."""
    before = series.loc[series.index < pd.Timestamp(day)]
    if before.empty:
        return None
    last = float(before.iloc[-1])
    return last if np.isfinite(last) else None
