"""Load model: activity frame → per-activity runs (novel descent, spike) and daily/weekly frames.
The ratios over the daily load (ACWR, PMC, monotony) are ``recommender.ratios``.

RULES.md §2. Choices written down here (all [D] unless the rule fixes them):

- History is every activity with ``local_date < as_of``: the plan is made at the start of ``as_of``.
  Rows with a non-null ``duplicate_of`` are dropped. Only on-foot sports (run, trail run, treadmill,
  hike, walk) count: rides and "other" carry no running or descent load.
- One load unit [D, a deviation from §2.1's "TRIMP if HR"]: every ratio (ACWR, CTL/ATL/TSB,
  monotony, ``recommender.ratios``) reads the daily **km-effort** (km + D+/100), which every run
  has. TRIMP is ~100 for a 60-min run against ~12 km-effort, so summing one for some runs and the
  other for the rest made a strap worn on alternate weeks swing ACWR 0.61 ↔ 1.63 and new profile
  HR figures read as a 10× spike. The daily ``load`` column (TRIMP where present, else km-effort,
  with ``trimp_share``) is kept as the store's daily totals have it, for display only.
- Novel descent (§2.8): D−_eff > 1.3 × the largest single-run D−_eff of the previous 30 days (days
  t−30 … t−1). With fewer than 14 days of history before the run nothing is novel (no baseline),
  and a run needs ≥ 100 m D−_eff to be novel (so 150 m after a month of flat running isn't flagged).
- Single-run spike (S7): distance > 1.1 × the longest run of the previous 30 days, same 14-day rule;
  a run after 30 days without any run is not called a spike (no reference distance).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date, timedelta

import numpy as np
import pandas as pd

from recommender.types import WEEKDAYS

ON_FOOT = frozenset({"run", "trail_run", "treadmill", "hike", "walk"})
NOVEL_DESCENT_RATIO = 1.3
NOVEL_DESCENT_MIN_M = 100.0
SPIKE_RATIO = 1.1
BASELINE_DAYS = 14
LOOKBACK_DAYS = 30
_EPOCH = np.datetime64("1970-01-01", "D")


def to_days(values: pd.Series | Sequence[object]) -> np.ndarray:
    """Local dates (date objects, strings or timestamps) → numpy datetime64[D]."""
    return np.asarray(pd.to_datetime(pd.Series(values)).to_numpy(), dtype="datetime64[D]")


def _num(df: pd.DataFrame, col: str, default: float) -> np.ndarray:
    if col not in df.columns:
        return np.full(len(df), default, dtype=float)
    return pd.to_numeric(df[col], errors="coerce").to_numpy(dtype=float, na_value=np.nan)


def prepare_runs(activities: pd.DataFrame, *, as_of: date) -> pd.DataFrame:
    """One row per on-foot activity before ``as_of``, sorted by day; SI → km where named so."""
    df = activities
    if "duplicate_of" in df.columns:
        df = df[df["duplicate_of"].isna()]
    if len(df):
        df = df[df["sport"].astype(str).isin(ON_FOOT)]
    days = to_days(df["local_date"]) if len(df) else np.array([], dtype="datetime64[D]")
    keep = days < np.datetime64(as_of, "D")
    df, days = df[keep], days[keep]
    km = np.nan_to_num(_num(df, "distance_m", 0.0)) / 1000.0
    ascent = np.nan_to_num(_num(df, "ascent_m", 0.0))
    effort = _num(df, "km_effort", np.nan)
    effort = np.where(np.isfinite(effort), effort, km + ascent / 100.0)
    trimp = _num(df, "trimp", np.nan)
    has_trimp = np.isfinite(trimp) & (trimp > 0)
    runs = pd.DataFrame(
        {
            "day": days,
            "distance_km": km,
            "ascent_m": ascent,
            "descent_m": np.nan_to_num(_num(df, "descent_m", 0.0)),
            "descent_load_m": np.nan_to_num(_num(df, "descent_load_m", 0.0)),
            "km_effort": effort,
            "trimp": trimp,
            "load": np.where(has_trimp, trimp, effort),
            "from_trimp": has_trimp,
            "moving_s": np.nan_to_num(_num(df, "moving_s", np.nan), nan=0.0),
            "avg_hr": _num(df, "avg_hr", np.nan),
            "max_hr": _num(df, "max_hr", np.nan),
        }
    )
    order = np.argsort(runs["day"].to_numpy(), kind="stable")
    return runs.iloc[order].reset_index(drop=True)


def _prev_window_max(daily_max: np.ndarray, window: int) -> np.ndarray:
    """For each day t: max of daily_max[t-window : t] (0 where empty)."""
    padded = np.concatenate([np.zeros(window), daily_max])
    views = np.lib.stride_tricks.sliding_window_view(padded, window)
    return np.asarray(views[: len(daily_max)].max(axis=1))


@dataclass(frozen=True)
class LoadModel:
    """``runs``: per activity; ``daily``: every calendar day (zeros on rest days), DatetimeIndex."""

    runs: pd.DataFrame
    daily: pd.DataFrame
    first_day: date | None
    as_of: date

    def weekly(self, week_start: str) -> pd.DataFrame:
        return weekly_frame(self.daily, week_start)


def build_load_model(activities: pd.DataFrame, *, as_of: date) -> LoadModel:
    runs = prepare_runs(activities, as_of=as_of)
    if runs.empty:
        empty = pd.DataFrame(index=pd.DatetimeIndex([], name="day"))
        runs = runs.assign(novel_descent=np.array([], bool), spike=np.array([], bool))
        return LoadModel(runs=runs, daily=empty, first_day=None, as_of=as_of)
    days = runs["day"].to_numpy(dtype="datetime64[D]")
    first = days[0]
    n = int((np.datetime64(as_of, "D") - first).astype(int))
    idx = (days - first).astype(int)
    cols = ("distance_km", "ascent_m", "descent_m", "descent_load_m", "km_effort", "load")
    sums = {c: np.bincount(idx, weights=runs[c].to_numpy(), minlength=n) for c in cols}
    trimp_load = np.bincount(
        idx, weights=np.where(runs["from_trimp"], runs["load"], 0.0), minlength=n
    )
    longest = np.zeros(n)
    np.maximum.at(longest, idx, runs["distance_km"].to_numpy())
    biggest_desc = np.zeros(n)
    np.maximum.at(biggest_desc, idx, runs["descent_load_m"].to_numpy())
    with np.errstate(invalid="ignore", divide="ignore"):
        share = np.where(sums["load"] > 0, trimp_load / sums["load"], np.nan)
    daily = pd.DataFrame(
        {
            **sums,
            "long_run_km": longest,
            "max_descent_load_m": biggest_desc,
            "runs": np.bincount(idx, minlength=n),
            "trimp_share": share,
        },
        index=pd.DatetimeIndex(first + np.arange(n), name="day"),
    )
    has_baseline = idx >= BASELINE_DAYS
    prev_desc = _prev_window_max(biggest_desc, LOOKBACK_DAYS)[idx]
    prev_km = _prev_window_max(longest, LOOKBACK_DAYS)[idx]
    desc = runs["descent_load_m"].to_numpy()
    km = runs["distance_km"].to_numpy()
    runs = runs.assign(
        prev30_max_descent_load_m=prev_desc,
        prev30_longest_km=prev_km,
        novel_descent=has_baseline
        & (desc >= NOVEL_DESCENT_MIN_M)
        & (desc > NOVEL_DESCENT_RATIO * prev_desc),
        spike=has_baseline & (prev_km > 0) & (km > SPIKE_RATIO * prev_km),
    )
    first_day = date.fromisoformat(str(first))
    return LoadModel(runs=runs, daily=daily, first_day=first_day, as_of=as_of)


def weekly_frame(daily: pd.DataFrame, week_start: str) -> pd.DataFrame:
    """Daily frame → one row per athlete week (index = the week's first day)."""
    if daily.empty:
        return daily.copy()
    day_num = (daily.index.to_numpy().astype("datetime64[D]") - _EPOCH).astype(int)
    monday0 = (day_num + 3) % 7  # 1970-01-01 was a Thursday
    starts = day_num - (monday0 - WEEKDAYS.index(week_start)) % 7
    sums = daily.drop(columns=["long_run_km", "max_descent_load_m", "trimp_share"])
    weekly = sums.groupby(starts).sum()
    weekly["long_run_km"] = daily["long_run_km"].groupby(starts).max().to_numpy()
    weekly.index = pd.DatetimeIndex(_EPOCH + weekly.index.to_numpy(), name="week_start")
    return weekly


def trailing(model: LoadModel, end: date, days: int = 7) -> pd.DataFrame:
    """Daily rows for the ``days`` days before ``end`` (exclusive)."""
    lo = pd.Timestamp(end - timedelta(days=days))
    return model.daily.loc[(model.daily.index >= lo) & (model.daily.index < pd.Timestamp(end))]
