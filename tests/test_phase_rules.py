"""§6 periodization: P1–P6 from the race calendar, and what the dose does with each phase."""

from __future__ import annotations

from datetime import timedelta

import pytest

from recommender.catalogue import exercise
from recommender.dose import prescribe
from recommender.phase import post_race_days, season_phase
from tests.dose_factories import (
    WEEK,
    day,
    dose_inputs,
    heavy_session,
    main_lifts,
    plan,
    race_in,
    rules,
)


@pytest.mark.parametrize(
    ("days_to_race", "phase"),
    [
        (140, "base"),
        (113, "base"),
        (112, "build"),
        (43, "build"),
        (42, "peak"),
        (15, "peak"),
        (14, "pre_taper"),
        (8, "pre_taper"),
        (7, "race_week"),
        (0, "race_week"),
    ],
)
def test_P1_to_P5_weeks_to_the_a_race_are_counted_as_ceil_of_days_over_7(
    days_to_race: int, phase: str
) -> None:
    info = season_phase(WEEK, [race_in(days_to_race)])
    assert info.phase == phase
    assert info.weeks_to_a_race == pytest.approx(days_to_race / 7)


def test_P1_race_in_20_weeks_gives_the_base_prescription() -> None:
    result = plan(races=[race_in(140)])
    heavy = heavy_session(result)
    assert heavy is not None
    assert all(8 <= (e.reps or 0) <= 15 for e in main_lifts(heavy))
    assert all(65 <= (e.percent_1rm or 0) <= 75 for e in main_lifts(heavy))
    endurance = [e for e in heavy.exercises if e.focus == "strength_endurance"]
    assert endurance and all((e.seconds or 0) >= 45 for e in endurance)
    assert rules(result)[0] == "P1"


def test_P1_no_race_at_all_is_base() -> None:
    assert season_phase(WEEK, []).phase == "base"


def test_P1_the_phase_follows_the_a_race_not_a_nearer_b_race() -> None:
    info = season_phase(WEEK, [race_in(20, priority="B"), race_in(140)])
    assert info.phase == "base"
    assert info.next_race is not None and info.next_race.priority == "B"
    assert info.days_to_next_race == 20


def test_P4_100_km_effort_a_race_allows_heavy_2x3_up_to_day_minus_10_and_light_from_minus_9() -> (
    None
):
    race = race_in(14, km=65, ascent_m=3500)  # 100 km-effort, Monday in 2 weeks
    info = season_phase(WEEK, [race])
    assert info.phase == "pre_taper"
    assert info.last_heavy_date == race.date - timedelta(days=10)

    on_day_10 = prescribe(dose_inputs(races=[race], heavy_day=race.date - timedelta(days=10)))
    heavy = heavy_session(on_day_10)
    assert heavy is not None
    assert [(e.sets, e.reps) for e in main_lifts(heavy)] == [(2, 3), (2, 3)]
    assert all((e.percent_1rm or 0) >= 80 for e in main_lifts(heavy))

    on_day_9 = prescribe(dose_inputs(races=[race], heavy_day=race.date - timedelta(days=9)))
    assert heavy_session(on_day_9) is None
    assert {s.kind for s in on_day_9.sessions} <= {"light", "activation"}
    assert "P4" in rules(on_day_9)


def test_P4_30_km_effort_race_allows_heavy_up_to_day_minus_7_then_activation_only() -> None:
    race = race_in(13, km=30)  # Sunday in 2 weeks; the week runs days −13…−7
    info = season_phase(WEEK, [race])
    assert info.last_heavy_date == race.date - timedelta(days=7)
    assert heavy_session(prescribe(dose_inputs(races=[race], heavy_day=day(6)))) is not None

    race_week = [race_in(6, km=30)]  # the next week: days −6…−1
    result = prescribe(
        dose_inputs(races=race_week, heavy_day=day(1), light_days=(day(0), day(3), day(5)))
    )
    assert heavy_session(result) is None
    assert {s.kind for s in result.sessions} == {"activation"}
    assert all(s.date <= race_week[0].date - timedelta(days=2) for s in result.sessions)


def test_P5_race_in_6_days_activation_only_at_most_2_sets_and_nothing_within_48_h() -> None:
    race = race_in(6)
    result = prescribe(
        dose_inputs(races=[race], heavy_day=day(2), light_days=(day(0), day(4), day(5)))
    )
    assert season_phase(WEEK, [race]).phase == "race_week"
    assert result.sessions and all(s.kind == "activation" for s in result.sessions)
    exercises = [e for s in result.sessions for e in s.exercises]
    assert all(e.sets <= 2 for e in exercises)
    assert all(e.load_kg is None and (e.percent_1rm or 0) <= 60 for e in exercises)
    assert all((race.date - s.date).days >= 2 for s in result.sessions)  # day 5 dropped
    assert result.totals.foot_contacts <= 30
    assert all(
        exercise(e.id).plyo_intensity in (None, "low") for e in exercises
    )  # low-intensity contacts only
    assert result.totals.heavy_sets == 0


def test_P6_two_days_after_a_120_km_effort_race_no_leg_strength_and_heavy_from_day_10() -> None:
    race = race_in(-2, km=100, ascent_m=2000)  # Saturday before the week: 120 km-effort
    info = season_phase(WEEK, [race])
    assert info.phase == "post_race"
    assert info.no_heavy_until == race.date + timedelta(days=10)
    result = prescribe(dose_inputs(races=[race], heavy_day=day(0), light_days=(day(2), day(4))))
    assert heavy_session(result) is None
    exercises = [e for s in result.sessions for e in s.exercises]
    assert exercises
    assert all(e.focus == "balance" for e in exercises)  # balance and mobility
    assert all(not exercise(e.id).categories - {"ankle_balance", "mobility"} for e in exercises)
    assert result.totals.foot_contacts == 0
    assert "P6" in rules(result)


@pytest.mark.parametrize(("km", "ascent", "days"), [(30, 0, 5), (60, 1500, 7), (100, 2000, 10)])
def test_P6_window_is_5_7_or_10_days_by_km_effort(km: float, ascent: float, days: int) -> None:
    assert post_race_days(race_in(-1, km=km, ascent_m=ascent)) == days


def test_P6_heavy_legs_return_once_the_window_is_over() -> None:
    race = race_in(-8, km=100, ascent_m=2000)  # window ends on day 2
    result = prescribe(dose_inputs(races=[race, race_in(140)], heavy_day=day(2)))
    assert heavy_session(result) is not None


def test_P4_b_race_is_a_key_session_with_a_one_week_mini_taper() -> None:
    b_race = race_in(6, priority="B", name="tune-up")
    info = season_phase(WEEK, [b_race, race_in(56)])
    assert info.phase == "build"
    assert info.last_heavy_date == b_race.date - timedelta(days=3)
    result = prescribe(dose_inputs(races=[b_race, race_in(56)], heavy_day=day(2)))
    heavy = heavy_session(result)
    assert heavy is not None
    assert [e.sets for e in main_lifts(heavy)] == [2, 2]  # 4 → 2: heavy volume −50 %
    assert any(r.rule == "P4" and "mini-taper" in r.text for r in result.rationale)
