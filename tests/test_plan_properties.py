"""plan_week over random but plausible 8-week histories and profiles (hypothesis), plus examples."""

from __future__ import annotations

import importlib.util
from datetime import date, timedelta
from typing import Any

import pandas as pd
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from api.plans import weekly_totals
from recommender import plan_week, week_start_for
from recommender.ratios import ACWR_METHOD
from recommender.shape import weekday
from recommender.types import (
    WEEKDAYS,
    Checkin,
    DoseInputs,
    DoseResult,
    ExerciseRx,
    Profile,
    Race,
    RationaleEntry,
    Session,
    StrengthEntry,
    StrengthSet,
    Totals,
    WeekPlan,
)
from tests.recommender_factories import PLAN_WEEK, Run, activity, frame, make_history, profile

HAS_DOSE = importlib.util.find_spec("recommender.dose") is not None
SETTINGS = settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])


def fake_dose(inputs: DoseInputs) -> DoseResult:
    """Stands in for recommender.dose where a test is about the schedule: one exercise a session."""
    squat = ExerciseRx("back_squat", "Back squat", "squat", sets=3, reps=5)
    balance = ExerciseRx("single_leg_balance", "Single-leg balance", "balance", sets=2, seconds=30)
    sessions = [Session(d, weekday(d), "light", (balance,)) for d in inputs.light_days]
    if inputs.heavy_day is not None:
        d = inputs.heavy_day
        sessions.insert(0, Session(d, weekday(d), "heavy_legs", (squat,)))
    sets = sum(e.sets for s in sessions for e in s.exercises)
    totals = Totals(sets, 3 if inputs.heavy_day else 0, 0, None)
    return DoseResult(tuple(sessions), (RationaleEntry("D1", "fake"),), totals)


@st.composite
def histories(draw: st.DrawFn) -> tuple[pd.DataFrame, Profile, date]:
    ws = draw(st.sampled_from(["monday", "saturday", "sunday"]))
    week_start = week_start_for(PLAN_WEEK + timedelta(days=draw(st.integers(0, 6))), ws)
    lr_day = draw(st.integers(0, 6))
    hard = draw(st.sets(st.integers(0, 6), max_size=3)) - {lr_day}
    easy = draw(st.sets(st.integers(0, 6), max_size=4)) - {lr_day} - hard
    lr_km = draw(st.floats(14, 35))
    rows: list[dict[str, Any]] = []
    for i in range(56):
        day = week_start - timedelta(days=56 - i)
        wd = day.weekday()
        if draw(st.integers(0, 9)) == 0:
            continue  # a missed run now and then
        if wd == lr_day:
            desc = draw(st.sampled_from([300.0, 400.0, 500.0, 1200.0]))
            rows.append(activity(day, Run(km=lr_km, ascent_m=desc * 1.2, descent_load_m=desc)))
        elif wd in hard:
            rows.append(activity(day, Run(km=10, pace_s_per_km=270, descent_load_m=50)))
        elif wd in easy:
            rows.append(activity(day, Run(km=draw(st.floats(5, 12)))))
    days = draw(st.sets(st.sampled_from(WEEKDAYS), min_size=1))
    race_in = draw(st.one_of(st.none(), st.integers(-40, 120)))
    races = () if race_in is None else (Race(week_start + timedelta(days=race_in), "race", 42.0),)
    prof = profile(
        week_start=ws,
        strategy=draw(st.sampled_from(["separate", "stack"])),
        strength_days=tuple(d for d in WEEKDAYS if d in days),
        lifting_experience=draw(st.sampled_from(["novice", "trained"])),
        races=races,
    )
    return frame(rows), prof, week_start


def _no_race_near(prof: Profile, week_start: date) -> bool:
    return all(not -12 <= (r.date - week_start).days <= 20 for r in prof.races)


def _gaps_ok(plan: WeekPlan) -> bool:
    """The chosen day against the inputs the plan reports (S3, S4)."""
    d = plan.heavy_leg_day
    assert d is not None
    for offset in range(15):
        other = d + timedelta(days=offset)
        if offset and weekday(other) == plan.inputs.long_run_day and offset < 3:
            return False
        if weekday(other) in plan.inputs.hard_days and offset == 1:
            return False
    return not any(1 <= (d - n).days <= 2 for n in plan.inputs.novel_descent_dates)


