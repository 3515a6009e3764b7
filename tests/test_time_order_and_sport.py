"""Time order and sport: points are in time order before any metric, timestamps that repeat or step
back do not shorten the moving time, and the sport is judged on the moving speed; a mountain run
is not a ride."""

from __future__ import annotations

import gzip

import numpy as np
import pytest

from ingest.decode.decoder import decode
from ingest.measure.sport import classify
from ingest.measure.summary import MetricsProfile
from ingest.pipeline import parse_activity
from tests.export_factories import sports_tracker_gpx, tcx_document, tcx_lap, tcx_point


def test_a_sports_tracker_mountain_run_is_a_trail_run_with_all_its_moving_time() -> None:
    summary = parse_activity(sports_tracker_gpx(), "mountain.gpx", MetricsProfile()).summary
    assert summary.sport == "trail_run"
    assert summary.distance_m == pytest.approx(12_300, rel=0.02)
    assert summary.ascent_m == pytest.approx(525, rel=0.08)  # the <ele>0</ele> dropouts are not
    assert summary.moving_s >= 0.95 * summary.duration_s  # it never stopped
    assert summary.duration_s == pytest.approx(6582, rel=0.02)


def test_repeated_and_backwards_timestamps_do_not_shorten_the_moving_time() -> None:
    messy = decode(sports_tracker_gpx(), "messy.gpx")
    assert messy.frame["time"].is_monotonic_increasing and messy.frame["time"].is_unique
    assert any("repeat or step back" in note for note in messy.notes)
    summary = parse_activity(sports_tracker_gpx(), "messy.gpx", MetricsProfile()).summary
    clean_moving = 6581  # one fix a second, all of it moving
    assert summary.moving_s == pytest.approx(clean_moving, rel=0.03)


def test_trackpoints_written_out_of_order_are_measured_in_time_order() -> None:
    order = list(range(120))
    order[40:80] = order[40:80][::-1]  # a block written backwards
    points = [tcx_point(s, lat=46 + s / 1e4, ele=500 + s / 10, hr=140) for s in order]
    track = decode(tcx_document([tcx_lap(points, seconds=119, metres=1300)]), "shuffled.tcx")
    frame = track.frame
    assert frame["time"].is_monotonic_increasing and frame["time"].is_unique
    assert np.all(np.diff(frame["lat"].to_numpy()) > 0)  # the path walked in order
    assert frame["distance_m"].iloc[-1] == pytest.approx(119 * 11.12, rel=0.01)


def test_gpx_points_written_out_of_order_are_measured_in_time_order() -> None:
    order = list(range(120))
    order[40:80] = order[40:80][::-1]
    points = "".join(
        f'<trkpt lat="{46 + s / 1e4}" lon="7.0"><time>2024-05-04T10:{s // 60:02d}:{s % 60:02d}Z'
        "</time></trkpt>"
        for s in order
    )
    doc = f'<gpx version="1.1"><trk><trkseg>{points}</trkseg></trk></gpx>'.encode()
    frame = decode(doc, "shuffled.gpx").frame
    assert frame["time"].is_monotonic_increasing and np.all(np.diff(frame["lat"]) > 0)
    assert frame["distance_m"].iloc[-1] == pytest.approx(119 * 11.12, rel=0.01)


def test_a_climb_of_150_m_per_10_km_at_running_speed_is_not_a_ride() -> None:
    def judged(climb_m: float, minutes: float) -> str:
        return classify(
            None, None, distance_m=10_000, ascent_m=climb_m, moving_s=minutes * 60,
            has_positions=True,
        )  # fmt: skip

    assert judged(160, 32) == "run"  # 5.2 m/s with 16 m/km of climb: a fast mountain run
    assert judged(100, 32) == "ride"  # the same speed on the flat: a ride
    assert judged(160, 28) == "ride"  # 6 m/s up 16 m/km: nobody runs that


def test_the_sport_is_judged_on_the_speed_while_moving() -> None:
    # 10 km in the file, 4 km of it GPS drift while stopped: 6 km in 30 moving minutes is a run
    kwargs = {"ascent_m": 50.0, "moving_s": 1800.0, "has_positions": True}
    assert classify(None, None, distance_m=10_000, moving_m=6_000, **kwargs) == "run"


def test_a_gzipped_sports_tracker_export_reads_the_same() -> None:
    plain = parse_activity(sports_tracker_gpx(), "a.gpx", MetricsProfile()).summary
    packed = parse_activity(gzip.compress(sports_tracker_gpx()), "a.gpx.gz", MetricsProfile())
    assert packed.summary.moving_s == plain.moving_s and packed.summary.sport == plain.sport
