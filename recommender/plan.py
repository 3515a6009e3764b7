"""The recommender's entry point: activity frame + profile + logs → WeekPlan (RULES.md §7b).

load → shape → phase → schedule → dose, then the previous week is dosed once more (as it was
planned at its own start, not recursively) for ``change_vs_last_week_pct``.

Choices [D]:
- PlanInputs' weekly km/ascent/descent/descent load are the trailing 7 days before ``as_of``
  (always a full, most recent week, whatever the week alignment or as_of inside the week).
- ``novel_descent_dates``: novel descents in the 30 days before ``as_of``.
- ``strength_weeks`` (D7 ramp): distinct athlete-weeks with any logged strength before ``as_of``;
  a novice with fewer than 2 gets the D7 schedule gap. Sleep: mean of check-ins in the 7 days
  before ``as_of``; soreness: the latest check-in of the 3 days before ``as_of`` (like every input,
  nothing from ``as_of`` itself: the plan is made at the start of that day).
- The previous week for the change figure is planned as of its own first day, or as of ``as_of``
  when that is earlier (planning weeks ahead: nothing after ``as_of`` is known for either week).
- A loaded main lift (squat/deadlift family) logged this week before ``as_of`` means the week's
  heavy session is done: ``heavy_leg_day`` is that date and only light sessions are planned.
- The heavy session's note keeps both the schedule's ordering (S2 stack: run first, lift ≥ 6 h
  later) and the dose's (plyometrics first, then the lifts).
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import replace
from datetime import date, timedelta

import numpy as np
import pandas as pd

from recommender.catalogue import CATALOGUE
from recommender.load import (
    ACWR_METHOD,
    LoadModel,
    LoadSnapshot,
    build_load_model,
    snapshot,
    trailing,
    weekly_frame,
)
from recommender.phase import season_phase
from recommender.schedule import Schedule, ScheduleInputs, choose
from recommender.shape import WeekShape, hard_flags, infer_shape, week_events
from recommender.types import (
    WEEKDAYS,
    Checkin,
    DoseInputs,
    DoseResult,
    PlanInputs,
    Profile,
    RationaleEntry,
    StrengthEntry,
    WeekPlan,
)

Prescriber = Callable[[DoseInputs], DoseResult]


def week_start_for(d: date, week_start: str) -> date:
    """The first day of the athlete week (``monday``/``saturday``/``sunday``) containing ``d``."""
    return d - timedelta(days=(d.weekday() - WEEKDAYS.index(week_start)) % 7)


def plan_week(
    activities: pd.DataFrame,
    profile: Profile,
    *,
    week_start: date,
    as_of: date,
    strength_log: Sequence[StrengthEntry] = (),
    checkins: Sequence[Checkin] = (),
    planned_long_run_km: float | None = None,
    prescribe: Prescriber | None = None,
) -> WeekPlan:
    """Plan the week starting ``week_start`` as known at the start of ``as_of``.

    ``planned_long_run_km`` overrides the inferred long-run estimate (S7); ``prescribe`` is the dose
    seam (default ``recommender.dose.prescribe``)."""
    dose = prescribe or _default_prescriber()
    this = _plan(
        activities, profile, week_start, as_of, strength_log, checkins, planned_long_run_km, dose
    )
    prev_start = week_start - timedelta(days=7)
    prev_as_of = min(prev_start, as_of)
    prev = _plan(activities, profile, prev_start, prev_as_of, strength_log, checkins, None, dose)
    change = None
    if prev.totals.sets > 0:
        change = round(100.0 * (this.totals.sets - prev.totals.sets) / prev.totals.sets, 1)
    return replace(this, totals=replace(this.totals, change_vs_last_week_pct=change))


def _default_prescriber() -> Prescriber:
    from recommender.dose import prescribe

    return prescribe


def _plan(
    activities: pd.DataFrame,
    profile: Profile,
    week_start: date,
    as_of: date,
    strength_log: Sequence[StrengthEntry],
    checkins: Sequence[Checkin],
    planned_km: float | None,
    dose: Prescriber,
) -> WeekPlan:
    model = build_load_model(activities, as_of=as_of)
    snap = snapshot(model)
    flags = hard_flags(model.runs, profile)
    shape = infer_shape(model.runs, flags, profile, week_start=week_start)
    phase = season_phase(week_start, profile.races)
    events = week_events(
        model.runs,
        flags,
        shape,
        profile.races,
        week_start=week_start,
        as_of=as_of,
        planned_long_run_km=planned_km,
    )
    log = tuple(e for e in strength_log if e.date < as_of)
    strength_weeks = len({week_start_for(e.date, profile.week_start) for e in log})
    heavy_done = max(
        (e.date for e in log if e.date >= week_start and is_heavy_lift(e)), default=None
    )
    sched = choose(
        ScheduleInputs(
            week_start=week_start,
            as_of=as_of,
            events=events,
            strategy=profile.strategy,
            strength_days=profile.strength_days,
            phase=phase,
            novice_ramp=profile.lifting_experience == "novice" and strength_weeks < 2,
            monotony=snap.monotony,
            heavy_done=heavy_done,
        )
    )
    sleep = [
        c.sleep_hours
        for c in checkins
        if c.sleep_hours is not None and as_of - timedelta(days=7) <= c.date < as_of
    ]
    sore = [c for c in checkins if c.soreness is not None and 1 <= (as_of - c.date).days <= 3]
    sleep_7d = float(np.mean(sleep)) if sleep else None
    result = dose(
        DoseInputs(
            week_start=week_start,
            as_of=as_of,
            phase=phase,
            heavy_day=sched.heavy_day,
            light_days=sched.light_days,
            experience=profile.lifting_experience,
            strength_log=log,
            strength_weeks=strength_weeks,
            acwr=snap.acwr,
            monotony=snap.monotony,
            ctl_ramp=snap.ctl_ramp,
            tsb=snap.tsb,
            sleep_7d_mean=sleep_7d,
            soreness_recent=max(sore, key=lambda c: c.date).soreness if sore else None,
            spike_long_run=sched.spike_long_run,
            eccentric_block_dates=sched.eccentric_block_dates,
            volume_cut_pct=sched.volume_cut_pct,
            max_weekly_descent_load_6w_m=_max_weekly_descent(model, profile, week_start),
            last_novel_descent=_last_novel_descent(model, as_of),
        )
    )
    sessions = tuple(
        replace(s, note=_join_notes(sched.heavy_note, s.note))
        if s.date == sched.heavy_day and s.kind == "heavy_legs"
        else s
        for s in result.sessions
    )
    inputs = _inputs(model, snap, shape, sched, phase.days_to_next_race, as_of, sleep_7d)
    return WeekPlan(
        week_start=week_start,
        as_of=as_of,
        phase=phase.phase,
        heavy_leg_day=sched.heavy_day or heavy_done,
        sessions=sessions,
        totals=result.totals,
        inputs=inputs,
        rationale=_merge(sched.rationale, result.rationale),
    )


def is_heavy_lift(entry: StrengthEntry) -> bool:
    """A logged set of a bilateral heavy lift (back squat, deadlift family) with a load."""
    ex = CATALOGUE.get(entry.exercise)
    return ex is not None and ex.bilateral_heavy and any(s.load_kg for s in entry.sets)


def _join_notes(first: str | None, then: str | None) -> str | None:
    """The schedule's note, then the dose's: "After the run, ≥ 6 h later. Plyometrics first…"."""
    if not first or not then:
        return first or then
    return f"{first[0].upper()}{first[1:]}. {then}"


def _novel_dates(model: LoadModel, since: date) -> tuple[date, ...]:
    runs = model.runs
    if not len(runs):
        return ()
    recent = runs[runs["novel_descent"] & (runs["day"] >= pd.Timestamp(since))]
    return tuple(sorted({pd.Timestamp(d).date() for d in recent["day"]}))


def _last_novel_descent(model: LoadModel, as_of: date) -> date | None:
    dates = _novel_dates(model, as_of - timedelta(days=30))
    return dates[-1] if dates else None


def _max_weekly_descent(model: LoadModel, profile: Profile, week_start: date) -> float:
    lo = pd.Timestamp(week_start - timedelta(weeks=6))
    recent = model.daily.loc[model.daily.index >= lo]  # slice first: 6 weeks, not 5 years
    weekly = weekly_frame(recent, profile.week_start)
    return float(weekly["descent_load_m"].max()) if len(weekly) else 0.0


def _inputs(
    model: LoadModel,
    snap: LoadSnapshot,
    shape: WeekShape,
    sched: Schedule,
    days_to_race: int | None,
    as_of: date,
    sleep_7d: float | None,
) -> PlanInputs:
    last7 = trailing(model, as_of, 7)

    def total(col: str) -> float:
        return round(float(last7[col].sum()), 1) if col in last7 else 0.0

    def rnd(x: float | None, n: int = 2) -> float | None:
        return None if x is None or not np.isfinite(x) else round(x, n)

    return PlanInputs(
        weekly_distance_km=total("distance_km"),
        weekly_ascent_m=total("ascent_m"),
        weekly_descent_m=total("descent_m"),
        descent_load_m=total("descent_load_m"),
        acwr=rnd(snap.acwr),
        acwr_method=ACWR_METHOD,
        long_run_day=shape.long_run_day,
        hard_days=shape.hard_days,
        days_to_next_race=days_to_race,
        novel_descent_dates=_novel_dates(model, as_of - timedelta(days=30)),
        extra={
            "ctl": rnd(snap.ctl, 1),
            "atl": rnd(snap.atl, 1),
            "tsb": rnd(snap.tsb, 1),
            "ctl_ramp": rnd(snap.ctl_ramp, 1),
            "monotony": rnd(snap.monotony),
            "strain": rnd(snap.strain, 0),
            "sleep_7d": rnd(sleep_7d, 1),
            "descent_acwr": rnd(snap.descent_acwr),
            "acwr_rolling_coupled": rnd(snap.acwr_coupled),
            "acwr_rolling_uncoupled": rnd(snap.acwr_uncoupled),
            "long_run_km_estimate": rnd(shape.long_run_km, 1),
            "shape": shape.source,
            "spike_long_run": sched.spike_long_run,
            "s6_relaxed": list(sched.relaxed),
            "volume_cut_pct": sched.volume_cut_pct,
        },
    )


def _merge(*parts: Sequence[RationaleEntry]) -> tuple[RationaleEntry, ...]:
    seen: set[RationaleEntry] = set()
    out: list[RationaleEntry] = []
    for entry in (e for part in parts for e in part):
        if entry not in seen:
            seen.add(entry)
            out.append(entry)
    return tuple(out)