def _all_days_blocked(plan: WeekPlan, prof: Profile) -> bool:
    days = [plan.week_start + timedelta(days=i) for i in range(7)]
    lr = plan.inputs.long_run_day
    novel = plan.inputs.novel_descent_dates

    def blocked(d: date) -> bool:
        near_lr = any(weekday(d + timedelta(days=k)) == lr for k in range(3))
        return near_lr or any(1 <= (d - n).days <= 2 for n in novel)

    return all(blocked(d) for d in days if weekday(d) in prof.strength_days)


@SETTINGS
@given(histories())
def test_every_non_race_week_gets_exactly_one_heavy_day_on_an_available_legal_day(
    case: tuple[pd.DataFrame, Profile, date],
) -> None:
    df, prof, week_start = case
    plan = plan_week(df, prof, week_start=week_start, as_of=week_start, prescribe=fake_dose)
    # Deviation from RULES S6 [D, issue 11 finding 6]: the long-run gap and the S4 48 h are hard,
    # so a week whose strength days all fall inside them has no heavy day, but a light session
    # and an S6 line that says why.
    if _no_race_near(prof, week_start) and not _all_days_blocked(plan, prof):
        assert plan.heavy_leg_day is not None
        assert [s.kind for s in plan.sessions].count("heavy_legs") == 1
    if plan.heavy_leg_day is None and _no_race_near(prof, week_start):
        assert any(r.rule == "S6" and "light session" in r.text for r in plan.rationale)
        assert plan.sessions, plan.rationale
    if plan.heavy_leg_day is not None:
        assert week_start <= plan.heavy_leg_day < week_start + timedelta(days=7)
        assert weekday(plan.heavy_leg_day) in prof.strength_days
        relaxed = any(r.rule == "S6" for r in plan.rationale)
        assert relaxed or _gaps_ok(plan), plan.rationale
        assert plan.heavy_leg_day not in {s.date for s in plan.sessions if s.kind != "heavy_legs"}


@SETTINGS
@given(histories())
def test_the_same_input_gives_the_same_plan(case: tuple[pd.DataFrame, Profile, date]) -> None:
    df, prof, week_start = case
    a = plan_week(df, prof, week_start=week_start, as_of=week_start, prescribe=fake_dose)
    b = plan_week(df.copy(), prof, week_start=week_start, as_of=week_start, prescribe=fake_dose)
    assert a.to_dict() == b.to_dict()


@pytest.mark.skipif(not HAS_DOSE, reason="recommender.dose (recommender B) has not landed yet")
@SETTINGS
@given(histories())
def test_D4_every_week_with_a_heavy_session_covers_at_least_5_of_7_categories(
    case: tuple[pd.DataFrame, Profile, date],
) -> None:
    df, prof, week_start = case
    plan = plan_week(df, prof, week_start=week_start, as_of=week_start)
    if plan.heavy_leg_day is not None:
        assert [s.kind for s in plan.sessions].count("heavy_legs") == 1
        focuses = {e.focus for s in plan.sessions for e in s.exercises}
        assert len(focuses) >= 5, focuses


def test_week_start_for_honours_the_athletes_first_weekday() -> None:
    wed = date(2025, 6, 4)
    assert week_start_for(wed, "monday") == date(2025, 6, 2)
    assert week_start_for(wed, "sunday") == date(2025, 6, 1)
    assert week_start_for(wed, "saturday") == date(2025, 5, 31)
    assert week_start_for(date(2025, 5, 31), "saturday") == date(2025, 5, 31)


def test_plan_inputs_report_the_trailing_week_the_shape_and_the_acwr_method() -> None:
    plan = plan_week(
        make_history(8), profile(), week_start=PLAN_WEEK, as_of=PLAN_WEEK, prescribe=fake_dose
    )
    i = plan.inputs
    assert i.weekly_distance_km == pytest.approx(10 + 10 + 24 + 10)
    assert i.long_run_day == "saturday" and i.hard_days == ("tuesday",)
    assert i.acwr_method == ACWR_METHOD and i.acwr is not None  # issue 11: rolling 7:28
    assert {"ctl", "atl", "tsb", "monotony", "sleep_7d", "descent_acwr"} <= set(i.extra)


