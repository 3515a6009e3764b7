"""The week's strength dose from DoseInputs alone (RULES.md §7b, dose line): pure, no clock, no I/O.

Chain: phase template (templates.py; P1–P4, D1/D2/D3) → D5 eccentric emphasis → P6 re-entry →
D7 novice ramp → L2/L4/R1 readiness (every one cited, the strongest cut applied) → S6 relaxed
day → B/C mini-taper → S4 eccentric window →
loads (D6: kg from the log, else %1RM) → light/activation/recovery sessions → totals.
A heavy day the phase forbids (P4 after the last heavy date, P5, P6) is turned into the session
that day may hold, with the reason in the rationale: the dose never trusts the day blindly.
`percent_1rm` is in percent (85.0); for a lift with a log it is the load over the latest e1RM.
"""

from __future__ import annotations

from datetime import date, timedelta

from recommender import modulation as mod
from recommender import readiness
from recommender.catalogue import exercise
from recommender.light import day_kind, light_items
from recommender.phase import mini_taper, post_race_days, training_phase
from recommender.progression import LoadRx, lift_history, main_lift_load
from recommender.templates import HEAVY_PHASES, Item, heavy_session, main_dose
from recommender.types import (
    WEEKDAYS,
    DoseInputs,
    DoseResult,
    ExerciseRx,
    Phase,
    RationaleEntry,
    Session,
    SessionKind,
    Totals,
)

PHASE_RULE: dict[Phase, str] = {
    "base": "P1",
    "build": "P2",
    "peak": "P3",
    "pre_taper": "P4",
    "race_week": "P5",
    "post_race": "P6",
}


def prescribe(inputs: DoseInputs) -> DoseResult:
    """Sessions, rationale and totals for the week described by `inputs`."""
    notes: list[RationaleEntry] = []
    sessions: list[Session] = []
    heavy_day = inputs.heavy_day
    if heavy_day is not None and (why := heavy_blocked(inputs, heavy_day)) is not None:
        notes.append(why)
        heavy_day = None
    if heavy_day is not None:
        sessions.append(heavy(inputs, heavy_day, notes))
    days = sorted({*inputs.light_days, *([inputs.heavy_day] if inputs.heavy_day else [])})
    firsts: set[str] = set()
    for day in days:
        if day == heavy_day:
            continue
        kind = day_kind(day, inputs)
        items = light_items(day, inputs, kind, first=kind not in firsts)
        firsts.add(kind)
        if items:
            sk: SessionKind = "activation" if kind == "activation" else "light"
            sessions.append(_session(day, sk, [_rx(i, None) for i in items], _NOTES[kind]))
    notes.extend(_non_heavy_notes(inputs, days, heavy_day))
    sessions.sort(key=lambda s: s.date)
    heavy_sets = sum(
        e.sets for s in sessions if s.kind == "heavy_legs" for e in s.exercises if e.percent_1rm
    )
    totals = Totals(
        sets=sum(e.sets for s in sessions for e in s.exercises),
        heavy_sets=heavy_sets,
        foot_contacts=sum(s.foot_contacts for s in sessions),
        change_vs_last_week_pct=None,
    )
    return DoseResult(tuple(sessions), tuple(notes), totals)


def heavy_blocked(inputs: DoseInputs, day: date) -> RationaleEntry | None:
    """Why the phase forbids heavy legs on `day`, or None."""
    info = inputs.phase
    race = info.next_race
    if info.phase == "race_week":
        return RationaleEntry(
            "P5", f"P5: race week ({info.days_to_next_race} days) → activation only"
        )
    if info.no_heavy_until is not None and day < info.no_heavy_until:
        last = info.last_race
        effort = f"{last.km_effort:.0f} km-effort " if last else ""
        return RationaleEntry(
            "P6", f"P6: {effort}race → no heavy legs before {info.no_heavy_until}; balance/mobility"
        )
    if race is not None and race.date < day < race.date + timedelta(days=post_race_days(race)):
        return RationaleEntry("P6", f"P6: {day} is inside the window after '{race.name}'")
    last_heavy = info.last_heavy_date
    if race is not None and last_heavy is not None and last_heavy < day <= race.date:
        gap = (race.date - last_heavy).days
        return RationaleEntry(
            "P4",
            f"P4: last heavy day is {last_heavy} ({gap} days before '{race.name}', "
            f"{race.km_effort:.0f} km-effort) → {day} light/activation only",
        )
    return None


def template_phase(inputs: DoseInputs) -> Phase:
    """The phase whose heavy-day template applies (post-race weeks use the A-race phase)."""
    phase = inputs.phase.phase
    if phase in HEAVY_PHASES:
        return phase
    weeks = inputs.phase.weeks_to_a_race
    underlying = training_phase(round(weeks * 7) if weeks is not None else None)
    return underlying if underlying in HEAVY_PHASES else "pre_taper"


