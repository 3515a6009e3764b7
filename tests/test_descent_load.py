from __future__ import annotations

import numpy as np
import pytest

from ingest.decode.track import DeviceTotals
from ingest.measure.descent import descent_load, grade_bin, scaled, segment_descent
from ingest.measure.metrics import summarize
from ingest.measure.summary import GRADE_BINS, MetricsProfile
from tests.factories import make_track, profile_frame


def test_grade_boundaries_follow_the_rules_sheet() -> None:
    assert [grade_bin(g) for g in (0, 4.9, 5, 10, 10.1, 20, 20.1)] == [
        "0-5", "0-5", "5-10", "5-10", "10-20", "10-20", "20+",
    ]  # fmt: skip


def test_descent_goes_to_the_bin_of_its_grade() -> None:
    # 1 km flat, 1 km at -8 %, 1 km at -15 %, 500 m at -30 %
    d = [0, 1000, 2000, 3000, 3500]
    h = [1000, 1000, 920, 770, 620]
    bins = segment_descent(np.array(d, dtype=float), np.array(h, dtype=float))
    assert bins == pytest.approx({"0-5": 0, "5-10": 80, "10-20": 150, "20+": 150}, abs=1e-6)


def test_descent_load_weighs_half_from_5_to_10_percent_and_fully_below() -> None:
    bins = {"0-5": 100.0, "5-10": 80.0, "10-20": 150.0, "20+": 150.0}
    assert descent_load(bins) == pytest.approx(0.5 * 80 + 150 + 150)


def test_scaled_bins_add_up_to_the_total_and_keep_their_shares() -> None:
    bins = scaled({"0-5": 10.0, "5-10": 30.0, "10-20": 0.0, "20+": 60.0}, 200.0)
    assert sum(bins.values()) == pytest.approx(200)
    assert bins["20+"] == pytest.approx(120)
    assert scaled({k: 0.0 for k in GRADE_BINS}, 50) == dict.fromkeys(GRADE_BINS, 0.0)


def test_the_summary_bins_add_up_to_the_recomputed_descent_not_the_device_total() -> None:
    track = make_track(km=3, totals=DeviceTotals(ascent_m=100, descent_m=200))
    track.frame = profile_frame([0, 1000, 2000, 3000], [1000, 1100, 1020, 870])
    summary = summarize(track, MetricsProfile(), "x")
    assert summary.descent_m == 200 and summary.elevation_source == "device"
    assert sum(summary.descent_by_grade_m.values()) == pytest.approx(summary.descent_recomputed_m)
    assert summary.descent_recomputed_m == pytest.approx(230, rel=0.03)
    assert summary.descent_load_m == pytest.approx(0.5 * 80 + 150, rel=0.1)


def test_a_device_total_far_below_the_profile_is_reported_as_a_fault() -> None:
    track = make_track(km=3, totals=DeviceTotals(ascent_m=100, descent_m=3))
    track.frame = profile_frame([0, 1000, 2000, 3000], [1000, 1100, 1020, 870])
    summary = summarize(track, MetricsProfile(), "x")
    assert summary.elevation_source == "recomputed"
    assert summary.descent_m == pytest.approx(summary.descent_recomputed_m)
    assert summary.descent_device_m == 3
    assert "implausibly small" in summary.elevation_note


def test_a_flat_noisy_run_has_almost_no_descent_load() -> None:
    track = make_track(km=10, noise_sd=2.0, seed=4, barometric=False)
    summary = summarize(track, MetricsProfile(), "x")
    assert summary.descent_load_m < 20


def test_a_track_without_distance_or_positions_has_empty_bins_and_says_why() -> None:
    track = make_track(km=3, climb=100, lat=None)
    frame = track.frame.copy()
    frame["distance_m"] = np.nan
    track.frame = frame
    summary = summarize(track, MetricsProfile(), "x")
    assert summary.descent_by_grade_m == dict.fromkeys(GRADE_BINS, 0.0)
    assert "no distance: descent not binned by grade" in summary.notes
