"""Light-session days around the heavy day (RULES.md S1: light work on other days).

Up to 2 available days from ``as_of`` on, never the heavy day, a long-run/race day or the day before
a long run, key session or race, nor a race-week day < 3 days before the race; chosen to spread out
(largest distance to the heavy day, a heavy session already done this week and the days already
chosen, ≥ 2 days apart), easy days first, then the later day.

Fallback [D]: when the week has no heavy day and that pool is empty (a re-plan late in the week
whose remaining days are the long run and the day before it), the week still gets one light
session: the latest remaining day that is not a race day nor < 3 days before a race. It is a
"quiet" light day (``quiet_days``): balance, core, back, no jumps.
"""

from __future__ import annotations

from datetime import date, timedelta

from recommender.schedule_rules import ScheduleInputs
from recommender.shape import weekday

LIGHT_DAYS = 2


def light_days(inp: ScheduleInputs, heavy: date | None, week: list[date]) -> tuple[date, ...]:
    key_days = {e.date for e in inp.events if e.kind in ("long_run", "race")}
    races = [e.date for e in inp.events if e.kind == "race"]
    hard = {e.date for e in inp.events if e.kind == "hard"}
    pool = [
        d
        for d in week
        if d >= inp.as_of
        and d != heavy
        and weekday(d) in inp.strength_days
        and d not in key_days
        and (d + timedelta(days=1)) not in key_days
        and not any(0 <= (r - d).days < 3 for r in races)
    ]
    chosen: list[date] = [d for d in (heavy, inp.heavy_done) if d is not None]
    picks: list[date] = []
    while pool and len(picks) < LIGHT_DAYS:

        def score(d: date) -> tuple[int, bool, int]:
            spread = min((abs((d - c).days) for c in chosen), default=7)
            return (spread, d not in hard, -d.toordinal())

        best = max(pool, key=score)
        if chosen and score(best)[0] < 2:
            break
        picks.append(best)
        chosen.append(best)
        pool.remove(best)
    if not picks and heavy is None and inp.heavy_done is None:
        spare = [
            d
            for d in week
            if d >= inp.as_of
            and weekday(d) in inp.strength_days
            and not any(0 <= (r - d).days < 3 for r in races)
        ]
        picks = spare[-1:]
    return tuple(sorted(picks))


def quiet_days(inp: ScheduleInputs, days: tuple[date, ...]) -> tuple[date, ...]:
    """Light days that may hold no jumps: a long-run day or the day before a long run/key run."""
    key_days = {e.date for e in inp.events if e.kind in ("long_run", "race")}
    return tuple(d for d in days if d in key_days or d + timedelta(days=1) in key_days)