def heavy(inputs: DoseInputs, day: date, notes: list[RationaleEntry]) -> Session:
    phase = template_phase(inputs)
    drop_jumps = inputs.strength_weeks >= 4
    items = heavy_session(phase, inputs.experience, drop_jumps)
    notes.extend(_template_notes(inputs, phase, items, drop_jumps))
    freeze: list[str] = []
    if phase == "pre_taper":
        freeze.append("taper")
    for step in (mod.eccentric_emphasis, mod.post_race_reentry, mod.novice_ramp):
        items, note = step(items, inputs)
        if note is not None:
            notes.append(note)
            if note.rule == "P6":
                freeze.append(note.rule)
    items, ready, frozen = readiness.modulate(items, inputs)  # L2, L4, R1: strongest cut
    notes.extend(ready)
    freeze.extend(frozen)
    items, note = mod.relaxed_day(items, inputs)
    if note is not None:
        notes.append(note)
    race = inputs.phase.next_race
    if mini_taper(race, day) and race is not None:
        items, taper_note = mod.mini_taper_cut(items, inputs, (race.date - day).days)
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
    rx = [_rx(i, loads.get(i.id)) for i in items]
    has_plyo = any(i.role == "plyo" for i in items)
    return _session(day, "heavy_legs", rx, _HEAVY_NOTE[has_plyo])


def _loads(
    inputs: DoseInputs, items: tuple[Item, ...], freeze: str | None, notes: list[RationaleEntry]
) -> dict[str, LoadRx]:
    out: dict[str, LoadRx] = {}
    for i in items:
        if i.role != "main" or i.reps is None or i.percent is None:
            continue
        history = lift_history(inputs.strength_log, i.id, inputs.week_start)
        out[i.id] = main_lift_load(
            history,
            target_reps=i.reps,
            target_pct=i.percent,
            experience=inputs.experience,
            week_start=inputs.week_start,
            freeze=freeze,
        )
    logged = [f"{k}: {v.how}" for k, v in out.items() if v.load_kg is not None]
    if logged:
        notes.append(RationaleEntry("D6", "D6: " + "; ".join(logged)))
    return out


def _template_notes(
    inputs: DoseInputs, phase: Phase, items: tuple[Item, ...], drop_jumps: bool
) -> list[RationaleEntry]:
    info = inputs.phase
    sets, reps, pct = main_dose(phase, inputs.experience)
    race = (
        f"{info.weeks_to_a_race:.1f} weeks to the A race" if info.weeks_to_a_race else "no A race"
    )
    rule = PHASE_RULE[info.phase]
    out = [
        RationaleEntry(
            rule,
            f"{rule}: {info.phase} ({race}) → {phase} heavy day, {inputs.experience}: "
            f"{sets}×{reps} @ {pct:g} % 1RM on back squat and Romanian deadlift",
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


def _non_heavy_notes(
    inputs: DoseInputs, days: list[date], heavy_day: date | None
) -> list[RationaleEntry]:
    out: list[RationaleEntry] = []
    kinds = {d: day_kind(d, inputs) for d in days if d != heavy_day}
    quiet = [d.isoformat() for d, k in kinds.items() if k == "none"]
    if quiet:
        out.append(
            RationaleEntry("P5", f"P5: nothing within 48 h of the race ({', '.join(quiet)})")
        )
    if heavy_day is None and any(k == "activation" for k in kinds.values()):
        out.append(
            RationaleEntry(
                "P5", "P5: taper → activation only, 2 sets × 5–8, ≤ 30 low-intensity contacts"
            )
        )
    if any(k == "recovery" for k in kinds.values()):
        out.append(RationaleEntry("P6", "P6: post-race window → balance and mobility only"))
    return out


_HEAVY_NOTE = {
    True: "Plyometrics first while fresh, then the lifts.",
    False: "Main lifts first while fresh, then accessories, core and balance.",
}
_NOTES = {
    "light": "Short: balance, ankles, core, back; low jumps only.",
    "activation": "Activation only: easy, nothing to fatigue.",
    "recovery": "Post-race: balance and mobility only.",
    "none": None,
}


def _rx(item: Item, load: LoadRx | None) -> ExerciseRx:
    ex = exercise(item.id)
    return ExerciseRx(
        id=item.id,
        name=ex.name,
        focus=item.focus or ex.focus,
        sets=item.sets,
        reps=item.reps,
        seconds=item.seconds,
        load_kg=load.load_kg if load else None,
        percent_1rm=(load.percent_1rm if load else item.percent),
        rpe=item.rpe,
        tempo=item.tempo,
        rest_s=item.rest_s,
        foot_contacts=item.sets * (item.reps or 0) * ex.contacts_per_rep,
    )


def _session(day: date, kind: SessionKind, rx: list[ExerciseRx], note: str | None) -> Session:
    return Session(
        date=day,
        weekday=WEEKDAYS[day.weekday()],  # type: ignore[arg-type]
        kind=kind,
        exercises=tuple(rx),
        foot_contacts=sum(e.foot_contacts for e in rx),
        note=note,
    )