def test_rationale_names_the_rule_and_its_numbers() -> None:
    plan = plan_week(
        make_history(8),
        profile(lifting_experience="trained"),
        week_start=PLAN_WEEK,
        as_of=PLAN_WEEK,
        prescribe=fake_dose,
    )
    s3 = [r.text for r in plan.rationale if r.rule == "S3"]
    assert any("long run Sat 7 Jun (24.0 km" in t and "Thu 5 Jun, Fri 6 Jun" in t for t in s3)


def test_change_vs_last_week_compares_with_the_previous_week_dosed_at_its_start() -> None:
    plan = plan_week(
        make_history(8), profile(), week_start=PLAN_WEEK, as_of=PLAN_WEEK, prescribe=fake_dose
    )
    assert plan.totals.change_vs_last_week_pct == 0.0


def test_a_real_monday_descent_moves_the_heavy_day_when_planning_mid_week() -> None:
    history = make_history(8, {"wednesday": "hard", "sunday": Run(km=24, descent_load_m=500)})
    monday = frame([activity(PLAN_WEEK, Run(km=20, descent_load_m=1500))])
    df = pd.concat([history, monday], ignore_index=True)
    prof = profile(lifting_experience="trained", strategy="stack")
    before = plan_week(df, prof, week_start=PLAN_WEEK, as_of=PLAN_WEEK, prescribe=fake_dose)
    after = plan_week(
        df, prof, week_start=PLAN_WEEK, as_of=PLAN_WEEK + timedelta(days=1), prescribe=fake_dose
    )
    assert before.heavy_leg_day == date(2025, 6, 4)  # stacked on Wednesday's hard run
    assert after.inputs.novel_descent_dates == (PLAN_WEEK,)
    assert after.heavy_leg_day is not None and after.heavy_leg_day >= date(2025, 6, 5)
    assert any(r.rule == "S4" and "Wed 4 Jun" in r.text for r in after.rationale)


def test_race_week_has_no_heavy_day() -> None:
    prof = profile(races=(Race(PLAN_WEEK + timedelta(days=5), "trail 30k", 30.0, 1500.0),))
    plan = plan_week(
        make_history(8), prof, week_start=PLAN_WEEK, as_of=PLAN_WEEK, prescribe=fake_dose
    )
    assert plan.phase == "race_week" and plan.heavy_leg_day is None
    assert any(r.rule == "P5" for r in plan.rationale)


def test_S2_the_stack_run_first_note_reaches_the_heavy_session_beside_the_dose_note() -> None:
    prof = profile(strategy="stack", races=(Race(PLAN_WEEK + timedelta(days=70)),))
    plan = plan_week(make_history(6), prof, week_start=PLAN_WEEK, as_of=PLAN_WEEK)
    heavy = next(s for s in plan.sessions if s.kind == "heavy_legs")
    assert heavy.note is not None
    assert "run first" in heavy.note and "6 h" in heavy.note
    assert "Plyometrics first" in heavy.note


def test_R1_soreness_logged_on_the_planning_day_itself_is_not_yet_known() -> None:
    sore_today = (Checkin(PLAN_WEEK, soreness=9.0),)
    plan = plan_week(
        make_history(6), profile(), week_start=PLAN_WEEK, as_of=PLAN_WEEK, checkins=sore_today
    )
    assert "R1" not in {r.rule for r in plan.rationale}
    sore_yesterday = (Checkin(PLAN_WEEK - timedelta(days=1), soreness=9.0),)
    plan = plan_week(
        make_history(6), profile(), week_start=PLAN_WEEK, as_of=PLAN_WEEK, checkins=sore_yesterday
    )
    assert "R1" in {r.rule for r in plan.rationale}


