"""Sessions on the non-heavy days: light (S1), activation (P4/P5 taper) and recovery (P6).

What a day gets [D]:
- the race day and the day before any race (< 48 h): nothing (P5);
- inside a post-race window (P6, also for a race earlier this week): balance and mobility only;
- race week, or after the last heavy day before an A race: activation, 2 × 5–8 bodyweight/bands,
  balance, core; the week's first activation session carries ≤ 30 low-intensity contacts;
- otherwise a light session: the first one with ≤ 60 low-intensity contacts (pogo, ankle hops),
  the others without jumps. Inside an S4 window (72 h after a novel descent or race): no jumps and
  no eccentric-emphasis items. ACWR 1.3–1.5 halves the jumps; > 1.5 (or L4) removes them.
- B/C mini-taper (the 7 days before a B/C race) and "quiet" days (a fallback light day on or next
  to a long run): no jumps and no eccentric-emphasis items; the window's ≤ 30 low-intensity
  contacts all sit on the heavy day (≤ 20, ``phase.MINI_TAPER_HEAVY_CONTACTS``).
- Soreness ≥ 7/10 (R1) and week 1 back after a break: the eccentric calf raise becomes a plain one.
"""

from __future__ import annotations

from dataclasses import replace
from datetime import date, timedelta
from typing import Literal

from recommender.comeback import comeback, race_date
from recommender.modulation import is_eccentric, scale_plyo, without
from recommender.phase import mini_taper, post_race_days
from recommender.readiness import effective_band
from recommender.templates import (
    ACTIVATION,
    ACTIVATION_PLYO,
    LIGHT_NO_PLYO,
    LIGHT_WITH_PLYO,
    RECOVERY,
    Item,
)
from recommender.types import DoseInputs

DayKind = Literal["none", "recovery", "activation", "light"]
PRE_RACE_QUIET_DAYS = 2  # nothing on the race day or the day before (calendar gap ≥ 2 ≈ 48 h)


def day_kind(day: date, inputs: DoseInputs) -> DayKind:
    """Which kind of non-heavy session `day` may hold."""
    info = inputs.phase
    race = info.next_race
    if race is not None:
        gap = (race.date - day).days
        if 0 <= gap < PRE_RACE_QUIET_DAYS:
            return "none"
        if gap < 0 and -gap < post_race_days(race):
            return "recovery"
    if info.no_heavy_until is not None and day < info.no_heavy_until:
        return "recovery"
    if info.phase == "race_week":
        return "activation"
    last = info.last_heavy_date
    if race is not None and race.priority == "A" and last is not None and last < day < race.date:
        return "activation"
    return "light"


def light_items(day: date, inputs: DoseInputs, kind: DayKind, first: bool) -> tuple[Item, ...]:
    """The exercises of a non-heavy session of `kind` (empty for "none")."""
    if kind == "none":
        return ()
    if kind == "recovery":
        return RECOVERY
    if kind == "activation":
        return ((ACTIVATION_PLYO,) if first else ()) + ACTIVATION
    items = LIGHT_WITH_PLYO if first else LIGHT_NO_PLYO
    band = effective_band(inputs)
    quiet = day in inputs.quiet_days or mini_taper(inputs.phase.next_race, day)
    if day in inputs.eccentric_block_dates or band == "danger" or quiet:
        items = without(items, lambda i: i.role == "plyo")
        items = tuple(
            replace(i, id="calf_raise", tempo=None) if is_eccentric(i) else i for i in items
        )
    elif band == "high":
        items = scale_plyo(items, 0.5)
    sore = (inputs.soreness_recent or 0.0) >= 7.0
    back = comeback(inputs.strength_log, inputs.week_start, race_date(inputs))
    if sore or (back is not None and back.week == 1):
        items = tuple(
            replace(i, id="calf_raise", tempo=None) if is_eccentric(i) else i for i in items
        )
    return items


def within_48h_of_race(day: date, inputs: DoseInputs) -> bool:
    race = inputs.phase.next_race
    return race is not None and race.date - timedelta(days=PRE_RACE_QUIET_DAYS) < day <= race.date
