"""Week shape: long-run weekday, hard weekdays, profile overrides and days already past."""

from __future__ import annotations

from datetime import timedelta

import pandas as pd

from recommender.load import build_load_model
from recommender.shape import WeekShape, hard_flags, infer_shape, week_events
from recommender.types import Profile
from tests.recommender_factories import PLAN_WEEK, Run, activity, frame, make_history, profile


def shape_of(df: pd.DataFrame, prof: Profile | None = None) -> WeekShape:
    prof = prof or profile()
    runs = build_load_model(df, as_of=PLAN_WEEK).runs
    return infer_shape(runs, hard_flags(runs, prof), prof, week_start=PLAN_WEEK)


def test_long_run_weekday_is_the_most_frequent_weekday_of_the_weekly_longest_run() -> None:
    df = make_history(6, {"tuesday": "hard", "thursday": "easy", "sunday": "long"})
    assert shape_of(df).long_run_day == "sunday"


def test_a_tie_between_long_run_weekdays_goes_to_the_most_recent() -> None:
    sat = make_history(3, {"saturday": "long", "tuesday": "easy"}, before=PLAN_WEEK - timedelta(21))
    sun = make_history(3, {"sunday": "long", "tuesday": "easy"})
    assert shape_of(pd.concat([sat, sun], ignore_index=True)).long_run_day == "sunday"
    sun_first = make_history(3, {"sunday": "long"}, before=PLAN_WEEK - timedelta(21))
    sat_last = make_history(3, {"saturday": "long"})
    assert shape_of(pd.concat([sun_first, sat_last], ignore_index=True)).long_run_day == "saturday"


def test_hard_days_come_from_pace_relative_to_the_athletes_median_without_heart_rate() -> None:
    df = make_history(
        6, {"tuesday": "hard", "thursday": "easy", "friday": "easy", "sunday": "long"}
    )
    assert shape_of(df).hard_days == ("tuesday",)


def test_hard_days_come_from_heart_rate_reserve_when_heart_rate_is_present() -> None:
    slow_but_hard = Run(km=10, pace_s_per_km=360, avg_hr=170)  # 0.85 of HRR with 50/190
    easy = Run(km=10, pace_s_per_km=300, avg_hr=130)  # fast on pace, 0.57 of HRR
    df = make_history(6, {"wednesday": slow_but_hard, "friday": easy, "sunday": "long"})
    shape = shape_of(df, profile(hr_rest=50, hr_max=190))
    assert shape.hard_days == ("wednesday",)


def test_the_long_run_is_never_also_a_hard_day() -> None:
    df = make_history(6, {"thursday": "easy", "saturday": Run(km=30, pace_s_per_km=250)})
    shape = shape_of(df)
    assert shape.long_run_day == "saturday" and "saturday" not in shape.hard_days


def test_profile_overrides_replace_inference() -> None:
    df = make_history(6)
    prof = profile(long_run_day="sunday", hard_days=("thursday",))
    shape = shape_of(df, prof)
    assert shape.long_run_day == "sunday" and shape.hard_days == ("thursday",)


def test_no_history_leaves_the_shape_to_the_profile() -> None:
    assert shape_of(frame([])) == WeekShape(None, (), None, "no recent runs")


def test_a_long_run_already_done_on_monday_replaces_the_planned_one_this_week() -> None:
    df = pd.concat([make_history(6), frame([activity(PLAN_WEEK, Run(km=25))])], ignore_index=True)
    as_of = PLAN_WEEK + timedelta(days=1)
    runs = build_load_model(df, as_of=as_of).runs
    flags = hard_flags(runs, profile())
    shape = infer_shape(runs, flags, profile(), week_start=PLAN_WEEK)
    events = week_events(runs, flags, shape, (), week_start=PLAN_WEEK, as_of=as_of)
    long_runs = [e.date for e in events if e.kind == "long_run" and e.date >= PLAN_WEEK]
    assert long_runs[0] == PLAN_WEEK
    assert PLAN_WEEK + timedelta(days=5) not in long_runs  # Saturday's planned run is dropped
    assert PLAN_WEEK + timedelta(days=12) in long_runs  # next week's is still planned


def test_the_long_run_estimate_follows_a_rising_trend() -> None:
    rows = [
        activity(PLAN_WEEK - timedelta(days=2 + 7 * w), Run(km=km))
        for w, km in enumerate([24.0, 22.0, 20.0, 18.0])
    ]
    assert shape_of(frame(rows)).long_run_km == 26.0


def test_hard_days_come_from_peak_heart_rate_when_the_session_average_is_diluted() -> None:
    # 1-km reps with jog recoveries: the average stays at 0.71 of HRR, the peak reaches 0.96
    intervals = {**activity(PLAN_WEEK, Run(km=10, pace_s_per_km=360, avg_hr=150)), "max_hr": 185.0}
    easy = {**activity(PLAN_WEEK, Run(km=10, pace_s_per_km=360, avg_hr=140)), "max_hr": 165.0}
    df = frame([intervals, easy])
    flags = hard_flags(
        build_load_model(df, as_of=PLAN_WEEK + timedelta(days=1)).runs,
        profile(hr_rest=50, hr_max=190),
    )
    assert flags.tolist() == [True, False]


def test_the_long_run_estimate_ignores_a_rebound_after_a_recovery_week() -> None:
    rows = [
        activity(PLAN_WEEK - timedelta(days=2 + 7 * w), Run(km=km))
        for w, km in enumerate([26.0, 25.0, 24.0, 16.0])  # newest first
    ]
    assert shape_of(frame(rows)).long_run_km == 27.0  # 26 + median(8, 1, 1), not 26 + 3.3


def test_a_routine_changed_two_weeks_ago_is_the_new_routine() -> None:
    old = {"tuesday": "hard", "thursday": "easy", "saturday": "long"}
    new = {"tuesday": "easy", "thursday": "hard", "sunday": "long"}
    before = make_history(4, old, before=PLAN_WEEK - timedelta(weeks=2))
    shape = shape_of(pd.concat([before, make_history(2, new)], ignore_index=True))
    assert (shape.long_run_day, shape.hard_days) == ("sunday", ("thursday",))


def test_a_single_odd_week_does_not_move_the_long_run_day() -> None:
    usual = {"tuesday": "hard", "thursday": "easy", "saturday": "long"}
    odd = {"tuesday": "hard", "thursday": "easy", "sunday": "long"}
    before = make_history(5, usual, before=PLAN_WEEK - timedelta(weeks=1))
    shape = shape_of(pd.concat([before, make_history(1, odd)], ignore_index=True))
    assert (shape.long_run_day, shape.hard_days) == ("saturday", ("tuesday",))
