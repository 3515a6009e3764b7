"""Builders for recommender tests: activity frames shaped like the store's, one row per activity."""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass, replace
from datetime import UTC, date, datetime, time, timedelta
from typing import Any

import pandas as pd

from recommender.types import ACTIVITY_COLUMNS, WEEKDAYS, Profile

PLAN_WEEK = date(2025, 6, 2)  # a Monday; the week most tests plan


@dataclass(frozen=True)
class Run:
    km: float = 10.0
    ascent_m: float = 100.0
    descent_load_m: float = 60.0
    pace_s_per_km: float = 360.0  # per effort-km, so hills don't look like easy jogs
    avg_hr: float | None = None
    sport: str = "trail_run"


EASY = Run()
HARD = Run(km=10.0, ascent_m=80.0, descent_load_m=40.0, pace_s_per_km=270.0)
LONG = Run(km=24.0, ascent_m=600.0, descent_load_m=400.0, pace_s_per_km=380.0)
KINDS: Mapping[str, Run] = {"easy": EASY, "hard": HARD, "long": LONG}
DEFAULT_PATTERN: Mapping[str, str | Run] = {
    "tuesday": "hard",
    "thursday": "easy",
    "saturday": "long",
    "sunday": "easy",
}


def activity(day: date, run: Run = EASY, **changes: Any) -> dict[str, Any]:
    run = replace(run, **changes)
    effort = run.km + run.ascent_m / 100.0
    moving = effort * run.pace_s_per_km
    start = datetime.combine(day, time(7, 0), tzinfo=UTC)
    row: dict[str, Any] = {
        "start": pd.Timestamp(start),
        "local_date": day,
        "sport": run.sport,
        "duration_s": moving * 1.05,
        "moving_s": moving,
        "distance_m": run.km * 1000.0,
        "ascent_m": run.ascent_m,
        "descent_m": run.ascent_m,
        "descent_load_m": run.descent_load_m,
        "km_effort": effort,
        "trimp": None,
        "avg_hr": run.avg_hr,
        "max_hr": None if run.avg_hr is None else run.avg_hr + 15,
    }
    return row


def frame(rows: Iterable[Mapping[str, Any]]) -> pd.DataFrame:
    df = pd.DataFrame(list(rows), columns=list(ACTIVITY_COLUMNS))
    for col in ACTIVITY_COLUMNS[3:]:
        df[col] = pd.to_numeric(df[col]).astype(float)
    return df


def make_history(
    weeks: int = 6,
    pattern: Mapping[str, str | Run] | None = None,
    *,
    before: date = PLAN_WEEK,
    extra: Iterable[Mapping[str, Any]] = (),
) -> pd.DataFrame:
    """``weeks`` Monday-weeks ending the day before ``before``, one run per pattern weekday."""
    pattern = pattern or {
        "tuesday": "hard",
        "thursday": "easy",
        "saturday": "long",
        "sunday": "easy",
    }
    first = before - timedelta(days=7 * weeks)
    rows = []
    for offset in range(7 * weeks):
        day = first + timedelta(days=offset)
        spec = pattern.get(WEEKDAYS[day.weekday()])
        if spec is not None:
            rows.append(activity(day, KINDS[spec] if isinstance(spec, str) else spec))
    return frame([*rows, *extra])


def week_with_long_run_on(
    day: str, *, hard: Iterable[str] = ("tuesday",), weeks: int = 6, before: date = PLAN_WEEK
) -> pd.DataFrame:
    pattern: dict[str, str | Run] = {d: "hard" for d in hard}
    for easy in ("monday", "wednesday", "friday"):
        if easy not in pattern and easy != day:
            pattern[easy] = "easy"
    pattern[day] = "long"
    return make_history(weeks, pattern, before=before)


def profile(**changes: Any) -> Profile:
    return replace(Profile(), **changes)


def days_from(start: date, loads: Iterable[float]) -> pd.DataFrame:
    """One flat run per day whose km-effort equals the given load (0 → rest day)."""
    rows = []
    for i, load in enumerate(loads):
        if load > 0:
            rows.append(activity(start + timedelta(days=i), Run(km=load, ascent_m=0.0)))
    return frame(rows)
