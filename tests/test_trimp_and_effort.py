from __future__ import annotations

import pandas as pd
import pytest

from ingest.measure.load import banister_trimp, km_effort, trimp
from ingest.measure.metrics import summarize
from ingest.measure.summary import MetricsProfile
from tests.factories import make_track


def test_itra_65_km_with_3500_m_of_ascent_is_100_km_effort() -> None:
    assert km_effort(65_000, 3500) == pytest.approx(100.0)


@pytest.mark.parametrize(("sex", "expected"), [("male", 118), ("female", 132)])
def test_an_hour_at_155_bpm_matches_the_rules_trimp_vector(sex: str, expected: float) -> None:
    assert banister_trimp(60, 155, 55, 190, sex) == pytest.approx(expected, abs=1)  # type: ignore[arg-type]


@pytest.mark.parametrize(("sex", "expected"), [("male", 118), ("female", 132), (None, 125)])
def test_trimp_summed_per_sample_over_an_hour_matches_the_session_formula(
    sex: str | None, expected: float
) -> None:
    track = make_track(km=10.8, speed_mps=3.0, hr=155)  # 3600 s of samples
    result = trimp(track.frame["time"], track.frame["heart_rate"], 55, 190, sex)  # type: ignore[arg-type]
    assert result == pytest.approx(expected, abs=1)


def test_a_paused_hour_adds_no_trimp() -> None:
    frame = make_track(km=10.8, speed_mps=3.0, hr=155).frame.copy()
    late = frame.index >= 1800
    frame.loc[late, "time"] = frame.loc[late, "time"] + pd.Timedelta(hours=1)
    result = trimp(frame["time"], frame["heart_rate"], 55, 190, "male")
    assert result == pytest.approx(118, abs=1)


def test_trimp_needs_heart_rate_and_the_athletes_hr_figures() -> None:
    with_hr = make_track(km=5, hr=150)
    without_hr = make_track(km=5)
    assert summarize(with_hr, MetricsProfile(), "x").trimp is None
    assert summarize(without_hr, MetricsProfile(hr_rest=50, hr_max=190), "x").trimp is None
    summary = summarize(with_hr, MetricsProfile(sex="male", hr_rest=50, hr_max=190), "x")
    assert summary.trimp is not None and summary.trimp > 0
    assert summary.avg_hr == 150 and summary.max_hr == 150


def test_the_summary_km_effort_counts_the_reported_ascent() -> None:
    track = make_track(km=20, climb=1000, descent=1000)
    summary = summarize(track, MetricsProfile(), "x")
    assert summary.km_effort == pytest.approx(20 + summary.ascent_m / 100)
    assert summary.km_effort == pytest.approx(30, abs=0.3)
