"""Builders for dose and phase tests: `dose_inputs(**overrides)`, a healthy default week."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date, timedelta
from typing import Any, Literal

from recommender.catalogue import exercise
from recommender.dose import prescribe
from recommender.phase import season_phase
from recommender.types import (
    DoseInputs,
    DoseResult,
    ExerciseRx,
    PhaseInfo,
    Race,
    Session,
    StrengthEntry,
    StrengthSet,
)

WEEK = date(2025, 6, 2)  # a Monday


def day(n: int) -> date:
    """The week's day `n` (0 = Monday)."""
    return WEEK + timedelta(days=n)


def race_in(
    days: int,
    *,
    km: float = 30.0,
    ascent_m: float = 0.0,
    descent_m: float | None = None,
    priority: Literal["A", "B", "C"] = "A",
    name: str = "goal race",
) -> Race:
    """A race `days` after the week's Monday (negative: before it)."""
    return Race(WEEK + timedelta(days=days), name, km, ascent_m, descent_m, priority)


def dose_inputs(races: Sequence[Race] = (), **overrides: Any) -> DoseInputs:
    """A trained athlete in base phase, heavy day Wednesday, light days Monday and Friday, ACWR 1.0,
    good sleep, 8 weeks of strength history and plenty of descent. `races` sets the phase."""
    week_start = overrides.get("week_start", WEEK)
    values: dict[str, Any] = {
        "week_start": week_start,
        "as_of": week_start - timedelta(days=1),
        "phase": season_phase(week_start, races) if races else PhaseInfo(phase="base"),
        "heavy_day": week_start + timedelta(days=2),
        "light_days": (week_start, week_start + timedelta(days=4)),
        "experience": "trained",
        "strength_log": (),
        "strength_weeks": 8,
        "acwr": 1.0,
        "monotony": 1.2,
        "ctl": 120.0,  # where L4's shares of CTL equal RULES' TSS numbers (8/week, −30)
        "ctl_ramp": 3.0,
        "tsb": -5.0,
        "sleep_7d_mean": 7.5,
        "soreness_recent": 2.0,
        "spike_long_run": False,
        "eccentric_block_dates": (),
        "volume_cut_pct": 0.0,
        "max_weekly_descent_load_6w_m": 5000.0,
    }
    values.update(overrides)
    return DoseInputs(**values)


def logged(exercise_id: str, when: date, reps: Sequence[int], load_kg: float) -> StrengthEntry:
    return StrengthEntry(when, exercise_id, tuple(StrengthSet(r, load_kg) for r in reps))


def plan(**overrides: Any) -> DoseResult:
    return prescribe(dose_inputs(**overrides))


def heavy_session(result: DoseResult) -> Session | None:
    return next((s for s in result.sessions if s.kind == "heavy_legs"), None)


def rx(session: Session | None, exercise_id: str) -> ExerciseRx | None:
    if session is None:
        return None
    return next((e for e in session.exercises if e.id == exercise_id), None)


def main_lifts(session: Session | None) -> list[ExerciseRx]:
    """The heavy lifts (the ones prescribed by %1RM)."""
    return [e for e in session.exercises if e.percent_1rm is not None] if session else []


def categories(sessions: Sequence[Session]) -> set[str]:
    return {c for s in sessions for e in s.exercises for c in exercise(e.id).categories}


def rules(result: DoseResult) -> list[str]:
    return [r.rule for r in result.rationale]
