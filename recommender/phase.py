"""Season phase for one planned week (RULES.md §6, P1–P6) and the race-driven heavy-day limits.

Conventions chosen here [D]:
- Days to a race are counted from the week's first day: d = race.date − week_start.
  Weeks to the A race are W = ceil(d / 7), so the phase table reads on W: P1 base W > 16 (d > 112),
  P2 build 7–16, P3 peak 3–6, P4 pre-taper W = 2 (d 8–14), P5 race week W ≤ 1 (d ≤ 7).
  `PhaseInfo.weeks_to_a_race` carries the exact d / 7.
- The phase follows the next A race only; no A race ahead → base. B/C races never set the phase:
  they are key sessions (S3: last heavy day ≥ 3 days before) with a 1-week mini-taper (the dose
  halves heavy volume on a heavy day 3–7 days before a B/C race; see `mini_taper`).
- Last heavy day before an A race: ≥ 10 days before if the race is ≥ 75 km-effort, else ≥ 7 days.
  Several races ahead → the earliest of those limits.
- Post-race window (P6), for every race priority: ≥ 115 km-effort (ITRA L/XL/XXL) → 10 days,
  ≥ 75 (M) → 7 days, else 5 days. `no_heavy_until` = race date + window, set while it is later
  than the week's first day. Race week (P5) wins over the post-race window when both apply
  (§7b checks P5 first); both forbid heavy legs.
- Re-entry after the post-race window (P6 re-entry): the heavy sessions in the 7 days from the end
  of the window are the first back; ``reentry`` says when a day is one of them (the dose cuts them).
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from datetime import date, timedelta

from recommender.types import Phase, PhaseInfo, Race

LONG_RACE_KM_EFFORT = 75.0  # ITRA M and above
VERY_LONG_RACE_KM_EFFORT = 115.0  # ITRA L, XL, XXL
B_C_RACE_HEAVY_GAP_DAYS = 3  # S3/S6: gap from heavy day to any race ≥ 3 calendar days
MINI_TAPER_DAYS = 7
REENTRY_DAYS = 7


def post_race_days(race: Race) -> int:
    """P6: days after `race` before heavy legs come back."""
    if race.km_effort >= VERY_LONG_RACE_KM_EFFORT:
        return 10
    if race.km_effort >= LONG_RACE_KM_EFFORT:
        return 7
    return 5


def reentry(last_race: Race | None, day: date) -> bool:
    """P6 re-entry: ``day`` is in the first week after the post-race window of ``last_race``."""
    if last_race is None:
        return False
    back = last_race.date + timedelta(days=post_race_days(last_race))
    return back <= day < back + timedelta(days=REENTRY_DAYS)


def heavy_gap_days(race: Race) -> int:
    """P4: the last heavy session is at least this many days before `race`."""
    if race.priority != "A":
        return B_C_RACE_HEAVY_GAP_DAYS
    return 10 if race.km_effort >= LONG_RACE_KM_EFFORT else 7


def training_phase(days_to_a_race: int | None) -> Phase:
    """P1–P5 from days (week start → A race); None (no A race ahead) → base."""
    if days_to_a_race is None:
        return "base"
    weeks = math.ceil(days_to_a_race / 7)
    if weeks > 16:
        return "base"
    if weeks >= 7:
        return "build"
    if weeks >= 3:
        return "peak"
    if weeks == 2:
        return "pre_taper"
    return "race_week"


MINI_TAPER_CONTACTS = 30  # B/C: ≤ 30 low-intensity contacts in the 7 days before the race
MINI_TAPER_HEAVY_CONTACTS = 20  # the heavy day's share; light days in the window get no jumps


def mini_taper(race: Race | None, day: date) -> bool:
    """B/C race: `day` falls in the 7 days before it → the 1-week mini-taper applies that day
    (heavy volume −50 %, no drop jumps, no eccentric emphasis, ≤ 30 low contacts in the window)."""
    if race is None or race.priority == "A":
        return False
    return 0 < (race.date - day).days <= MINI_TAPER_DAYS


def season_phase(week_start: date, races: Sequence[Race]) -> PhaseInfo:
    """The phase of the week starting `week_start`, with the race limits on heavy days."""
    ahead = sorted((r for r in races if r.date >= week_start), key=lambda r: r.date)
    behind = sorted((r for r in races if r.date < week_start), key=lambda r: r.date)
    next_race = ahead[0] if ahead else None
    a_race = next((r for r in ahead if r.priority == "A"), None)
    days_to_a = (a_race.date - week_start).days if a_race else None

    last_heavy = min(
        (r.date - timedelta(days=heavy_gap_days(r)) for r in ahead),
        default=None,
    )
    last_race = behind[-1] if behind else None
    no_heavy_until = None
    if last_race is not None:
        until = last_race.date + timedelta(days=post_race_days(last_race))
        no_heavy_until = until if until > week_start else None

    phase = training_phase(days_to_a)
    if phase != "race_week" and no_heavy_until is not None:
        phase = "post_race"
    return PhaseInfo(
        phase=phase,
        next_race=next_race,
        days_to_next_race=(next_race.date - week_start).days if next_race else None,
        weeks_to_a_race=days_to_a / 7 if days_to_a is not None else None,
        last_heavy_date=last_heavy,
        no_heavy_until=no_heavy_until,
        last_race=last_race,
        a_race=a_race,
    )