def test_weeks_planned_ahead_compare_with_the_previous_week_as_known_today() -> None:
    history = make_history(6)
    ahead = PLAN_WEEK + timedelta(weeks=2)
    plan = plan_week(history, profile(), week_start=ahead, as_of=PLAN_WEEK)
    prev = plan_week(history, profile(), week_start=ahead - timedelta(weeks=1), as_of=PLAN_WEEK)
    assert plan.totals.change_vs_last_week_pct == round(
        100.0 * (plan.totals.sets - prev.totals.sets) / prev.totals.sets, 1
    )


def test_S1_a_heavy_session_already_logged_this_week_is_the_weeks_heavy_day() -> None:
    monday = PLAN_WEEK
    squats = StrengthEntry(monday, "back_squat", (StrengthSet(5, 90.0),) * 4)
    saturday = PLAN_WEEK + timedelta(days=5)
    history = make_history(7, before=saturday)
    plan = plan_week(
        history, profile(), week_start=PLAN_WEEK, as_of=saturday, strength_log=[squats]
    )
    assert plan.heavy_leg_day == monday
    assert not any(s.kind == "heavy_legs" and not s.done for s in plan.sessions)
    assert [s.date for s in plan.sessions if s.done] == [monday]
    assert any(r.rule == "S1" and "already logged" in r.text for r in plan.rationale)


def test_totals_count_the_sets_logged_this_week_so_the_change_compares_whole_weeks() -> None:
    monday, saturday = PLAN_WEEK, PLAN_WEEK + timedelta(days=5)
    squats = StrengthEntry(monday, "back_squat", (StrengthSet(5, 90.0),) * 4)
    rows = StrengthEntry(monday, "single_arm_row", (StrengthSet(10, 20.0),) * 3)
    history = make_history(7, before=saturday)
    plan = plan_week(
        history, profile(), week_start=PLAN_WEEK, as_of=saturday, strength_log=[squats, rows]
    )
    planned = sum(x.sets for s in plan.sessions if not s.done for x in s.exercises)
    assert plan.totals.sets == planned + 4 + 3
    assert plan.totals.heavy_sets == 4  # the logged squat sets; nothing heavy still to come
    done = next(s for s in plan.sessions if s.done)
    assert (done.kind, done.exercises[0].load_kg, done.exercises[0].sets) == ("heavy_legs", 90, 4)


def test_a_current_week_planned_on_saturday_is_dosed_on_the_load_state_of_monday() -> None:
    saturday = PLAN_WEEK + timedelta(days=5)
    history = make_history(8, before=saturday)
    monday_plan = plan_week(history, profile(), week_start=PLAN_WEEK, as_of=PLAN_WEEK)
    saturday_plan = plan_week(history, profile(), week_start=PLAN_WEEK, as_of=saturday)
    keys = ("ctl", "tsb", "ctl_ramp", "monotony", "reference_day")
    assert saturday_plan.inputs.acwr == monday_plan.inputs.acwr is not None
    assert [saturday_plan.inputs.extra[k] for k in keys] == [
        monday_plan.inputs.extra[k] for k in keys
    ]
    assert saturday_plan.inputs.weekly_distance_km == monday_plan.inputs.weekly_distance_km
    assert saturday_plan.inputs.extra["reference_day"] == PLAN_WEEK.isoformat()


def test_the_plans_acwr_is_the_acwr_get_v1_weeks_reports_for_that_week() -> None:
    saturday = PLAN_WEEK + timedelta(days=5)
    history = make_history(8, before=saturday)
    weeks = weekly_totals(history, end=saturday, count=3, week_start="monday")
    for row in weeks:
        start = row["week_start"]
        plan = plan_week(history, profile(), week_start=start, as_of=max(start, PLAN_WEEK))
        assert plan.inputs.acwr == pytest.approx(row["acwr"], abs=0.005), start


def test_rationale_texts_do_not_repeat_their_rule_id() -> None:
    plan = plan_week(make_history(8), profile(), week_start=PLAN_WEEK, as_of=PLAN_WEEK)
    assert plan.rationale
    for entry in plan.rationale:
        assert not entry.text.startswith(f"{entry.rule}:"), entry
