"""D6: e1RM, %1RM↔reps, the 2-for-2 rule and when progression is frozen (RULES.md §4)."""

from __future__ import annotations

from datetime import timedelta

import pytest

from recommender.progression import (
    brzycki_e1rm,
    epley_e1rm,
    percent_for_reps,
    progressed_load,
    reps_at_percent,
    round_to_plate,
)
from recommender.templates import MAIN_LIFTS
from tests.dose_factories import WEEK, heavy_session, logged, plan, race_in, rx


def two_weeks_of_3x5_with_7_in_the_last_set(load: float = 100.0) -> tuple:
    return tuple(
        logged(lift, WEEK - timedelta(days=d), (5, 5, 7), load)
        for lift in MAIN_LIFTS
        for d in (12, 5)
    )


BUILD = [race_in(56)]  # build phase: trained 4 × 5 @ 85 %


def test_D6_logged_5_at_100_kg_is_e1rm_116_7_epley_and_112_5_brzycki() -> None:
    assert epley_e1rm(100, 5) == pytest.approx(116.7, abs=0.05)
    assert brzycki_e1rm(100, 5) == pytest.approx(112.5)


@pytest.mark.parametrize(
    ("percent", "reps"), [(90, 3.3), (85, 5.3), (80, 7.5), (75, 10), (70, 12.9)]
)
def test_D6_percent_to_reps_follows_epley(percent: float, reps: float) -> None:
    assert reps_at_percent(percent) == pytest.approx(reps, abs=0.05)
    assert percent_for_reps(reps_at_percent(percent)) == pytest.approx(percent)


def test_D6_increments_are_2_5_percent_trained_5_percent_novice_on_2_5_kg_plates() -> None:
    assert progressed_load(100, "trained") == 102.5
    assert progressed_load(100, "novice") == 105.0
    assert progressed_load(40, "trained") == 42.5  # at least one plate step
    assert round_to_plate(61.3) == 62.5


def test_D6_target_3x5_at_100_kg_with_7_reps_in_the_last_set_two_weeks_running_goes_up() -> None:
    result = plan(races=BUILD, strength_log=two_weeks_of_3x5_with_7_in_the_last_set())
    squat = rx(heavy_session(result), "back_squat")
    assert squat is not None and squat.load_kg is not None
    assert 102.5 <= squat.load_kg <= 105.0
    assert any(r.rule == "D6" and "2-for-2" in r.text for r in result.rationale)


def test_D6_one_good_session_is_not_enough_to_progress() -> None:
    log = (logged("back_squat", WEEK - timedelta(days=5), (5, 5, 7), 100.0),)
    squat = rx(heavy_session(plan(races=BUILD, strength_log=log)), "back_squat")
    assert squat is not None and squat.load_kg == 100.0


def test_D6_same_athlete_with_acwr_1_4_keeps_the_load() -> None:
    result = plan(races=BUILD, acwr=1.4, strength_log=two_weeks_of_3x5_with_7_in_the_last_set())
    squat = rx(heavy_session(result), "back_squat")
    assert squat is not None and squat.load_kg == 100.0


@pytest.mark.parametrize(
    ("why", "overrides"),
    [
        ("taper", {"races": [race_in(14)]}),
        ("spike (S7)", {"spike_long_run": True}),
        ("sleep (R1)", {"sleep_7d_mean": 6.2}),
        ("soreness", {"soreness_recent": 8.0}),
        ("L4 TSB", {"tsb": -35.0, "ctl": 60.0}),  # issue 11: L4 relative at CTL 60 (−58 %)
    ],
)
def test_D6_progression_is_frozen_in_taper_after_a_spike_and_on_short_sleep(
    why: str, overrides: dict
) -> None:
    overrides.setdefault("races", BUILD)
    result = plan(strength_log=two_weeks_of_3x5_with_7_in_the_last_set(), **overrides)
    squat = rx(heavy_session(result), "back_squat")
    assert squat is not None and squat.load_kg == 100.0, why


def test_D6_a_new_rep_band_starts_from_e1rm_times_the_target_percent() -> None:
    log = (logged("back_squat", WEEK - timedelta(days=5), (10, 10, 10), 80.0),)  # base → build
    squat = rx(heavy_session(plan(races=BUILD, strength_log=log)), "back_squat")
    assert squat is not None
    assert squat.load_kg == round_to_plate(epley_e1rm(80, 10) * 0.85)  # 106.7 × 85 % → 90
    assert squat.load_kg == 90.0


def test_D6_without_a_log_the_lift_is_prescribed_in_percent_1rm() -> None:
    squat = rx(heavy_session(plan(races=BUILD)), "back_squat")
    assert squat is not None and squat.load_kg is None and squat.percent_1rm == 85.0


def test_D6_a_log_without_completed_loaded_reps_falls_back_to_percent_1rm() -> None:
    log = (logged("back_squat", WEEK - timedelta(days=5), (0, 0), 100.0),)
    squat = rx(heavy_session(plan(races=BUILD, strength_log=log)), "back_squat")
    assert squat is not None and squat.load_kg is None and squat.percent_1rm == 85.0
