from __future__ import annotations

import numpy as np
import pytest

from ingest.measure.elevation import choose_mode, hysteresis_totals, recompute, sample_noise_m
from tests.factories import make_track


@pytest.mark.parametrize("seed", [1, 2, 3, 4, 5])
@pytest.mark.parametrize("noise_sd", [2.0, 3.0, 5.0])
@pytest.mark.parametrize("barometric", [False, None])
def test_a_flat_track_with_gps_noise_reports_under_five_metres_of_climb_per_km(
    seed: int, noise_sd: float, barometric: bool | None
) -> None:
    track = make_track(km=10, climb=0, noise_sd=noise_sd, seed=seed, barometric=barometric)
    profile = recompute(track.frame, track.device.barometric)
    assert profile is not None
    assert profile.mode == "gps"
    assert profile.ascent_m / 10 < 5
    assert profile.descent_m / 10 < 5


def test_a_noisy_track_read_as_barometric_still_raises_its_threshold_with_the_noise() -> None:
    track = make_track(km=10, climb=0, noise_sd=3.0, seed=7, barometric=True)
    profile = recompute(track.frame, True)
    assert profile is not None
    assert profile.threshold_m > 1.0
    assert profile.ascent_m / 10 < 5


@pytest.mark.parametrize("barometric", [True, False])
def test_a_clean_climb_and_descent_are_recovered_within_two_percent(barometric: bool) -> None:
    track = make_track(km=12, climb=600, descent=450, barometric=barometric)
    profile = recompute(track.frame, barometric)
    assert profile is not None
    assert profile.ascent_m == pytest.approx(600, rel=0.02)
    assert profile.descent_m == pytest.approx(450, rel=0.02)


def test_a_climb_with_gps_noise_is_recovered_within_five_percent() -> None:
    track = make_track(km=12, climb=600, noise_sd=2.0, seed=3, barometric=False)
    profile = recompute(track.frame, False)
    assert profile is not None
    assert profile.ascent_m == pytest.approx(600, rel=0.05)


def test_a_three_sample_altitude_spike_adds_no_climb() -> None:
    track = make_track(km=5, climb=0, barometric=True)
    frame = track.frame.copy()
    frame.loc[1:3, "altitude_m"] = 587.0
    profile = recompute(frame, True)
    assert profile is not None
    assert profile.ascent_m < 1 and profile.descent_m < 1


def test_a_track_without_altitude_has_no_profile() -> None:
    track = make_track(km=5, altitude=False)
    assert recompute(track.frame, True) is None


def test_hysteresis_ignores_wiggles_smaller_than_the_threshold() -> None:
    wiggle = np.array([0, 0.5, 0, 0.5, 0, 3, 2.5, 3, 6])
    assert hysteresis_totals(wiggle, 1.0) == (6.0, 0.0)
    assert hysteresis_totals(np.array([10.0, 4.0, 7.0]), 1.0) == (3.0, 6.0)


def test_unknown_devices_are_judged_by_how_noisy_their_samples_are() -> None:
    quiet = make_track(km=5, climb=100).frame["altitude_m"].to_numpy()
    noisy = make_track(km=5, climb=100, noise_sd=2.0).frame["altitude_m"].to_numpy()
    assert choose_mode(None, sample_noise_m(quiet)) == "barometric"
    assert choose_mode(None, sample_noise_m(noisy)) == "gps"
    assert sample_noise_m(noisy) == pytest.approx(2.0, rel=0.15)
    assert choose_mode(True, 5.0) == "barometric"
