"""The week's strength dose from DoseInputs alone (RULES.md §7b, dose line): pure, no clock, no I/O.

Chain: the heavy day (``recommender.heavy_day``: template → modulation → equipment → session
size → loads) → light/activation/recovery sessions (``recommender.light``, then the equipment and
D7) → each session's ``duration_min`` (``recommender.duration``) → loads in the athlete's units
(``recommender.units``) → totals.
A heavy day the phase forbids (P4 after the last heavy date, P5, P6) is turned into the session
that day may hold, with the reason in the rationale: the dose never trusts the day blindly.
"""

from __future__ import annotations

from datetime import date, timedelta

from recommender.catalogue import exercise
from recommender.duration import minutes
from recommender.equipment import PAIRS, tags
from recommender.heavy_day import HEAVY_NOTE, heavy_items
from recommender.light import day_kind, light_items
from recommender.novice import in_ramp, ramp_items
from recommender.phase import post_race_days
from recommender.progression import LoadRx
from recommender.session_size import LOWER_ROLES, equip
from recommender.templates import Item
from recommender.types import (
    WEEKDAYS,
    DoseInputs,
    DoseResult,
    ExerciseRx,
    RationaleEntry,
    Session,
    SessionKind,
    Totals,
)
from recommender.units import in_units

MAIN_LIFT_IDS = frozenset(lift for pairs in PAIRS.values() for pair in pairs for lift in pair)


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
        items, _ = equip(items, tags(inputs.equipment))
        if in_ramp(inputs):
            items = ramp_items(items)
        if items:
            sk: SessionKind = "activation" if kind == "activation" else "light"
            rx = [_rx(i, None, inputs) for i in items]
            sessions.append(_session(day, sk, rx, _NOTES[kind], minutes(items, kind)))
    notes.extend(_non_heavy_notes(inputs, days, heavy_day))
    sessions.sort(key=lambda s: s.date)
    heavy_sets = sum(
        e.sets
        for s in sessions
        if s.kind == "heavy_legs"
        for e in s.exercises
        if e.percent_1rm or e.id in MAIN_LIFT_IDS
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


def heavy(inputs: DoseInputs, day: date, notes: list[RationaleEntry]) -> Session:
    items, loads = heavy_items(inputs, day, notes)
    rx = [_rx(i, loads.get(i.id), inputs) for i in items]
    has_plyo = any(i.role == "plyo" for i in items)
    size = minutes(items, "heavy_legs")
    lower = sum(i.role in LOWER_ROLES for i in items)
    notes.append(
        RationaleEntry(
            "D1",
            f"session size: ~{size} min (≤ 60), {lower} lower-body lifts + plyometrics "
            f"+ core/balance (time model: docs/recommender-method.md)",
        )
    )
    return _session(day, "heavy_legs", rx, HEAVY_NOTE[has_plyo], size)


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


_NOTES = {
    "light": "Short: balance, ankles, core, back; low jumps only.",
    "activation": "Activation only: easy, nothing to fatigue.",
    "recovery": "Post-race: balance and mobility only.",
    "none": None,
}


def _rx(item: Item, load: LoadRx | None, inputs: DoseInputs) -> ExerciseRx:
    ex = exercise(item.id)
    kg, lb = in_units(load.load_kg if load else None, ex.equipment, inputs.units)
    return ExerciseRx(
        id=item.id,
        name=ex.name,
        focus=item.focus or ex.focus,
        sets=item.sets,
        reps=item.reps,
        seconds=item.seconds,
        load_kg=kg,
        load_lb=lb,
        percent_1rm=(load.percent_1rm if load else item.percent),
        rpe=item.rpe,
        tempo=item.tempo,
        rest_s=item.rest_s,
        foot_contacts=item.sets * (item.reps or 0) * ex.contacts_per_rep,
    )


def _session(
    day: date, kind: SessionKind, rx: list[ExerciseRx], note: str | None, duration: int
) -> Session:
    return Session(
        date=day,
        weekday=WEEKDAYS[day.weekday()],  # type: ignore[arg-type]
        kind=kind,
        exercises=tuple(rx),
        foot_contacts=sum(e.foot_contacts for e in rx),
        note=note,
        duration_min=duration,
    )
