"""The calendar rules a heavy day is checked against (RULES.md S3, S4, S7, D7, P4–P6): the hard
constraints (``hard_block``) and the soft ones (``violations``) with their S6 relaxation level.
The calendar forms are documented in ``recommender.schedule``."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from recommender.shape import Event, weekday
from recommender.types import PhaseInfo, RationaleEntry, Strategy, Weekday

# S6 relaxes only these; the long-run/race day, the 48 h before them (S3) and the 48 h after a
# novel descent or race (S4) are hard constraints [D, issue 11 finding 6]: see ``hard_block``.
LEVELS = ("S3-hard", "D7")
LEVEL_TEXT = {
    "S3-hard": "the 2-day gap to a hard session (S3)",
    "D7": "the novice 72-h gap before the long run (D7)",
}
HARD_RULES = ("P4", "P6", "S3", "S4", "S1")
HEAVY_GAP_DAYS = 3  # ≥ 72 h between two heavy sessions, also across the week boundary [D]
VOLUME_CUT_PCT = 25.0
RUN_FIRST = "after the run, ≥ 6 h later (run first)"


@dataclass(frozen=True)
class ScheduleInputs:
    week_start: date
    as_of: date
    events: tuple[Event, ...]
    strategy: Strategy
    strength_days: tuple[Weekday, ...]
    phase: PhaseInfo
    novice_ramp: bool = False
    monotony: float | None = None
    heavy_done: date | None = None  # a heavy leg session logged this week before as_of
    previous_heavy: date | None = None  # the last heavy session logged in the week before


@dataclass(frozen=True)
class Violation:
    level: str
    rule: str
    text: str


def fmt(d: date) -> str:
    return f"{d:%a} {d.day} {d:%b}"


def km_text(e: Event) -> str:
    return f" ({e.km:.1f} km{', planned' if e.planned else ''})" if e.km else ""


def hard_block(d: date, inp: ScheduleInputs) -> RationaleEntry | None:
    ph = inp.phase
    if weekday(d) not in inp.strength_days or d < inp.as_of:
        return None if d >= inp.as_of else RationaleEntry("as_of", f"{fmt(d)} is past")
    last = inp.previous_heavy
    if last is not None and 0 < (d - last).days < HEAVY_GAP_DAYS:
        return RationaleEntry(
            "S1", f"heavy session logged {fmt(last)}: ≥ 72 h before the next heavy session"
        )
    if ph.last_heavy_date is not None and d > ph.last_heavy_date:
        return RationaleEntry("P4", f"last heavy session by {fmt(ph.last_heavy_date)}")
    if ph.no_heavy_until is not None and d < ph.no_heavy_until:
        return RationaleEntry("P6", f"post-race: no heavy legs before {fmt(ph.no_heavy_until)}")
    for e in inp.events:
        gap = (e.date - d).days
        if e.kind == "race" and 0 <= gap < 3:
            return RationaleEntry("S3", f"race {fmt(e.date)} is {gap} day(s) after {fmt(d)}")
        if e.kind == "race" and 1 <= -gap <= 2:
            return RationaleEntry("S4", f"{fmt(d)} is day +{-gap} after the race {fmt(e.date)}")
        if e.kind == "long_run" and 0 <= gap < 3:
            what = f"{'spike ' if e.spike else ''}long run {fmt(e.date)}{km_text(e)}"
            return RationaleEntry("S3", f"{what}: no heavy legs that day nor in the 2 days before")
        if e.kind == "novel_descent" and 1 <= -gap <= 2:
            return RationaleEntry(
                "S4", f"novel descent {fmt(e.date)}: no heavy legs in the 2 days after it (48 h)"
            )
    return None


def violations(d: date, inp: ScheduleInputs) -> list[Violation]:
    out: list[Violation] = []
    for e in inp.events:
        gap = (e.date - d).days
        if e.kind == "long_run" and inp.novice_ramp and gap == 3:
            what = f"{'spike ' if e.spike else ''}long run {fmt(e.date)}{km_text(e)}"
            out.append(Violation("D7", "D7", f"novice ramp, {what}: only {gap} d (< 72 h)"))
        elif e.kind == "hard" and gap == 1:
            out.append(Violation("S3-hard", "S3", f"hard session {fmt(e.date)}: 1 d (< 48 h)"))
    return out
