"""Load model: RULES.md §2 vectors (T-ACWR, T-PMC, T-MONO, T-DESC, T-ITRA, T-MIN) and frames."""

from __future__ import annotations

from datetime import date, timedelta

import numpy as np
import pandas as pd
import pytest

from recommender.effort import flat_equivalent_km, itra_category, km_effort, minetti_cr
from recommender.load import build_load_model
from recommender.ratios import (
    ACWR_METHOD,
    MONOTONY_CAP,
    acwr_ewma,
    acwr_rolling,
    monotony_strain,
    pmc,
    snapshot,
)
from tests.recommender_factories import PLAN_WEEK, Run, activity, days_from, frame, make_history

T_ACWR = np.array([10.0] * 28 + [15.0] * 7)


def test_T_ACWR_ewma_seeded_with_the_first_value_is_1_20() -> None:
    assert acwr_ewma(T_ACWR) == pytest.approx(1.20, abs=0.005)


def test_T_ACWR_rolling_coupled_is_1_33_and_uncoupled_1_50() -> None:
    assert acwr_rolling(T_ACWR, coupled=True) == pytest.approx(1.333, abs=0.001)
    assert acwr_rolling(T_ACWR, coupled=False) == pytest.approx(1.50)


def test_T_ACWR_weekly_variant_is_1_39_coupled_and_1_60_uncoupled() -> None:
    weekly = np.array([40.0, 40, 40, 40, 64])
    assert acwr_rolling(weekly, 1, 4, coupled=True) == pytest.approx(1.39, abs=0.005)
    assert acwr_rolling(weekly, 1, 4, coupled=False) == pytest.approx(1.60)


def test_T_PMC_28_days_at_10_then_7_at_15_gives_atl_13_3_ctl_10_8_tsb_minus_2_5() -> None:
    ctl, atl, tsb = pmc(T_ACWR)
    assert atl[-1] == pytest.approx(13.3, abs=0.05)
    assert ctl[-1] == pytest.approx(10.8, abs=0.05)
    assert tsb[-1] == pytest.approx(-2.5, abs=0.05)


def test_T_PMC_constant_load_for_200_days_converges_ctl_atl_to_the_load() -> None:
    ctl, atl, tsb = pmc(np.full(200, 55.0))
    assert ctl[-1] == pytest.approx(55.0) and atl[-1] == pytest.approx(55.0)
    assert tsb[-1] == pytest.approx(0.0)


def test_T_MONO_monotony_1_13_with_population_sd_and_strain_about_434() -> None:
    mono, strain = monotony_strain(np.array([60.0, 0, 45, 90, 0, 40, 150]))
    assert mono == pytest.approx(1.13, abs=0.005)
    assert strain == pytest.approx(434, abs=1)


def test_T_MONO_seven_near_identical_days_flag_far_above_2() -> None:
    mono, _ = monotony_strain(np.array([10.0, 10.2, 9.9, 10.1, 10.0, 9.8, 10.1]))
    assert mono is not None and mono > 2.0


def test_T_ITRA_65_km_3500_m_is_100_km_effort_category_m_3_points() -> None:
    assert km_effort(65, 3500) == 100
    assert itra_category(100) == ("M", 3)


def test_T_MIN_ten_km_up_and_down_10_percent_is_11_3_flat_km_against_15_km_effort() -> None:
    assert flat_equivalent_km([5, 5], [0.10, -0.10]) == pytest.approx(11.3, abs=0.05)
    assert km_effort(10, 500) == 15.0
    assert flat_equivalent_km([2.5, 2.5], [0.20, -0.20]) == pytest.approx(7.5, abs=0.05)
    assert float(minetti_cr(-0.10) / minetti_cr(0.0)) == pytest.approx(0.60, abs=0.01)


def _descents(history_m: float, big_m: float, *, baseline_days: int = 21) -> pd.DataFrame:
    start = PLAN_WEEK - timedelta(days=baseline_days + 1)
    rows = [
        activity(start + timedelta(days=i), Run(descent_load_m=history_m if i == 3 else 50.0))
        for i in range(0, baseline_days, 3)
    ]
    rows.append(activity(PLAN_WEEK - timedelta(days=1), Run(km=24, descent_load_m=big_m)))
    return frame(rows)


def test_T_DESC_1400_m_after_a_30_day_max_of_800_m_is_a_novel_descent() -> None:
    runs = build_load_model(_descents(800, 1400), as_of=PLAN_WEEK).runs
    last = runs.iloc[-1]
    assert last["prev30_max_descent_load_m"] == 800
    assert bool(last["novel_descent"]) and last["descent_load_m"] / 800 == pytest.approx(1.75)


def test_a_descent_30_percent_above_the_30_day_max_is_not_novel() -> None:
    runs = build_load_model(_descents(800, 1040), as_of=PLAN_WEEK).runs
    assert not runs["novel_descent"].any()


