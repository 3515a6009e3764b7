"""The service between the store and the recommender: stored data in, a ``WeekPlan`` or the weekly
totals out. The API's routes, the calendar feed and the CLI all call ``athlete_plan`` and
``athlete_weeks``; nobody else turns store records into the recommender's values.

Below those two, pure helpers: the athlete's local weeks, weekly totals, records → the recommender's
``Profile``/``StrengthEntry``/``Checkin``. The load model itself is ``recommender.load``."""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from datetime import date, timedelta
from typing import TYPE_CHECKING, Any

import pandas as pd

from api.strength_log import recommender_sets, usable
from recommender.load import build_load_model, weekly_frame
from recommender.ratios import ACWR_METHOD, acwr_as_of, acwr_series
from recommender.types import (
    DEFAULT_EQUIPMENT,
    WEEKDAYS,
    Checkin,
    Profile,
    Race,
    Session,
    StrengthEntry,
    WeekPlan,
)

if TYPE_CHECKING:
    from ingest.store import AthleteRecord, Store

TOTAL_COLUMNS = ("distance_km", "ascent_m", "descent_m", "descent_load_m", "km_effort", "load")
# A week's ACWR is read at its start boundary: the start of its first day (``acwr_as_of``).
WEEK_ACWR_METHOD = (
    f"{ACWR_METHOD}, on daily load, as the week starts "
    "(at the start of its first day: load up to the day before)"
)


def athlete_plan(store: Store, athlete: AthleteRecord, week: date, as_of: date) -> WeekPlan:
    """The plan of the week holding ``week``, as of ``as_of``: what the recommender needs read from
    the store (nothing logged after ``as_of``), then planned (pure)."""
    return plan_for(
        store.activities_frame(athlete.id),
        athlete,
        usable(store.list_strength(athlete.id, end=as_of)),
        store.list_checkins(athlete.id, end=as_of),
        week_start=week_start_of(week, athlete.week_start),
        as_of=as_of,
    )


def planned_session(
    store: Store, athlete: AthleteRecord, day: date, today: date
) -> tuple[WeekPlan, Session | None]:
    """The plan of ``day``'s week and the strength session it plans on ``day`` (None: none, or
    one already logged as done). A future day is planned as of today; a past one as of that day
    (what the plan held for it that morning)."""
    plan = athlete_plan(store, athlete, day, min(day, today))
    found = next((s for s in plan.sessions if s.date == day and not s.done), None)
    return plan, found


def athlete_weeks(
    store: Store, athlete: AthleteRecord, *, end: date, count: int
) -> list[dict[str, Any]]:
    """``count`` weekly totals ending with the week holding ``end``, from the store's daily totals
    (no per-activity read)."""
    daily = store.daily_frame(athlete.id, as_of=end + timedelta(days=1))
    return weekly_rows(daily, end=end, count=count, week_start=athlete.week_start)


def week_start_of(day: date, week_start: str) -> date:
    """The first day of the athlete's week that contains ``day``."""
    return day - timedelta(days=(day.weekday() - WEEKDAYS.index(week_start)) % 7)


def weekly_totals(
    activities: pd.DataFrame, *, end: date, count: int, week_start: str
) -> list[dict[str, Any]]:
    """``count`` weeks ending with the week holding ``end`` (days after ``end`` not counted).

    ACWR is the plan's (rolling 7:28 on km-effort, data gaps skipped) as the week starts (load
    up to the day before), None with too little data: the number the week's plan uses
    (``recommender.ratios``), stable all week.
    """
    daily = build_load_model(activities, as_of=end + timedelta(days=1)).daily
    return weekly_rows(daily, end=end, count=count, week_start=week_start)


def weekly_rows(
    daily: pd.DataFrame, *, end: date, count: int, week_start: str
) -> list[dict[str, Any]]:
    """``weekly_totals`` from the load model's daily frame up to ``end`` (the API reads it from
    the store's daily totals, ``Store.daily_frame``, instead of every activity)."""
    last_start = week_start_of(end, week_start)
    starts = [last_start - timedelta(weeks=i) for i in reversed(range(count))]
    by_week: dict[date, dict[str, float]] = {}
    acwr = acwr_series(daily)
    if not daily.empty:
        weekly = weekly_frame(daily, week_start)
        for stamp, values in zip(weekly.index, weekly.to_dict("records"), strict=True):
            by_week[pd.Timestamp(stamp).date()] = {str(k): float(v) for k, v in values.items()}
    rows = []
    for start in starts:
        row = by_week.get(start, {})
        rows.append(
            {
                "week_start": start,
                **{c: round(row.get(c, 0.0), 2) for c in TOTAL_COLUMNS},
                "long_run_km": round(row.get("long_run_km", 0.0), 2),
                "runs": int(row.get("runs", 0)),
                "acwr": _round(acwr_as_of(acwr, start)),
                "acwr_method": WEEK_ACWR_METHOD,
            }
        )
    return rows


def _round(value: float | None) -> float | None:
    return None if value is None else round(value, 3)


# --- store records → the recommender's values ------------------------------------------------


def recommender_profile(athlete: Any) -> Profile:
    """An athlete record (``ingest.store.AthleteRecord``) → ``recommender.types.Profile``."""
    races = tuple(
        Race(
            date=date.fromisoformat(r["date"]) if isinstance(r["date"], str) else r["date"],
            name=r.get("name") or "race",
            distance_km=float(r.get("distance_km") or 0.0),
            ascent_m=float(r.get("ascent_m") or 0.0),
            descent_m=None if r.get("descent_m") is None else float(r["descent_m"]),
            priority=r.get("priority") or "A",
        )
        for r in athlete.races
    )
    return Profile(
        name=athlete.name,
        timezone=athlete.timezone,
        week_start=athlete.week_start,
        strategy=athlete.strategy,
        strength_days=tuple(athlete.strength_days),
        long_run_day=athlete.long_run_day,
        hard_days=None if athlete.hard_days is None else tuple(athlete.hard_days),
        sex=athlete.sex,
        hr_rest=athlete.hr_rest,
        hr_max=athlete.hr_max,
        lifting_experience=athlete.lifting_experience,
        races=races,
        equipment=tuple(getattr(athlete, "equipment", DEFAULT_EQUIPMENT)),
        units="imperial" if getattr(athlete, "units", "metric") == "imperial" else "metric",
    )


def strength_entries(records: Iterable[Any]) -> tuple[StrengthEntry, ...]:
    """Strength-log records → the recommender's entries (the caller picks which: ``usable``)."""
    return tuple(
        StrengthEntry(date=r.date, exercise=r.exercise, sets=recommender_sets(r.sets))
        for r in records
    )


def checkins(records: Sequence[Any]) -> tuple[Checkin, ...]:
    return tuple(Checkin(r.date, r.sleep_hours, r.soreness, r.note) for r in records)


def plan_for(
    activities: pd.DataFrame,
    athlete: Any,
    strength: Iterable[Any],
    checkin_records: Sequence[Any],
    *,
    week_start: date,
    as_of: date,
) -> WeekPlan:
    """Store records in, the recommender's WeekPlan out (the recommender stays pure)."""
    from recommender.plan import plan_week

    return plan_week(
        activities,
        recommender_profile(athlete),
        week_start=week_start,
        as_of=as_of,
        strength_log=strength_entries(strength),
        checkins=checkins(checkin_records),
    )
