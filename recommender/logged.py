"""What the strength log says about the planned week: sessions already done before ``as_of``.

Choices [D]:
- A day of this week before ``as_of`` with a loaded bilateral heavy lift (squat/deadlift family,
  ``bilateral_heavy`` in the catalogue), or with both lifts of a main-lift pair the dose prescribes
  for some equipment (``recommender.equipment.PAIRS``: goblet squat + single-leg RDL, bodyweight
  split squat + single-leg RDL, loaded or not), means the week's heavy session is done (S1: one
  heavy session a week): a dumbbell or bodyweight heavy day logged "as planned" is a heavy day.
- Every day of this week with logged strength before ``as_of`` becomes a done ``Session``
  (``done=True``): ``heavy_legs`` when it holds a heavy lift, else ``light``. Its sets count in the
  week's totals, so "change vs last week" compares whole weeks (done + still planned) with the
  previous week as planned at its start. A past day with nothing logged counts as not done.
- A logged exercise shows its number of sets, its fewest reps at the top load, the top load in kg,
  the top RPE; ``heavy_sets`` counts the sets of logged heavy lifts, as the dose counts the sets of
  the main lifts. An exercise missing from the catalogue is shown under its id, focus "squat".
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date

from recommender.catalogue import CATALOGUE
from recommender.equipment import PAIRS
from recommender.types import WEEKDAYS, ExerciseRx, Session, StrengthEntry

DONE_NOTE = "Logged: done."


def is_heavy_lift(entry: StrengthEntry) -> bool:
    """A logged set of a bilateral heavy lift (back squat, deadlift family) with a load."""
    ex = CATALOGUE.get(entry.exercise)
    return ex is not None and ex.bilateral_heavy and any(s.load_kg for s in entry.sets)


def is_heavy_day(entries: Sequence[StrengthEntry]) -> bool:
    """A loaded bilateral heavy lift, or both lifts of a main-lift pair, logged that day."""
    done = {e.exercise for e in entries if e.sets}
    return any(is_heavy_lift(e) for e in entries) or any(
        set(pair) <= done for pairs in PAIRS.values() for pair in pairs
    )


def heavy_done(log: Sequence[StrengthEntry], week_start: date, as_of: date) -> date | None:
    """The latest day of this week, before ``as_of``, with a logged heavy session."""
    by_day: dict[date, list[StrengthEntry]] = {}
    for e in log:
        if week_start <= e.date < as_of:
            by_day.setdefault(e.date, []).append(e)
    return max((d for d, entries in by_day.items() if is_heavy_day(entries)), default=None)


def done_sessions(
    log: Sequence[StrengthEntry], week_start: date, as_of: date
) -> tuple[Session, ...]:
    """The sessions logged this week before ``as_of``, oldest first."""
    by_day: dict[date, list[StrengthEntry]] = {}
    for e in log:
        if week_start <= e.date < as_of and e.sets:
            by_day.setdefault(e.date, []).append(e)
    return tuple(_session(day, by_day[day]) for day in sorted(by_day))


def done_heavy_sets(sessions: Sequence[Session]) -> int:
    return sum(
        x.sets
        for s in sessions
        for x in s.exercises
        if x.id in CATALOGUE and CATALOGUE[x.id].bilateral_heavy and x.load_kg
    )


def _session(day: date, entries: list[StrengthEntry]) -> Session:
    rx = tuple(_rx(e) for e in entries)
    heavy = is_heavy_day(entries)
    return Session(
        date=day,
        weekday=WEEKDAYS[day.weekday()],  # type: ignore[arg-type]
        kind="heavy_legs" if heavy else "light",
        exercises=rx,
        foot_contacts=sum(x.foot_contacts for x in rx),
        note=DONE_NOTE,
        done=True,
    )


def _rx(entry: StrengthEntry) -> ExerciseRx:
    ex = CATALOGUE.get(entry.exercise)
    top = max((s.load_kg or 0.0) for s in entry.sets)
    at_top = [s for s in entry.sets if (s.load_kg or 0.0) == top]
    rpes = [s.rpe for s in entry.sets if s.rpe is not None]
    reps = min(s.reps for s in at_top)
    return ExerciseRx(
        id=entry.exercise,
        name=ex.name if ex else entry.exercise.replace("_", " ").capitalize(),
        focus=ex.focus if ex else "squat",
        sets=len(entry.sets),
        reps=reps,
        load_kg=top or None,
        rpe=max(rpes) if rpes else None,
        foot_contacts=len(entry.sets) * reps * (ex.contacts_per_rep if ex else 0),
    )
