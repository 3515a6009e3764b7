"""WeekPlans → an RFC 5545 calendar: one all-day event per planned strength session (pure).

A planned (not yet done) session's event links its FIT workout (``URL``, and the description's
last line) when the caller says where it is: the watch runs the session from it."""

from __future__ import annotations

import unicodedata
from collections.abc import Callable, Iterable
from datetime import date, datetime, timedelta

from icalendar import Calendar, Event

from recommender.types import ExerciseRx, Session, WeekPlan

PRODID = "-//legday//weekly strength plan//EN"
TITLES = {"heavy_legs": "Heavy legs", "light": "Light strength", "activation": "Activation"}


def ics_text(value: str, *, lines: bool = False) -> str:
    """Text safe in an ICS property: every control character (a bare CR would start a new
    content line; an LF is refused by the writer) becomes a space; with ``lines``, LF is kept
    (the writer escapes it as ``\\n``)."""
    keep = "\n" if lines else ""
    value = value.replace("\r\n", "\n") if lines else value
    return "".join(ch if ch in keep or unicodedata.category(ch) != "Cc" else " " for ch in value)


def exercise_line(rx: ExerciseRx) -> str:
    """'Back squat: 4 × 5 @ 80 kg, tempo 3-1-1-0, rest 180 s' (only the parts the plan states)."""
    amount = f"{rx.reps}" if rx.reps is not None else f"{rx.seconds} s" if rx.seconds else "?"
    line = f"{rx.name}: {rx.sets} × {amount}"
    if rx.load_kg is not None:
        line += f" @ {rx.load_kg:g} kg"
    elif rx.percent_1rm is not None:
        line += f" @ {rx.percent_1rm:g} % 1RM"
    if rx.rpe is not None:
        line += f" (RPE {rx.rpe:g})"
    if rx.tempo:
        line += f", tempo {rx.tempo}"
    if rx.rest_s:
        line += f", rest {rx.rest_s} s"
    return line


def session_description(session: Session, plan: WeekPlan, workout_url: str | None = None) -> str:
    lines = [exercise_line(rx) for rx in session.exercises]
    if session.foot_contacts:
        lines.append(f"Foot contacts: {session.foot_contacts}")
    if session.note:
        lines.append(session.note)
    if plan.rationale:
        lines.append("")
        lines.append("Why:")
        lines.extend(f"[{r.rule}] {r.text}" for r in plan.rationale)
    if workout_url:
        lines.append("")
        lines.append(f"Workout for the watch (FIT): {workout_url}")
    return "\n".join(lines)


def session_uid(calendar_key: str, session: Session) -> str:
    """Stable across rebuilds: the same athlete, day and kind keep their UID; clients update it."""
    return f"{calendar_key}-{session.date.isoformat()}-{session.kind}@legday"


def build_calendar(
    plans: Iterable[WeekPlan],
    *,
    calendar_key: str,
    name: str,
    stamp: datetime,
    workout_url: Callable[[date], str] | None = None,
) -> bytes:
    """The feed for ``plans`` (this week and next); ``stamp``: build time, UTC, the edge's clock;
    ``workout_url``: where a day's FIT workout is."""
    cal = Calendar.new(
        prodid=PRODID,
        uid=f"{calendar_key}-plan@legday",
        name=ics_text(f"legday · {name}"),
        refresh_interval=timedelta(hours=6),
    )
    seen: set[str] = set()
    for plan in plans:
        for session in plan.sessions:
            uid = session_uid(calendar_key, session)
            if uid in seen:
                continue
            seen.add(uid)
            title = TITLES.get(session.kind, session.kind)
            url = workout_url(session.date) if workout_url and not session.done else None
            event = Event.new(
                uid=uid,
                summary=ics_text(f"{title} ({len(session.exercises)} exercises)"),
                description=ics_text(session_description(session, plan, url), lines=True),
                start=session.date,
                end=session.date + timedelta(days=1),
                stamp=stamp,
                categories=["legday", session.kind],
            )
            event.add("transp", "TRANSPARENT")
            if url:
                event.add("url", url)
            cal.add_component(event)
    return cal.to_ical()
