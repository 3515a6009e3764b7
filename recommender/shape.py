"""Week shape: which weekday is the long run, which are hard, and the dated events around a week.

Choices [D]:
- Recent weeks weigh more: each of the last 6 complete weeks before the planned week counts with a
  weight that halves every 2 weeks back (1, 0.71, 0.5, 0.35, 0.25, 0.18). A runner who changed
  routine two weeks ago has a new routine: the last two weeks agreeing (1.71) outweigh the four
  before them together (1.28), while a single odd week (a long run moved once, 1 of 2.99) does not.
- Long-run weekday: the weekday of each athlete-week's longest on-foot run over that window; the
  largest total weight wins, ties go to the weekday seen most recently.
- Hard run: with heart rate, avg HR ≥ 75 % of heart-rate reserve, or peak HR ≥ 90 % of it (HR max
  from the profile, else the highest max HR seen; HR rest from the profile, else 60). The peak test
  is there because a session average is diluted by warm-up, jog recoveries and cool-down: the sample
  athlete's 1-km intervals average 73–76 % HRR but peak at 96–99 %, his easy runs peak ≤ 86 %.
  Without heart rate: effort pace
  (moving time per km-effort, so climbing is accounted for) ≥ 10 % faster than the athlete's median
  over the window, or a hill session (≥ 50 m D+/km at no slower than median effort pace).
  Runs < 3 km and each week's long run are never "hard". A hard weekday is one with a hard run in
  ≥ 2 of the window's weeks holding ≥ 45 % of the weight of the weeks with any run (3 of 6
  equal weeks; two weeks of a new hard day outweigh four of the old one).
- Profile overrides (long_run_day, hard_days) replace inference.
- Days already past in the planned week (date < as_of) use what happened: a past run ≥ 80 % of the
  long-run estimate is this week's long run (the planned one is then dropped), past hard runs are
  hard sessions, and novel descents/spikes come from the load model. Future days use the pattern.
- Long-run estimate (for S7 on a planned run): the longest of the last four weekly long runs plus
  the median of the last three week-to-week changes when positive (the median, so a rebound after a
  recovery week, 16 → 24 km, is not read as a trend). S7 therefore fires on the estimate only when
  the trend itself grows > 10 % a week; a known distance (``planned_long_run_km``) is the real
  input, the estimate is a fallback.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta
from typing import Literal

import numpy as np
import pandas as pd

from recommender.types import WEEKDAYS, Profile, Race, Weekday

WINDOW_WEEKS = 6
HRR_HARD = 0.75
HRR_PEAK_HARD = 0.90
PACE_HARD = 0.90
HILL_M_PER_KM = 50.0
ACTUAL_LR_SHARE = 0.8
HALF_LIFE_WEEKS = 2.0
HARD_MIN_WEEKS = 2
HARD_SHARE = 0.45

_WEEKDAYS: tuple[Weekday, ...] = WEEKDAYS  # type: ignore[assignment]
EventKind = Literal["long_run", "hard", "race", "novel_descent"]


@dataclass(frozen=True)
class Event:
    date: date
    kind: EventKind
    km: float | None = None
    descent_load_m: float | None = None
    planned: bool = False
    spike: bool = False  # S7, long runs only
    novel: bool = False  # S4, long runs and novel_descent


@dataclass(frozen=True)
class WeekShape:
    long_run_day: Weekday | None
    hard_days: tuple[Weekday, ...]
    long_run_km: float | None  # estimate for the coming long run
    source: str  # how the shape was found, for the rationale


def weekday(d: date) -> Weekday:
    return WEEKDAYS[d.weekday()]  # type: ignore[return-value]


def hard_flags(runs: pd.DataFrame, profile: Profile) -> np.ndarray:
    """One bool per run (see module doc)."""
    if runs.empty:
        return np.zeros(0, dtype=bool)
    km = runs["distance_km"].to_numpy()
    avg_hr = runs["avg_hr"].to_numpy()
    seen_max = np.nanmax(runs["max_hr"].to_numpy()) if runs["max_hr"].notna().any() else np.nan
    hr_max = profile.hr_max or (seen_max if np.isfinite(seen_max) else None)
    hr_rest = profile.hr_rest or 60.0
    by_hr = np.zeros(len(runs), dtype=bool)
    has_hr = np.isfinite(avg_hr)
    if hr_max is not None and hr_max > hr_rest:
        reserve = hr_max - hr_rest
        peak = np.nan_to_num((runs["max_hr"].to_numpy() - hr_rest) / reserve, nan=0.0)
        by_hr = has_hr & (((avg_hr - hr_rest) / reserve >= HRR_HARD) | (peak >= HRR_PEAK_HARD))
    effort = runs["km_effort"].to_numpy()
    with np.errstate(invalid="ignore", divide="ignore"):
        pace = np.where(effort > 0, runs["moving_s"].to_numpy() / effort, np.nan)
        climb = np.where(km > 0, runs["ascent_m"].to_numpy() / km, 0.0)
    valid = np.isfinite(pace) & (pace > 0)
    median = float(np.median(pace[valid])) if valid.any() else np.nan
    by_pace = valid & ((pace <= PACE_HARD * median) | ((climb >= HILL_M_PER_KM) & (pace <= median)))
    return np.where(has_hr, by_hr, by_pace) & (km >= 3.0)


def recency_weights(week_ids: np.ndarray, week_start: date) -> np.ndarray:
    """Weight of each athlete week (by its id) in the window: halves every ``HALF_LIFE_WEEKS``
    weeks back from the planned week (the week just before it weighs 1)."""
    planned = (np.datetime64(week_start, "D") - np.datetime64("1970-01-01", "D")).astype(int)
    back = np.ceil((planned - np.asarray(week_ids)) / 7.0)
    return np.asarray(0.5 ** ((np.maximum(back, 1.0) - 1.0) / HALF_LIFE_WEEKS))


def _week_ids(days: np.ndarray, week_start: str) -> np.ndarray:
    num = (days - np.datetime64("1970-01-01", "D")).astype(int)
    return num - ((num + 3) % 7 - WEEKDAYS.index(week_start)) % 7


def infer_shape(
    runs: pd.DataFrame, flags: np.ndarray, profile: Profile, *, week_start: date
) -> WeekShape:
    lo = np.datetime64(week_start - timedelta(weeks=WINDOW_WEEKS), "D")
    days = runs["day"].to_numpy(dtype="datetime64[D]") if len(runs) else np.array([], "M8[D]")
    sel = (days >= lo) & (days < np.datetime64(week_start, "D"))
    window, wflags, wdays = runs[sel], flags[sel], days[sel]
    if window.empty:
        return WeekShape(profile.long_run_day, profile.hard_days or (), None, "no recent runs")
    weeks = _week_ids(wdays, profile.week_start)
    frame = pd.DataFrame({"week": weeks, "km": window["distance_km"].to_numpy(), "day": wdays})
    longest = frame.loc[frame.groupby("week")["km"].idxmax()].sort_values("week")
    lr_days = [weekday(pd.Timestamp(d).date()) for d in longest["day"]]
    weight = recency_weights(longest["week"].to_numpy(), week_start)
    votes: dict[Weekday, float] = {}
    for d, w in zip(lr_days, weight, strict=True):
        votes[d] = votes.get(d, 0.0) + float(w)
    top = max(votes.values())
    inferred_lr = next(d for d in reversed(lr_days) if votes[d] >= top - 1e-9)
    lr_km = longest["km"].to_numpy()[-4:]
    steps = np.diff(lr_km)
    trend = float(np.median(steps)) if steps.size else 0.0
    estimate = float(lr_km.max()) + max(trend, 0.0)
    is_lr = np.zeros(len(window), dtype=bool)
    is_lr[longest.index.to_numpy()] = True  # frame has a fresh RangeIndex: labels are positions
    hard = wflags & ~is_lr
    week_weight = dict(zip(longest["week"].to_numpy().tolist(), weight.tolist(), strict=True))
    hard_weeks: dict[Weekday, set[int]] = {}
    for d, w in zip(wdays[hard], weeks[hard], strict=True):
        hard_weeks.setdefault(weekday(pd.Timestamp(d).date()), set()).add(int(w))
    total = sum(week_weight.values())
    inferred_hard = tuple(
        d
        for d in _WEEKDAYS
        if len(hard_weeks.get(d, ())) >= HARD_MIN_WEEKS
        and sum(week_weight[w] for w in hard_weeks.get(d, ())) >= HARD_SHARE * total
    )
    lr_day = profile.long_run_day or inferred_lr
    hard_days = profile.hard_days if profile.hard_days is not None else inferred_hard
    hard_days = tuple(d for d in hard_days if d != lr_day)
    source = f"{'profile' if profile.long_run_day else 'inferred'} long run {lr_day} "
    source += f"({lr_days.count(lr_day) if lr_day else 0} of {len(lr_days)} weeks)"
    return WeekShape(lr_day, hard_days, estimate, source)


def week_events(
    runs: pd.DataFrame,
    flags: np.ndarray,
    shape: WeekShape,
    races: tuple[Race, ...],
    *,
    week_start: date,
    as_of: date,
    planned_long_run_km: float | None = None,
) -> tuple[Event, ...]:
    """Dated events from a week before ``week_start`` to two weeks after it (for gaps across the
    week boundary): actual ones before ``as_of``, the weekly pattern from ``as_of`` on."""
    lo, hi = week_start - timedelta(days=7), week_start + timedelta(days=14)
    events: list[Event] = [Event(r.date, "race", r.distance_km) for r in races if lo <= r.date < hi]
    days = runs["day"].to_numpy(dtype="datetime64[D]") if len(runs) else np.array([], "M8[D]")
    sel = np.flatnonzero((days >= np.datetime64(lo, "D")) & (days < np.datetime64(as_of, "D")))
    estimate = planned_long_run_km or shape.long_run_km
    actual_lr_this_week = False
    for i in sel:
        row = runs.iloc[i]
        d = pd.Timestamp(days[i]).date()
        km, desc = float(row["distance_km"]), float(row["descent_load_m"])
        if bool(row["novel_descent"]):
            events.append(Event(d, "novel_descent", km, desc, novel=True))
        if estimate and km >= ACTUAL_LR_SHARE * estimate:
            novel, spike = bool(row["novel_descent"]), bool(row["spike"])
            events.append(Event(d, "long_run", km, desc, spike=spike, novel=novel))
            actual_lr_this_week |= d >= week_start
        elif flags[i]:
            events.append(Event(d, "hard", km, desc))
    longest_30 = _longest_before(runs, days, as_of)
    for offset in range(max(0, (as_of - week_start).days), 21):
        d = week_start + timedelta(days=offset)
        wd = weekday(d)
        if wd == shape.long_run_day and not (actual_lr_this_week and d < week_start + timedelta(7)):
            lr_km = estimate if offset < 7 else shape.long_run_km
            spike = bool(lr_km and longest_30 and lr_km > 1.1 * longest_30 and offset < 7)
            events.append(Event(d, "long_run", lr_km, planned=True, spike=spike))
        elif wd in shape.hard_days:
            events.append(Event(d, "hard", planned=True))
    return tuple(sorted(events, key=lambda e: (e.date, e.kind)))


def _longest_before(runs: pd.DataFrame, days: np.ndarray, as_of: date) -> float | None:
    recent = days >= np.datetime64(as_of - timedelta(days=30), "D")
    if not recent.any():
        return None
    return float(runs["distance_km"].to_numpy()[recent].max())
