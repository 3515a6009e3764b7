"""Return from a break in lifting (RULES.md L2's "returning" row and D6's detraining) [D].

A break is ≥ 2 whole calendar weeks of the athlete's week (``week_start``'s weekday) with no logged
strength at all. Weeks are counted by calendar weeks, not by ``days // 7``: a Monday lift and a
Sunday lift two weeks later are the same two missed weeks, whatever the weekday of the last lift.

The planned week is then week 1, 2 or 3 back (counted in calendar weeks from the first week with
lifting after the break, whether or not that week was logged):
- week 1: main lifts and leg accessories −1 set, loads −5 % (2 weeks off) or −10 % (≥ 3) from
  the last logged load, plyometrics low-level only at ≤ 50 % of the template's contacts, no
  eccentric-emphasis items, no progression;
- week 2: full sets, loads tracked from week 1's log, plyometrics low/moderate at ≤ 75 %;
- week 3 on: the full template (progression by 2-for-2 from the log).
A lift not logged for weeks while the athlete lifted other things (the rotation of main lifts) is
not detrained: the weeks off count any lifting, so a lift's load carries across a rotation.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, replace
from datetime import date, timedelta

from recommender.catalogue import exercise
from recommender.modulation import (
    CUT_ROLES,
    Items,
    Step,
    contacts,
    is_eccentric,
    main_sets,
    without,
)
from recommender.taper import drop_one_plyo_set
from recommender.types import DoseInputs, RationaleEntry, StrengthEntry

BREAK_WEEKS = 2
WEEK2_PLYO = 0.75
WEEK1_PLYO = 0.5


@dataclass(frozen=True)
class Comeback:
    week: int  # 1, 2 or 3: the planned week is the n-th back after the break
    weeks_off: int  # whole calendar weeks without lifting

    @property
    def load_cut_pct(self) -> float:
        return 0.0 if self.week > 1 else 5.0 if self.weeks_off == BREAK_WEEKS else 10.0


def _athlete_week(d: date, week_start: date) -> date:
    return d - timedelta(days=(d.weekday() - week_start.weekday()) % 7)


def weeks_without_lifting(log: Sequence[StrengthEntry], week_start: date) -> int:
    """Whole calendar weeks before ``week_start`` since the last week with any logged strength
    (0 when the previous week had some; 0 with no log at all: a first week is not a break)."""
    weeks = {_athlete_week(e.date, week_start) for e in log if e.date < week_start and e.sets}
    if not weeks:
        return 0
    return (week_start - max(weeks)).days // 7 - 1


def comeback(
    log: Sequence[StrengthEntry], week_start: date, race: date | None = None
) -> Comeback | None:
    """Which week back after a ≥ 2-week break the planned week is (None: not within 3 weeks).

    A break with a race in it (``race``: the latest race before the week) is the race's taper
    and post-race window, planned and handled by P4–P6 (re-entry): not a comeback."""
    weeks = sorted({_athlete_week(e.date, week_start) for e in log if e.date < week_start})
    if not weeks:
        return None
    now_off = (week_start - weeks[-1]).days // 7 - 1
    if now_off >= BREAK_WEEKS:
        return None if race is not None and weeks[-1] <= race else Comeback(1, now_off)
    for before, after in zip(reversed(weeks[:-1]), reversed(weeks[1:]), strict=True):
        off = (after - before).days // 7 - 1
        if off >= BREAK_WEEKS:
            week = (week_start - after).days // 7 + 1
            if week > 3 or (race is not None and before <= race < after):
                return None
            return Comeback(week, off)
    return None


def race_date(inputs: DoseInputs) -> date | None:
    last = inputs.phase.last_race
    return last.date if last is not None else None


def comeback_step(items: Items, inputs: DoseInputs, template: Items) -> Step:
    """Week 1/2/3 back after a break (`template`: the heavy day before any cut)."""
    cb = comeback(inputs.strength_log, inputs.week_start, race_date(inputs))
    if cb is None or inputs.heavy_day is None:
        return items, None
    template_contacts = contacts(template)
    if cb.week >= 3:
        text = f"week 3 back after {cb.weeks_off} weeks without lifting → full template again"
        return items, RationaleEntry("D6", text)
    if cb.week == 1:
        sets = {i.id: i.sets - 1 for i in template if i.role in CUT_ROLES}
        new = tuple(
            replace(i, sets=max(1, min(i.sets, sets.get(i.id, i.sets))))
            if i.role in CUT_ROLES
            else i
            for i in without(items, is_eccentric)
        )
        new = _low_plyo(new, "low", WEEK1_PLYO * template_contacts)
        text = (
            f"{cb.weeks_off} calendar weeks without lifting → week 1 back: "
            f"{main_sets(template)}→{main_sets(new)} sets (−1), loads −{cb.load_cut_pct:g} % "
            f"from the last logged, plyo {template_contacts}→{contacts(new)} low-level contacts "
            "(≤ 50 %), no eccentric emphasis, no progression; built back over the next 2 weeks"
        )
        return new, RationaleEntry("D6", text)
    new = _low_plyo(items, "moderate", WEEK2_PLYO * template_contacts)
    text = (
        f"week 2 back after {cb.weeks_off} weeks without lifting → full sets, loads tracked from "
        f"last week, plyo {template_contacts}→{contacts(new)} contacts (≤ 75 %, no high-level)"
    )
    return new, RationaleEntry("D6", text)


def _low_plyo(items: Items, highest: str, cap: float) -> Items:
    allowed = ("low",) if highest == "low" else ("low", "moderate")
    out = without(
        items, lambda i: i.role == "plyo" and exercise(i.id).plyo_intensity not in allowed
    )
    while contacts(out) > cap:
        out = drop_one_plyo_set(out)
    return out
