"""Week-to-week modulation of the heavy-day template (RULES.md D3, D5, D7, L1–L4, R1, S4, S6, B/C).

Every function takes the template items and the dose inputs and returns the new items plus the
rationale line when it changed something. L1 throughout: cuts remove sets, reps of jumps or whole
items, never weight. Choices [D]:
- Set cuts round half up and never go below 1 set, nor take a main lift below the maintenance
  dose L2 names (2 sets × 3–5 @ ≥ 80 %; a template with fewer keeps its own): cuts stack, and
  L4 then R1 took the sample athlete's peak-week squat from 3 sets to a token 1 before the floor.
  Cuts: L2 1.3–1.5 ×0.75 (4→3), > 1.5 ×0.5 (4→2), R1 −1 set, S6 × (1 − volume_cut_pct), B/C
  mini-taper ×0.5. Plyo cuts scale reps down (floor).
- L2, L4 and R1 (sleep, soreness) live in ``recommender.readiness``: the strongest cut applies.
- L3 adds no volume anywhere in this module, so it only writes its note.
- D5 judges the next A race (the goal race), not a nearer B/C race; it adds no eccentric items
  in the 7 days after a novel descent: that run was the week's eccentric stimulus, and its
  repeated-bout protection lasts 3–6 weeks (Byrnes 1985), so more overload adds damage, not
  protection.
- D7 ramps novices only (``experience == "novice"`` with < 2 weeks of logged strength), as the
  schedule does: a trained lifter whose log starts in legday is not new to lifting.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import replace

from recommender.catalogue import exercise
from recommender.phase import reentry
from recommender.readiness import (
    CUT_ROLES,
    MAINTENANCE_SETS,
    contacts,
    effective_band,
    is_eccentric,
    main_sets,
    round_half_up,
    scale_plyo,
)
from recommender.templates import ECCENTRIC_ITEMS, Item
from recommender.types import DoseInputs, RationaleEntry

Items = tuple[Item, ...]
Step = tuple[Items, RationaleEntry | None]
D5_DESCENT_PER_KM_EFFORT = 30.0  # m of D− per km-effort that makes a race "descent-heavy"
D5_EXPOSURE_RATIO = 0.5  # the athlete's best week of D−_eff below half the race's D− → emphasis
D5_MIN_RACE_DESCENT_M = 500.0
D5_STOP_DAYS = 14
D5_AFTER_DESCENT_DAYS = 7
REENTRY_KEEP = 0.6  # P6 re-entry: volume −40 %


def cut_sets(items: Items, new: Callable[[int], int]) -> Items:
    def floor(i: Item) -> int:
        return min(i.sets, MAINTENANCE_SETS) if i.role == "main" else 1

    return tuple(
        replace(i, sets=max(floor(i), new(i.sets))) if i.role in CUT_ROLES else i for i in items
    )


def without(items: Items, drop: Callable[[Item], bool]) -> Items:
    return tuple(i for i in items if not drop(i))


def post_race_reentry(items: Items, inputs: DoseInputs) -> Step:
    """P6 re-entry [D]: the first heavy session in the week after the post-race window.

    After a race the legs are weeks from their pre-race routine (Markov 2025: −41 % knee-extensor
    strength at the finish of an ultra), and the post-race weeks carry no heavy lifting at all, so
    the first session back is not the full template: volume −40 % (sets × 0.6, the middle of the
    −30–70 % strength-taper range, L1: weight kept), low-intensity jumps only at half the contacts,
    no eccentric-emphasis items, no load progression."""
    race, day = inputs.phase.last_race, inputs.heavy_day
    if race is None or day is None or not reentry(race, day):
        return items, None
    kept = without(
        items,
        lambda i: is_eccentric(i) or (i.role == "plyo" and exercise(i.id).plyo_intensity != "low"),
    )
    new = scale_plyo(cut_sets(kept, lambda s: round_half_up(s * REENTRY_KEEP)), 0.5)
    text = (
        f"P6: first heavy session after the post-race window of '{race.name}' ({race.date}) → "
        f"re-entry: volume −{100 * (1 - REENTRY_KEEP):.0f} % ({main_sets(items)}→{main_sets(new)}"
        f" sets), plyo {contacts(items)}→{contacts(new)} low-intensity contacts, "
        "no eccentric emphasis, no progression"
    )
    return new, RationaleEntry("P6", text)


def relaxed_day(items: Items, inputs: DoseInputs) -> Step:
    """S6: no day met every soft rule → volume −volume_cut_pct on sets and jumps."""
    pct = inputs.volume_cut_pct
    if pct <= 0:
        return items, None
    keep = 1 - pct / 100.0
    new = scale_plyo(cut_sets(items, lambda s: round_half_up(s * keep)), keep)
    text = (
        f"S6: no day met every soft rule → volume −{pct:g} %: {main_sets(items)}→{main_sets(new)}"
        f" sets, plyo {contacts(items)}→{contacts(new)} contacts"
    )
    return new, RationaleEntry("S6", text)


def eccentric_block(items: Items, inputs: DoseInputs) -> Step:
    """S4: heavy day within 72 h after a novel descent or race → no plyo, no eccentrics."""
    if inputs.heavy_day not in inputs.eccentric_block_dates:
        return items, None
    new = without(items, lambda i: i.role == "plyo" or is_eccentric(i))
    text = (
        f"S4: {inputs.heavy_day} is within 72 h of a novel descent or race → plyo "
        f"{contacts(items)}→0 contacts and eccentric-emphasis items dropped; heavy lifts kept"
    )
    return new, RationaleEntry("S4", text)


def eccentric_emphasis(items: Items, inputs: DoseInputs) -> Step:
    """D5: descent-heavy A race or low recent descent exposure → add eccentric-tempo work."""
    race, day = inputs.phase.a_race or inputs.phase.next_race, inputs.heavy_day
    if race is None or day is None or race.km_effort <= 0:
        return items, None
    descent = race.descent_m if race.descent_m is not None else race.ascent_m
    per_km = descent / race.km_effort
    best = inputs.max_weekly_descent_load_6w_m
    steep = per_km >= D5_DESCENT_PER_KM_EFFORT
    unexposed = descent >= D5_MIN_RACE_DESCENT_M and best < D5_EXPOSURE_RATIO * descent
    if not (steep or unexposed):
        return items, None
    facts = (
        f"race '{race.name}' {descent:.0f} m D− ({per_km:.0f} m per km-effort), best week of "
        f"D−eff in 6 weeks {best:.0f} m ({100 * best / max(descent, 1):.0f} % of the race)"
    )
    days_left = (race.date - day).days
    if days_left <= D5_STOP_DAYS:
        return items, RationaleEntry(
            "D5", f"D5: {facts}; {days_left} days to go ≤ 14 → no novel eccentric overload"
        )
    if effective_band(inputs) == "danger" or day in inputs.eccentric_block_dates:
        return items, None  # L2/L4 or S4 says why
    novel = inputs.last_novel_descent
    if novel is not None and 0 < (day - novel).days <= D5_AFTER_DESCENT_DAYS:
        return items, RationaleEntry(
            "D5",
            f"D5: {facts}; the novel descent of {novel} ({(day - novel).days} days before) "
            "was this week's eccentric stimulus → no eccentric items added",
        )
    logged = {e.exercise for e in inputs.strength_log}
    add = ECCENTRIC_ITEMS
    if effective_band(inputs) == "high" and inputs.strength_log:
        add = tuple(i for i in add if i.id in logged)  # L2: no new exercises
        if not add:
            return items, RationaleEntry(
                "D5", f"D5: {facts}; ACWR 1.3–1.5 → no new eccentric exercises this week"
            )
    listed = ", ".join(f"{exercise(i.id).name.lower()} {i.sets}×{i.reps} ({i.tempo})" for i in add)
    at = next((n for n, i in enumerate(items) if i.role == "keep"), len(items))
    new = items[:at] + add + items[at:]
    return new, RationaleEntry("D5", f"D5: {facts} → add {listed}")
