"""Long-range series for the dashboard's trends page, read through the store and the recommender's
pure load functions (no rule runs here):

- ``load_series``: daily load with CTL/ATL/TSB (Performance Manager, RULES.md §2.4) and the
  ACWR (§2.3) over the last ``days`` days, each curve computed over the whole history first (so the
  first shown day is not a cold start);
- ``lift_series``: per exercise, each logged session's best Epley e1RM (D6) and top set.
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import date, timedelta
from typing import TYPE_CHECKING, Any

import numpy as np

from api.plans import strength_entries
from recommender.catalogue import CATALOGUE
from recommender.progression import epley_e1rm
from recommender.ratios import ACWR_METHOD, acwr_series, pmc

if TYPE_CHECKING:
    from ingest.store import AthleteRecord, Store

CTL_DAYS, ATL_DAYS = 42, 7


def load_series(store: Store, athlete: AthleteRecord, *, end: date, days: int) -> dict[str, Any]:
    """Daily rows for the ``days`` days ending with ``end`` (none before the first activity)."""
    daily = store.daily_frame(athlete.id, as_of=end + timedelta(days=1))
    rows: list[dict[str, Any]] = []
    if not daily.empty:
        load = daily["load"].to_numpy(dtype=float)
        ctl, atl, tsb = pmc(load)
        acwr = acwr_series(daily).to_numpy(dtype=float)
        first = end - timedelta(days=days - 1)
        for i, stamp in enumerate(daily.index):
            day = stamp.date()
            if day < first:
                continue
            rows.append(
                {
                    "date": day,
                    "load": round(float(load[i]), 2),
                    "ctl": round(float(ctl[i]), 2),
                    "atl": round(float(atl[i]), 2),
                    "tsb": round(float(tsb[i]), 2),
                    "acwr": round(float(acwr[i]), 3) if np.isfinite(acwr[i]) else None,
                }
            )
    return {
        "days": rows,
        "ctl_days": CTL_DAYS,
        "atl_days": ATL_DAYS,
        "acwr_method": ACWR_METHOD,
    }


def lift_series(records: Iterable[Any]) -> list[dict[str, Any]]:
    """Strength-log records → one series per exercise with a loaded set, most sessions first."""
    by_lift: dict[str, dict[date, dict[str, Any]]] = {}
    for entry in strength_entries(records):
        loaded = [s for s in entry.sets if s.load_kg and s.reps > 0]
        if not loaded:
            continue
        best = max(loaded, key=lambda s: epley_e1rm(float(s.load_kg or 0), s.reps))
        point = {
            "date": entry.date,
            "e1rm_kg": round(epley_e1rm(float(best.load_kg or 0), best.reps), 1),
            "load_kg": best.load_kg,
            "reps": best.reps,
        }
        day = by_lift.setdefault(entry.exercise, {})
        if entry.date not in day or point["e1rm_kg"] > day[entry.date]["e1rm_kg"]:
            day[entry.date] = point
    series = [
        {
            "exercise": lift,
            "name": CATALOGUE[lift].name if lift in CATALOGUE else lift,
            "sessions": [points[d] for d in sorted(points)],
        }
        for lift, points in by_lift.items()
    ]
    return sorted(series, key=lambda s: (-len(s["sessions"]), s["name"]))