def test_a_big_descent_without_two_weeks_of_history_is_not_called_novel() -> None:
    runs = build_load_model(_descents(100, 1400, baseline_days=9), as_of=PLAN_WEEK).runs
    assert not runs["novel_descent"].any()


def test_S7_a_run_more_than_10_percent_longer_than_the_30_day_longest_is_a_spike() -> None:
    kms = {40: 20.0, 30: 22.0, 20: 25.0, 10: 27.0, 1: 30.0}  # days before the plan week → km
    rows = [activity(PLAN_WEEK - timedelta(days=d), Run(km=km)) for d, km in kms.items()]
    runs = build_load_model(frame(rows), as_of=PLAN_WEEK).runs
    # 22 has no 14-day baseline; 25 vs 22 is +13.6 %; 27 vs 25 is +8 %; 30 vs 27 is +11 %
    assert runs["spike"].tolist() == [False, False, True, False, True]


def test_daily_frame_has_every_calendar_day_with_zeros_on_rest_days() -> None:
    model = build_load_model(make_history(weeks=2), as_of=PLAN_WEEK)
    daily = model.daily
    assert len(daily) == (PLAN_WEEK - daily.index[0].date()).days
    assert (daily.index.to_series().diff().dropna() == pd.Timedelta(days=1)).all()
    assert daily.loc["2025-05-21", "load"] == 0.0  # a Wednesday, no run in the pattern


def test_rows_marked_duplicate_and_non_foot_sports_and_future_rows_are_ignored() -> None:
    df = make_history(weeks=1)
    dup = df.iloc[[0]].assign(duplicate_of=7)
    ride = frame([activity(PLAN_WEEK - timedelta(days=2), Run(km=80, sport="ride"))])
    future = frame([activity(PLAN_WEEK, Run(km=50))])
    combined = pd.concat([df.assign(duplicate_of=None), dup, ride, future], ignore_index=True)
    model = build_load_model(combined, as_of=PLAN_WEEK)
    assert model.daily["distance_km"].sum() == pytest.approx(df["distance_m"].sum() / 1000)


def test_daily_load_is_trimp_where_present_else_km_effort() -> None:
    day = PLAN_WEEK - timedelta(days=1)
    rows = [activity(day, Run(km=10, ascent_m=200)), activity(day, Run(km=5, ascent_m=0))]
    rows[1]["trimp"] = 70.0
    model = build_load_model(frame(rows), as_of=PLAN_WEEK)
    assert model.daily["load"].iloc[-1] == pytest.approx(12.0 + 70.0)
    assert model.daily["trimp_share"].iloc[-1] == pytest.approx(70 / 82)


def test_weekly_frame_buckets_by_the_athletes_week_start() -> None:
    model = build_load_model(make_history(weeks=3), as_of=PLAN_WEEK)
    monday = model.weekly("monday")
    assert [d.weekday() for d in monday.index] == [0, 0, 0]
    assert monday["long_run_km"].tolist() == [24.0, 24.0, 24.0]
    assert monday["runs"].tolist() == [4, 4, 4]
    sunday = model.weekly("sunday")
    assert all(d.weekday() == 6 for d in sunday.index)
    assert sunday["distance_km"].sum() == pytest.approx(monday["distance_km"].sum())


# Deviation (issue 11): the plan reads rolling 7:28 coupled on km-effort (T-ACWR 1.33), not EWMA
# (1.20); CTL/ATL run on the 7-day rolling mean, seeded with the first 28 days' mean.
def test_snapshot_reports_rolling_coupled_acwr_and_the_smoothed_pmc_from_the_day_before() -> None:
    model = build_load_model(days_from(date(2025, 4, 28), T_ACWR), as_of=PLAN_WEEK)
    snap = snapshot(model)
    assert snap.acwr == snap.acwr_coupled == pytest.approx(1.333, abs=0.001)
    assert snap.acwr_uncoupled == pytest.approx(1.50)
    assert snap.ctl is not None and snap.tsb is not None and snap.tsb < 0 < snap.ctl
    assert ACWR_METHOD.startswith("rolling 7:28 coupled on km-effort")


def test_snapshot_has_no_acwr_before_14_days_of_history() -> None:
    model = build_load_model(days_from(date(2025, 5, 20), [10.0] * 13), as_of=PLAN_WEEK)
    assert snapshot(model).acwr is None and snapshot(model).too_little_data


def test_an_empty_history_builds_an_empty_model() -> None:
    model = build_load_model(frame([]), as_of=PLAN_WEEK)
    assert model.daily.empty and model.first_day is None
    assert snapshot(model).acwr is None


def test_T_MONO_seven_identical_days_report_the_finite_monotony_cap() -> None:
    days = [date(2025, 5, 1) + timedelta(days=i) for i in range(35)]
    df = frame(activity(d) for d in days)
    snap = snapshot(build_load_model(df, as_of=days[-1] + timedelta(days=1)))
    assert snap.monotony == MONOTONY_CAP == 10.0
    assert snap.strain is not None and snap.strain > 0
