"""The recommender's entry point: activity frame + profile + logs → WeekPlan (RULES.md §7b).

load → shape → phase → schedule → dose, then the previous week is dosed once more (as it was
planned at its own start, not recursively) for ``change_vs_last_week_pct``.

Choices [D]:
- The load state (ACWR, CTL ramp, TSB, monotony) and the reported weekly totals are read at the
  reference day (``ratios.reference_day``: the week's first day, or the first day of the current
  week for a week planned ahead); events (long run done, novel descents, logged sessions, sleep,
  soreness) up to ``as_of``.
- ``strength_weeks`` (D7 ramp): distinct athlete-weeks with any logged strength before ``as_of``;
  a novice with fewer than 2 gets the D7 schedule gap. Sleep: mean of check-ins in the 7 days
  before ``as_of``; soreness: the latest check-in of the 3 days before ``as_of`` (like every input,
  nothing from ``as_of`` itself: the plan is made at the start of that day).
- The previous week for the change figure is planned as of its own first day, or as of ``as_of``
  when that is earlier (planning weeks ahead: nothing after ``as_of`` is known for either week).
- A loaded main lift (squat/deadlift family) logged this week before ``as_of`` means the week's
  heavy session is done: ``heavy_leg_day`` is that date and only light sessions are planned. The
  sessions logged this week come first in ``sessions`` (``done``) and count in the totals
  (``recommender.logged``), so the change is whole week against whole week.
- The heavy session's note keeps both the schedule's ordering (S2 stack: run first, lift ≥ 6 h
  later) and the dose's (plyometrics first, then the lifts).
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import replace
from datetime import date, timedelta

import numpy as np
import pandas as pd

from recommender.load import build_load_model
from recommender.logged import done_heavy_sets, done_sessions, heavy_done
from recommender.phase import season_phase
from recommender.plan_inputs import (
    data_notes,
    last_novel_descent,
    max_weekly_descent,
    plan_inputs,
)
from recommender.ratios import reference_day, snapshot
from recommender.readiness import SLEEP_MIN_NIGHTS
from recommender.schedule import ScheduleInputs, choose
from recommender.shape import hard_flags, infer_shape, week_events
from recommender.types import (
    WEEKDAYS,
    Checkin,
    DoseInputs,
    DoseResult,
    Profile,
    RationaleEntry,
    StrengthEntry,
    Totals,
    WeekPlan,
)
from recommender.volume import week_volume

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
    args = (activities, profile, strength_log, checkins)
    this = _plan(*args, week_start, as_of, planned_long_run_km, dose)
    ref = (
        this
        if as_of <= week_start
        else _plan(*args, week_start, week_start, planned_long_run_km, dose)
    )
    prev_start = week_start - timedelta(days=7)
    prev = _plan(*args, prev_start, min(prev_start, as_of), None, dose)
    change, basis = change_vs_last_week(ref, prev)
    totals = replace(this.totals, change_vs_last_week_pct=change)
    extra = {**this.inputs.extra, "change_basis": basis}
    return replace(this, totals=totals, inputs=replace(this.inputs, extra=extra))


def change_vs_last_week(this: WeekPlan, prev: WeekPlan) -> tuple[float | None, str]:
    """This week's plan against last week's plan, both as planned on their first day (or as known
    today when planned ahead), in hard-set equivalents (``recommender.volume``)."""
    if prev.heavy_leg_day is None or not prev.totals.volume:
        why = "race week" if prev.phase == "race_week" else "no heavy session"
        return None, f"no change figure: last week ({prev.week_start}) had {why}"
    a, b = this.totals.volume or 0.0, prev.totals.volume
    basis = (
        f"this week's plan vs last week's plan ({prev.week_start}), each as planned on its "
        f"first day: {b:.1f} → {a:.1f} hard-set equivalents (sets weighted by intensity)"
    )
    return round(100.0 * (a - b) / b, 1) + 0.0, basis  # + 0.0: no "−0.0"


def _default_prescriber() -> Prescriber:
    from recommender.dose import prescribe

    return prescribe


def _plan(
    activities: pd.DataFrame,
    profile: Profile,
    strength_log: Sequence[StrengthEntry],
    checkins: Sequence[Checkin],
    week_start: date,
    as_of: date,
    planned_km: float | None,
    dose: Prescriber,
) -> WeekPlan:
    model = build_load_model(activities, as_of=as_of)
    ref = reference_day(week_start, as_of, profile.week_start)
    snap = snapshot(model, at=ref)
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
    done = heavy_done(log, week_start, as_of)
    logged = done_sessions(log, week_start, as_of)
    sched = choose(
        ScheduleInputs(
            week_start=week_start,
            as_of=as_of,
            events=events,
            strategy=profile.strategy,
            strength_days=profile.strength_days,
            phase=phase,
            novice_ramp=profile.lifting_experience == "novice" and strength_weeks < 2,
            monotony=snap.monotony,  # None with too little data: no ratio-driven placement
            heavy_done=done,
            previous_heavy=heavy_done(log, week_start - timedelta(days=7), week_start),
        )
    )
    sleep = [
        c.sleep_hours
        for c in checkins
        if c.sleep_hours is not None and as_of - timedelta(days=7) <= c.date < as_of
    ]
    sore = [c for c in checkins if c.soreness is not None and 1 <= (as_of - c.date).days <= 3]
    sleep_7d = float(np.mean(sleep)) if len(sleep) >= SLEEP_MIN_NIGHTS else None
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
            max_weekly_descent_load_6w_m=max_weekly_descent(model, profile, week_start),
            last_novel_descent=last_novel_descent(model, as_of),
            ctl=snap.ctl,
            quiet_days=sched.quiet_days,
            equipment=profile.equipment,
            units=profile.units,
            sleep_nights=len(sleep),
        )
    )
    planned = tuple(
        replace(s, note=_join_notes(sched.heavy_note, s.note))
        if s.date == sched.heavy_day and s.kind == "heavy_legs"
        else s
        for s in result.sessions
    )
    inputs = plan_inputs(
        model, snap, shape, sched, phase.days_to_next_race, ref=ref, as_of=as_of, sleep=sleep
    )
    t = result.totals
    totals = Totals(
        sets=t.sets + sum(x.sets for s in logged for x in s.exercises),
        heavy_sets=t.heavy_sets + done_heavy_sets(logged),
        foot_contacts=t.foot_contacts + sum(s.foot_contacts for s in logged),
        change_vs_last_week_pct=None,
        volume=week_volume(logged + planned),
    )
    return WeekPlan(
        week_start=week_start,
        as_of=as_of,
        phase=phase.phase,
        heavy_leg_day=sched.heavy_day or done,
        sessions=logged + planned,
        totals=totals,
        inputs=inputs,
        rationale=_merge(data_notes(snap, ref), sched.rationale, result.rationale),
    )


def _join_notes(first: str | None, then: str | None) -> str | None:
    """The schedule's note, then the dose's: "After the run, ≥ 6 h later. Plyometrics first…"."""
    if not first or not then:
        return first or then
    return f"{first[0].upper()}{first[1:]}. {then}"


def _merge(*parts: Sequence[RationaleEntry]) -> tuple[RationaleEntry, ...]:
    """One list, each entry once, its text without a repeated "ID: " (the id has its own field)."""
    seen: set[RationaleEntry] = set()
    out: list[RationaleEntry] = []
    for raw in (e for part in parts for e in part):
        entry = RationaleEntry(raw.rule, raw.text.removeprefix(f"{raw.rule}: "))
        if entry not in seen:
            seen.add(entry)
            out.append(entry)
    return tuple(out)
