"""The numbers a plan reports it used (``WeekPlan.inputs``), and the load facts the dose reads.

Choices [D]:
- Weekly km/ascent/descent/descent load are the 7 days before the reference day (``ratios``: a
  week boundary): the full week the plan starts from, the same moment as ACWR, TSB and monotony,
  so a plan shows the same inputs whichever day of the week it is made.
- ``novel_descent_dates``: novel descents in the 30 days before ``as_of`` (what is known).
"""

from __future__ import annotations

from datetime import date, timedelta

import numpy as np
import pandas as pd

from recommender.load import LoadModel, trailing, weekly_frame
from recommender.ratios import ACWR_METHOD, MIN_DATA_DAYS, MIN_RUNS, LoadSnapshot
from recommender.schedule import Schedule
from recommender.shape import WeekShape
from recommender.types import PlanInputs, Profile, RationaleEntry

NOVEL_LOOKBACK_DAYS = 30


def novel_dates(model: LoadModel, since: date) -> tuple[date, ...]:
    runs = model.runs
    if not len(runs):
        return ()
    recent = runs[runs["novel_descent"] & (runs["day"] >= pd.Timestamp(since))]
    return tuple(sorted({pd.Timestamp(d).date() for d in recent["day"]}))


def last_novel_descent(model: LoadModel, as_of: date) -> date | None:
    dates = novel_dates(model, as_of - timedelta(days=NOVEL_LOOKBACK_DAYS))
    return dates[-1] if dates else None


def max_weekly_descent(model: LoadModel, profile: Profile, week_start: date) -> float:
    """D5: the athlete's largest weekly D−eff in the 6 weeks before ``week_start``."""
    lo = pd.Timestamp(week_start - timedelta(weeks=6))
    recent = model.daily.loc[model.daily.index >= lo]  # slice first: 6 weeks, not 5 years
    weekly = weekly_frame(recent, profile.week_start)
    return float(weekly["descent_load_m"].max()) if len(weekly) else 0.0


def data_notes(snap: LoadSnapshot, ref: date) -> list[RationaleEntry]:
    """What the load data could not say: too little of it, or a gap (RULES.md L2, issue 11)."""
    out: list[RationaleEntry] = []
    if snap.too_little_data:
        out.append(
            RationaleEntry(
                "L2",
                f"too little data before {ref}: {snap.data_days} days and {snap.runs} runs "
                f"(< {MIN_DATA_DAYS} days or < {MIN_RUNS} runs) → the phase's base template, "
                "no ACWR, CTL/TSB or monotony modulation",
            )
        )
    for first, last in snap.gaps:
        days = (last - first).days + 1
        out.append(
            RationaleEntry(
                "L2",
                f"data gap seen: no runs {first} … {last} ({days} days) → left out of ACWR and "
                "CTL, not counted as rest",
            )
        )
    return out


def _rnd(x: float | None, n: int = 2) -> float | None:
    return None if x is None or not np.isfinite(x) else round(x, n)


def plan_inputs(
    model: LoadModel,
    snap: LoadSnapshot,
    shape: WeekShape,
    sched: Schedule,
    days_to_race: int | None,
    *,
    ref: date,
    as_of: date,
    sleep: list[float],
) -> PlanInputs:
    last7 = trailing(model, ref, 7)
    sleep_7d = float(np.mean(sleep)) if sleep else None

    def total(col: str) -> float:
        return round(float(last7[col].sum()), 1) if col in last7 else 0.0

    return PlanInputs(
        weekly_distance_km=total("distance_km"),
        weekly_ascent_m=total("ascent_m"),
        weekly_descent_m=total("descent_m"),
        descent_load_m=total("descent_load_m"),
        acwr=_rnd(snap.acwr),
        acwr_method=ACWR_METHOD,
        long_run_day=shape.long_run_day,
        hard_days=shape.hard_days,
        days_to_next_race=days_to_race,
        novel_descent_dates=novel_dates(model, as_of - timedelta(days=NOVEL_LOOKBACK_DAYS)),
        extra={
            "reference_day": ref.isoformat(),
            "ctl": _rnd(snap.ctl, 1),
            "atl": _rnd(snap.atl, 1),
            "tsb": _rnd(snap.tsb, 1),
            "ctl_ramp": _rnd(snap.ctl_ramp, 1),
            "monotony": _rnd(snap.monotony),
            "strain": _rnd(snap.strain, 0),
            "sleep_7d": _rnd(sleep_7d, 1),
            "sleep_nights": len(sleep),
            "data_days": snap.data_days,
            "runs_counted": snap.runs,
            "too_little_data": snap.too_little_data,
            "data_gaps": [[a.isoformat(), b.isoformat()] for a, b in snap.gaps],
            "weekly_trimp": total("trimp_load") if "trimp_load" in last7 else None,
            "descent_acwr": _rnd(snap.descent_acwr),
            "acwr_rolling_coupled": _rnd(snap.acwr_coupled),
            "acwr_rolling_uncoupled": _rnd(snap.acwr_uncoupled),
            "long_run_km_estimate": _rnd(shape.long_run_km, 1),
            "shape": shape.source,
            "spike_long_run": sched.spike_long_run,
            "s6_relaxed": list(sched.relaxed),
            "volume_cut_pct": sched.volume_cut_pct,
        },
    )
