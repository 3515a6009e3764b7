from __future__ import annotations

from datetime import UTC, date, datetime

import pytest

from ingest.measure.localtime import local_date, resolve_offset, round_to_quarter_hour
from ingest.measure.metrics import summarize
from ingest.measure.summary import MetricsProfile
from tests.factories import make_track

MONDAY_3_UTC = datetime(2026, 3, 2, 3, 0, tzinfo=UTC)  # Sunday 1 March, 20:00 at UTC-7
BOULDER = (40.01, -105.27)  # America/Denver, UTC-7 in winter


@pytest.mark.parametrize(
    ("stated", "used"), [(225, 0), (7320, 7200), (-25200, -25200), (19800, 19800)]
)
def test_file_offsets_are_rounded_to_the_nearest_quarter_hour(stated: int, used: int) -> None:
    assert round_to_quarter_hour(stated) == used


def test_a_sunday_evening_run_in_utc_minus_7_falls_on_sunday() -> None:
    track = make_track(start=MONDAY_3_UTC, utc_offset_s=-25200, lat=None)
    summary = summarize(track, MetricsProfile(), "x")
    assert summary.utc_offset_s == -25200
    assert summary.local_date == date(2026, 3, 1)


def test_without_a_stated_offset_the_start_position_gives_the_zone() -> None:
    offset, note = resolve_offset(MONDAY_3_UTC, None, BOULDER, "UTC")
    assert offset == -25200 and "America/Denver" in note
    assert local_date(MONDAY_3_UTC, offset) == date(2026, 3, 1)


def test_a_stated_zero_gives_way_to_the_position_as_coros_writes_zero_everywhere() -> None:
    offset, note = resolve_offset(MONDAY_3_UTC, 0, BOULDER, "UTC")
    assert offset == -25200 and "says otherwise" in note
    london = (51.5, -0.12)
    assert resolve_offset(MONDAY_3_UTC, 0, london, "Asia/Tokyo")[0] == 0


def test_a_nonzero_stated_offset_wins_over_the_position() -> None:
    assert resolve_offset(MONDAY_3_UTC, 3600, BOULDER, "UTC")[0] == 3600


def test_without_offset_or_position_the_athletes_zone_is_used() -> None:
    offset, note = resolve_offset(MONDAY_3_UTC, None, None, "America/Los_Angeles")
    assert offset == -28800 and "athlete" in note
    summary = summarize(
        make_track(start=MONDAY_3_UTC, lat=None), MetricsProfile(timezone="America/Denver"), "x"
    )
    assert summary.local_date == date(2026, 3, 1)
