from __future__ import annotations

import pytest

from ingest.measure.metrics import summarize
from ingest.measure.sport import classify, from_words
from ingest.measure.summary import MetricsProfile
from tests.factories import make_track


@pytest.mark.parametrize(
    ("sport", "sub_sport", "expected"),
    [
        ("running", "trail", "trail_run"),
        ("running", "treadmill", "treadmill"),
        ("running", "indoor_running", "treadmill"),
        ("hiking", None, "hike"),
        ("walking", "generic", "walk"),
        ("cycling", "road", "ride"),
        ("trail running", None, "trail_run"),
        ("swimming", "open_water", "other"),
        ("stand_up_paddleboarding", "generic", "other"),
        ("1", None, "ride"),
        ("running", "generic", None),
        ("9", None, None),
        (None, None, None),
    ],
)
def test_the_files_own_words_decide_when_they_are_specific(
    sport: str | None, sub_sport: str | None, expected: str | None
) -> None:
    assert from_words(sport, sub_sport) == expected


def _class(sport: str | None, km: float, climb: float, minutes: float, gps: bool = True) -> str:
    return classify(
        sport, None, distance_m=km * 1000, ascent_m=climb, moving_s=minutes * 60, has_positions=gps
    )


def test_a_running_file_with_more_than_20_m_of_climb_per_km_is_a_trail_run() -> None:
    assert _class("running", 10, 250, 60) == "trail_run"
    assert _class("running", 10, 150, 60) == "run"


def test_a_running_file_without_positions_and_flat_is_a_treadmill_run() -> None:
    assert _class("running", 10, 0, 50, gps=False) == "treadmill"


def test_a_file_without_a_sport_is_judged_by_speed_and_climb() -> None:
    assert _class(None, 6, 400, 90) == "hike"
    assert _class(None, 6, 50, 70) == "walk"
    assert _class(None, 40, 300, 80) == "ride"
    assert _class(None, 10, 50, 50) == "run"


def test_a_steep_slow_running_file_stays_a_run_not_a_hike() -> None:
    assert _class("running", 6, 900, 90) == "trail_run"


def test_the_summary_names_a_hilly_running_track_a_trail_run() -> None:
    summary = summarize(make_track(km=10, climb=400), MetricsProfile(), "x")
    assert summary.sport == "trail_run"
    treadmill = make_track(km=10, lat=None, altitude=False, barometric=False)
    summary = summarize(treadmill, MetricsProfile(), "x")
    assert summary.sport == "treadmill"
    assert summary.ascent_m == 0 and summary.elevation_source == "recomputed"
    assert "no altitude" in summary.elevation_note
