"""Daily totals: per athlete and local date, what that day's counted activities add up to, so the
weekly totals and ACWR need no per-activity read.

Counted is what the load model counts (``recommender.load.prepare_runs``): on-foot sports, primaries
only (``duplicate_of`` null). Pure: the SQL that recomputes given days from the activities (the
store runs it in the transaction that changed them; migration 0003 runs it once for every day), and
the daily frame the rows make (``recommender.load.LoadModel.daily``'s columns).
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from datetime import date
from typing import Any

import numpy as np
import pandas as pd
import sqlalchemy as sa
from sqlalchemy.sql import Executable

# recommender.load.ON_FOOT (a test keeps them equal; ingest does not import the recommender)
ON_FOOT = ("run", "trail_run", "treadmill", "hike", "walk")

# Light table descriptions (not the ORM models), so migration 0003 can run the same SQL.
activities = sa.table(
    "activities",
    sa.column("athlete_id", sa.Integer),
    sa.column("local_date", sa.Date),
    sa.column("sport", sa.String),
    sa.column("duplicate_of", sa.Integer),
    sa.column("distance_m", sa.Float),
    sa.column("ascent_m", sa.Float),
    sa.column("descent_m", sa.Float),
    sa.column("descent_load_m", sa.Float),
    sa.column("km_effort", sa.Float),
    sa.column("trimp", sa.Float),
)
daily_totals = sa.table(
    "daily_totals",
    sa.column("athlete_id", sa.Integer),
    sa.column("local_date", sa.Date),
    sa.column("runs", sa.Integer),
    sa.column("distance_m", sa.Float),
    sa.column("ascent_m", sa.Float),
    sa.column("descent_m", sa.Float),
    sa.column("descent_load_m", sa.Float),
    sa.column("km_effort", sa.Float),
    sa.column("load", sa.Float),
    sa.column("trimp_load", sa.Float),
    sa.column("longest_m", sa.Float),
    sa.column("max_descent_load_m", sa.Float),
)
VALUE_COLUMNS = tuple(c.name for c in daily_totals.columns)[2:]


def _day_values() -> list[Any]:
    """The aggregate expressions, in VALUE_COLUMNS order (nulls count as 0, like the load model's
    ``nan_to_num``; load is TRIMP when positive, else km-effort, else km + D+/100)."""
    a = activities.c

    def zero(col: Any) -> Any:
        return sa.func.coalesce(col, 0.0)

    effort = sa.func.coalesce(a.km_effort, zero(a.distance_m) / 1000.0 + zero(a.ascent_m) / 100.0)
    from_trimp = sa.and_(a.trimp.is_not(None), a.trimp > 0)
    load = sa.case((from_trimp, a.trimp), else_=effort)
    return [
        sa.func.count(),
        sa.func.sum(zero(a.distance_m)),
        sa.func.sum(zero(a.ascent_m)),
        sa.func.sum(zero(a.descent_m)),
        sa.func.sum(zero(a.descent_load_m)),
        sa.func.sum(effort),
        sa.func.sum(load),
        sa.func.sum(sa.case((from_trimp, a.trimp), else_=0.0)),
        sa.func.max(zero(a.distance_m)),
        sa.func.max(zero(a.descent_load_m)),
    ]


def refresh(athlete_id: int | None = None, days: Iterable[date] | None = None) -> list[Executable]:
    """Statements that make ``daily_totals`` equal to a recomputation from ``activities`` for
    ``days`` of ``athlete_id`` (None: every athlete, every day). Run them in one transaction."""
    t, a = daily_totals.c, activities.c
    delete = sa.delete(daily_totals)
    select = sa.select(a.athlete_id, a.local_date, *_day_values()).where(
        a.duplicate_of.is_(None), a.sport.in_(ON_FOOT)
    )
    if athlete_id is not None:
        delete = delete.where(t.athlete_id == athlete_id)
        select = select.where(a.athlete_id == athlete_id)
    if days is not None:
        wanted = sorted(set(days))
        if not wanted:
            return []
        delete = delete.where(t.local_date.in_(wanted))
        select = select.where(a.local_date.in_(wanted))
    select = select.group_by(a.athlete_id, a.local_date)
    names = [c.name for c in daily_totals.columns]
    return [delete, sa.insert(daily_totals).from_select(names, select)]


def read(athlete_id: int, before: date) -> sa.Select[Any]:
    """The athlete's rows with ``local_date < before``, oldest first (for ``daily_frame``)."""
    t = daily_totals.c
    return (
        sa.select(t.local_date, *(getattr(t, name) for name in VALUE_COLUMNS))
        .where(t.athlete_id == athlete_id, t.local_date < before)
        .order_by(t.local_date)
    )


def daily_frame(rows: Sequence[Sequence[Any]], *, as_of: date) -> pd.DataFrame:
    """``read`` rows → the load model's daily frame: every calendar day from the first counted
    day to the day before ``as_of`` (zeros on rest days), DatetimeIndex ``day``."""
    rows = [r for r in rows if r[0] < as_of]
    if not rows:
        return pd.DataFrame(index=pd.DatetimeIndex([], name="day"))
    days = np.array([r[0] for r in rows], dtype="datetime64[D]")
    first = days.min()
    n = int((np.datetime64(as_of, "D") - first).astype(int))
    idx = (days - first).astype(int)
    values = np.zeros((n, len(VALUE_COLUMNS)))
    values[idx] = np.array([r[1:] for r in rows], dtype=float)
    col = {name: values[:, i] for i, name in enumerate(VALUE_COLUMNS)}
    with np.errstate(invalid="ignore", divide="ignore"):
        share = np.where(col["load"] > 0, col["trimp_load"] / col["load"], np.nan)
    return pd.DataFrame(
        {
            "distance_km": col["distance_m"] / 1000.0,
            "ascent_m": col["ascent_m"],
            "descent_m": col["descent_m"],
            "descent_load_m": col["descent_load_m"],
            "km_effort": col["km_effort"],
            "load": col["load"],
            "long_run_km": col["longest_m"] / 1000.0,
            "max_descent_load_m": col["max_descent_load_m"],
            "runs": col["runs"].astype(np.int64),
            "trimp_share": share,
        },
        index=pd.DatetimeIndex(first + np.arange(n), name="day"),
    )
