"""The calendar feed: WeekPlans in, RFC 5545 out, parsed back with icalendar."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta

from icalendar import Calendar

from api.ics import build_calendar, exercise_line
from recommender.types import (
    WEEKDAYS,
    ExerciseRx,
    PlanInputs,
    RationaleEntry,
    Session,
    Totals,
    WeekPlan,
)

STAMP = datetime(2025, 3, 5, 7, 30, tzinfo=UTC)
SQUAT = ExerciseRx(
    id="back_squat", name="Back squat", focus="squat", sets=4, reps=5, load_kg=80.0,
    tempo="3-1-1-0", rest_s=180,
)  # fmt: skip
PLANK = ExerciseRx(id="side_plank", name="Side plank", focus="anti_rotation", sets=3, seconds=30)


def session(day: date, kind: str = "light") -> Session:
    exercises = (SQUAT, PLANK) if kind == "heavy_legs" else (PLANK,)
    return Session(date=day, weekday=WEEKDAYS[day.weekday()], kind=kind, exercises=exercises)  # type: ignore[arg-type]


def plan(week_start: date, heavy_offset: int | None, light_offsets: tuple[int, ...]) -> WeekPlan:
    heavy = week_start + timedelta(days=heavy_offset) if heavy_offset is not None else None
    sessions = [session(week_start + timedelta(days=o)) for o in light_offsets]
    if heavy is not None:
        sessions.append(session(heavy, "heavy_legs"))
    return WeekPlan(
        week_start=week_start,
        as_of=week_start,
        phase="base",
        heavy_leg_day=heavy,
        sessions=tuple(sorted(sessions, key=lambda s: s.date)),
        totals=Totals(sets=7, heavy_sets=4, foot_contacts=0, change_vs_last_week_pct=None),
        inputs=PlanInputs(
            weekly_distance_km=50.0,
            weekly_ascent_m=1500.0,
            weekly_descent_m=1500.0,
            descent_load_m=1800.0,
            acwr=1.1,
            acwr_method="EWMA 7/28",
            long_run_day="saturday",
            hard_days=("wednesday",),
            days_to_next_race=None,
            novel_descent_dates=(),
        ),
        rationale=(RationaleEntry("S3", "heavy day 4 days from the long run (≥ 3)"),),
    )


def events(ics: bytes) -> list:  # type: ignore[type-arg]
    return list(Calendar.from_ical(ics).walk("VEVENT"))


THIS = date(2025, 3, 3)
NEXT = date(2025, 3, 10)


def test_the_feed_has_one_event_per_session_of_this_week_and_next() -> None:
    ics = build_calendar(
        [plan(THIS, 1, (3,)), plan(NEXT, 0, (2, 4))], calendar_key="a1", name="Ana", stamp=STAMP
    )
    found = events(ics)
    assert len(found) == 5
    starts = sorted(e.start for e in found)
    assert starts[0] == date(2025, 3, 4)
    assert starts[-1] == date(2025, 3, 14)


def test_a_week_without_a_heavy_day_contributes_only_its_light_sessions() -> None:
    found = events(
        build_calendar([plan(THIS, None, (2,))], calendar_key="a", name="A", stamp=STAMP)
    )
    assert len(found) == 1
    assert "Light" in str(found[0]["SUMMARY"])


def test_events_are_all_day_and_last_one_day() -> None:
    (event,) = events(build_calendar([plan(THIS, 2, ())], calendar_key="a", name="A", stamp=STAMP))
    assert event.start == date(2025, 3, 5)
    assert event.end == date(2025, 3, 6)


def test_the_description_lists_sets_reps_load_tempo_rest_and_the_rationale() -> None:
    (event,) = events(build_calendar([plan(THIS, 2, ())], calendar_key="a", name="A", stamp=STAMP))
    text = str(event["DESCRIPTION"])
    assert "Back squat: 4 × 5 @ 80 kg, tempo 3-1-1-0, rest 180 s" in text
    assert "Side plank: 3 × 30 s" in text
    assert "[S3] heavy day 4 days from the long run" in text


def test_uids_are_stable_between_builds_and_distinct_between_athletes() -> None:
    plans = [plan(THIS, 1, (3,))]
    first = {
        str(e["UID"])
        for e in events(build_calendar(plans, calendar_key="a", name="A", stamp=STAMP))
    }
    later = STAMP + timedelta(hours=5)
    again = {
        str(e["UID"])
        for e in events(build_calendar(plans, calendar_key="a", name="A", stamp=later))
    }
    other = {
        str(e["UID"])
        for e in events(build_calendar(plans, calendar_key="b", name="B", stamp=STAMP))
    }
    assert first == again
    assert not first & other


def test_the_same_session_in_two_plans_appears_once() -> None:
    ics = build_calendar(
        [plan(THIS, 1, ()), plan(THIS, 1, ())], calendar_key="a", name="A", stamp=STAMP
    )
    assert len(events(ics)) == 1


def test_an_exercise_prescribed_by_percent_and_rpe_reads_naturally() -> None:
    rx = ExerciseRx(
        id="rdl", name="Romanian deadlift", focus="back", sets=3, reps=8, percent_1rm=70, rpe=7
    )
    assert exercise_line(rx) == "Romanian deadlift: 3 × 8 @ 70 % 1RM (RPE 7)"


def test_the_feed_is_valid_ics_text_with_crlf_lines() -> None:
    ics = build_calendar([plan(THIS, 1, ())], calendar_key="a", name="A", stamp=STAMP)
    assert ics.startswith(b"BEGIN:VCALENDAR\r\n")
    assert b"VERSION:2.0" in ics
    assert b"PRODID:-//legday" in ics
    assert ics.rstrip().endswith(b"END:VCALENDAR")
