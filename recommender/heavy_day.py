"""The heavy leg session of a week: template → equipment and size → modulation → loads (RULES.md
§7b dose line; D1 session size, D5, D6, D7, L2/L4, R1, S4, S6, B/C mini-taper, comeback).

Order [D]: phase template with this block's main lifts (``equipment.main_pair``) → D5 eccentric
emphasis → what the equipment allows (substitutes), 2–4 lower-body lifts, ≤ 60 min
(``session_size``: the session fits before anything is cut; each cut is relative to it) →
P6 re-entry → D7 → L2/L4 → R1 → S6 → return from a break (``comeback``) → B/C mini-taper →
S4 window → loads (D6, per lift). ``percent_1rm`` is in percent (85.0); for a lift with a log it
is the load over the latest e1RM. Non-barbell main lifts without a log: reps at an RPE, no %1RM.
"""

from __future__ import annotations

from datetime import date

from recommender import modulation as mod
from recommender import readiness
from recommender.catalogue import exercise
from recommender.comeback import comeback, comeback_step, race_date
from recommender.equipment import implement, main_pair, tags
from recommender.novice import in_ramp, novice_ramp
from recommender.phase import mini_taper, reentry, training_phase
from recommender.progression import (
    LoadRx,
    best_e1rm,
    lift_history,
    main_lift_load,
    round_to_plate,
)
from recommender.session_size import fit_session
from recommender.taper import mini_taper_cut
from recommender.templates import HEAVY_PHASES, Item, heavy_session, main_dose
from recommender.types import DoseInputs, Phase, RationaleEntry

PHASE_RULE: dict[Phase, str] = {
    "base": "P1",
    "build": "P2",
    "peak": "P3",
    "pre_taper": "P4",
    "race_week": "P5",
    "post_race": "P6",
}
HEAVY_NOTE = {
    True: "Plyometrics first while fresh, then the lifts.",
    False: "Main lifts first while fresh, then accessories, core and balance.",
}
# New main lifts only in base and build: peak and pre-taper keep the familiar pair near the race.
ROTATE_PHASES: tuple[Phase, ...] = ("base", "build")
# A first session of a rotated-in lift starts from its partner's e1RM × this ratio (common
# strength-coaching ratios: front squat ≈ 85 % of back squat, RDL ≈ 80 % of deadlift), −5 %.
RELATED: dict[str, tuple[str, float]] = {
    "front_squat": ("back_squat", 0.85),
    "back_squat": ("front_squat", 1 / 0.85),
    "deadlift": ("romanian_deadlift", 1 / 0.8),
    "romanian_deadlift": ("deadlift", 0.8),
}
NEW_LIFT_CUT = 0.95
SORE = 7.0  # R1: soreness ≥ 7/10 → no eccentric-emphasis items either [D]


def template_phase(inputs: DoseInputs) -> Phase:
    """The phase whose heavy-day template applies (post-race weeks use the A-race phase)."""
    phase = inputs.phase.phase
    if phase in HEAVY_PHASES:
        return phase
    weeks = inputs.phase.weeks_to_a_race
    underlying = training_phase(round(weeks * 7) if weeks is not None else None)
    return underlying if underlying in HEAVY_PHASES else "pre_taper"


def heavy_items(
    inputs: DoseInputs, day: date, notes: list[RationaleEntry]
) -> tuple[tuple[Item, ...], dict[str, LoadRx]]:
    """The heavy day's items and the main lifts' loads, with the rationale appended to `notes`."""
    phase = template_phase(inputs)
    drop_jumps = inputs.strength_weeks >= 4
    have = tags(inputs.equipment)
    rotate = inputs.experience == "trained" and phase in ROTATE_PHASES
    pair, rotated = main_pair(inputs.strength_log, have, inputs.week_start, rotate=rotate)
    bodyweight = implement(have) == "bodyweight"
    items = heavy_session(phase, inputs.experience, drop_jumps, pair, bodyweight)
    notes.extend(_template_notes(inputs, phase, items, drop_jumps, pair))
    if rotated:
        notes.append(RationaleEntry("D1", rotated))
    freeze: list[str] = ["taper"] if phase == "pre_taper" else []
    race = inputs.phase.next_race
    taper = mini_taper(race, day) and race is not None
    back = comeback(inputs.strength_log, inputs.week_start, race_date(inputs))
    sore = inputs.soreness_recent is not None and inputs.soreness_recent >= SORE
    defer = _defer_d5(inputs, taper, sore, back is not None and back.week == 1)
    added, note = mod.eccentric_emphasis(items, inputs)
    if defer is not None and len(added) > len(items):
        note = defer  # the items would only be removed again: accessories keep their places
    else:
        items = added
    if note is not None:
        notes.append(note)
    # The session as the athlete can do it, ≤ 60 min, before any cut: every cut below is then
    # relative to a session that fits (and a cut never makes it longer).
    items = fit_session(items, have, notes)
    template = items
    for step in (mod.post_race_reentry, novice_ramp):
        items, note = step(items, inputs)
        if note is not None:
            notes.append(note)
            if note.rule == "P6":
                freeze.append(note.rule)
    items, ready, frozen = readiness.modulate(items, inputs)  # L2, L4, R1: strongest cut
    notes.extend(ready)
    freeze.extend(frozen)
    for step in (mod.relaxed_day, lambda items, inputs: comeback_step(items, inputs, template)):
        items, note = step(items, inputs)
        if note is not None:
            notes.append(note)
    if back is not None and back.week == 1:
        freeze.append("week 1 back")
    if sore and any(mod.is_eccentric(i) for i in items):
        items = mod.without(items, mod.is_eccentric)
        notes.append(
            RationaleEntry(
                "R1", f"soreness {inputs.soreness_recent:g}/10 ≥ 7 → no eccentric-emphasis work"
            )
        )
    if taper and race is not None:
        items, taper_note = mini_taper_cut(items, inputs, (race.date - day).days)
        notes.append(taper_note)
        freeze.append("mini-taper")
    items, note = mod.eccentric_block(items, inputs)
    if note is not None:
        notes.append(note)
    if inputs.spike_long_run:
        freeze.append("S7")
    if inputs.monotony is not None and inputs.monotony > 2.0:
        notes.append(
            RationaleEntry(
                "L3",
                f"L3: monotony {inputs.monotony:.2f} > 2.0 → no extra strength volume; "
                "insert an easy or off day",
            )
        )
    loads = _loads(inputs, items, ", ".join(freeze) or None, notes)
    notes.append(_d3_note(items))
    return items, loads


def _defer_d5(
    inputs: DoseInputs, taper: bool, sore: bool, week1_back: bool
) -> RationaleEntry | None:
    """Why D5 adds no eccentric items this week (they would only be removed again), or None:
    the regular accessories keep their places instead."""
    race = inputs.phase.next_race
    if taper:
        why = f"mini-taper before '{race.name if race else 'the race'}'"
    elif sore:
        why = f"soreness {inputs.soreness_recent:g}/10 ≥ 7"
    elif week1_back:
        why = "week 1 back after a break"
    elif inputs.heavy_day is not None and reentry(inputs.phase.last_race, inputs.heavy_day):
        why = "first heavy session after the post-race window (P6 re-entry)"
    elif in_ramp(inputs):
        why = "D7 weeks 1–2"
    else:
        return None
    return RationaleEntry("D5", f"D5: {why} → no eccentric emphasis this week")


def _loads(
    inputs: DoseInputs, items: tuple[Item, ...], freeze: str | None, notes: list[RationaleEntry]
) -> dict[str, LoadRx]:
    out: dict[str, LoadRx] = {}
    back = comeback(inputs.strength_log, inputs.week_start, race_date(inputs))
    off = back.weeks_off if back is not None and back.week == 1 else 0
    for i in items:
        if i.role != "main" or i.reps is None:
            continue
        history = lift_history(inputs.strength_log, i.id, inputs.week_start)
        if not history and i.percent is not None and i.id in RELATED:
            partner, ratio = RELATED[i.id]
            other = lift_history(inputs.strength_log, partner, inputs.week_start)
            if other:
                e1rm = best_e1rm(other[-1]) * ratio
                kg = round_to_plate(e1rm * i.percent / 100.0 * NEW_LIFT_CUT)
                how = (
                    f"new lift: {partner} e1RM {best_e1rm(other[-1]):.1f} kg × {ratio:.2f} × "
                    f"{i.percent:g} % −5 % → {kg:g} kg"
                )
                out[i.id] = LoadRx(kg, round(100.0 * kg / e1rm, 1), how)
                continue
        if i.percent is None and not history:
            continue
        out[i.id] = main_lift_load(
            history,
            target_reps=i.reps,
            target_pct=i.percent if i.percent is not None else 80.0,
            experience=inputs.experience,
            weeks_off=off,
            freeze=freeze,
        )
    logged = [f"{k}: {v.how}" for k, v in out.items() if v.load_kg is not None]
    if logged:
        notes.append(RationaleEntry("D6", "D6: " + "; ".join(logged)))
    return out


def _template_notes(
    inputs: DoseInputs,
    phase: Phase,
    items: tuple[Item, ...],
    drop_jumps: bool,
    pair: tuple[str, ...],
) -> list[RationaleEntry]:
    info = inputs.phase
    sets, reps, pct = main_dose(phase, inputs.experience)
    race = (
        f"{info.weeks_to_a_race:.1f} weeks to the A race" if info.weeks_to_a_race else "no A race"
    )
    rule = PHASE_RULE[info.phase]
    lifts = " and ".join(exercise(i).name.lower() for i in pair)
    first = next(i for i in items if i.role == "main")
    at = f"@ {pct:g} % 1RM" if first.percent is not None else f"at RPE {first.rpe:g}"
    out = [
        RationaleEntry(
            rule,
            f"{rule}: {info.phase} ({race}) → {phase} heavy day, {inputs.experience}: "
            f"{sets}×{first.reps} {at} on {lifts}",
        )
    ]
    if phase == "base":
        out.append(
            RationaleEntry(
                "D2",
                f"D2: volume-heavy {sets}×{reps} @ {pct:g} % + strength endurance: walking lunges "
                "2×60 s, wall sit 2×45 s",
            )
        )
    elif phase == "build":
        out.append(
            RationaleEntry("D1", f"D1: weight-heavy {sets}×{reps} @ {pct:g} % 1RM, ≤ 6 reps/set")
        )
    if not drop_jumps and phase in ("build", "peak") and inputs.strength_weeks >= 2:
        out.append(
            RationaleEntry(
                "D3",
                f"D3: {inputs.strength_weeks} weeks of strength history (< 4) → no drop jumps",
            )
        )
    return out


def _d3_note(items: tuple[Item, ...]) -> RationaleEntry:
    plyo = [f"{exercise(i.id).name.lower()} {i.sets}×{i.reps}" for i in items if i.role == "plyo"]
    text = ", ".join(plyo) if plyo else "none"
    return RationaleEntry(
        "D3", f"D3: {mod.contacts(items)} foot contacts before the lifts ({text})"
    )
