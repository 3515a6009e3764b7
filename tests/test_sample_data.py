"""The generated athlete in sample_data/: reproducible byte for byte, readable by every parser we
use, and shaped the way the planner's tests expect (12 weeks, 4-6 runs a week, one duplicate)."""

from __future__ import annotations

import json
import subprocess
import sys
from collections import Counter
from datetime import UTC, datetime
from pathlib import Path

import gpxpy
import pytest
from fitparse import FitFile
from garmin_fit_sdk import Decoder, Stream

SAMPLE_DATA = Path(__file__).resolve().parent.parent / "sample_data"
ATHLETE = SAMPLE_DATA / "athlete"
GENERATED = ["manifest.json", "profile.json", "strength_log.json", "checkins.json"]


def manifest() -> list[dict]:
    return json.loads((SAMPLE_DATA / "manifest.json").read_text())["activities"]


def by_file() -> dict[str, dict]:
    return {row["file"]: row for row in manifest()}


@pytest.fixture(scope="module")
def regenerated(tmp_path_factory: pytest.TempPathFactory) -> Path:
    out = tmp_path_factory.mktemp("sample")
    script = SAMPLE_DATA / "generate.py"
    subprocess.run([sys.executable, str(script), "--out", str(out)], check=True, timeout=120)
    return out


@pytest.mark.slow
def test_the_generator_rewrites_the_committed_files_byte_for_byte(regenerated: Path) -> None:
    committed = sorted(p.name for p in ATHLETE.iterdir())
    assert sorted(p.name for p in (regenerated / "athlete").iterdir()) == committed
    for name in committed:
        assert (regenerated / "athlete" / name).read_bytes() == (ATHLETE / name).read_bytes(), name
    for name in GENERATED:
        assert (regenerated / name).read_bytes() == (SAMPLE_DATA / name).read_bytes(), name


def test_the_manifest_lists_exactly_the_files_on_disk() -> None:
    assert set(by_file()) == {p.name for p in ATHLETE.iterdir()}


@pytest.mark.slow
@pytest.mark.parametrize("name", sorted(p.name for p in ATHLETE.glob("*.fit")))
def test_every_fit_file_decodes_alike_with_the_garmin_sdk_and_fitparse(name: str) -> None:
    row = by_file()[name]
    messages, errors = Decoder(Stream.from_file(str(ATHLETE / name))).read()
    assert errors == []
    records = messages["record_mesgs"]
    fit = FitFile(str(ATHLETE / name))
    fit.parse()
    assert len(list(fit.get_messages("record"))) == len(records) == row["points"]
    session = messages["session_mesgs"][0]
    assert session["total_distance"] == pytest.approx(row["distance_m"], abs=0.01)
    assert session["total_elapsed_time"] == row["elapsed_s"]
    assert messages["activity_mesgs"][0]["local_timestamp"] is not None
    if row["kind"] == "treadmill":
        assert session["sub_sport"] == "treadmill"
        assert all("position_lat" not in r and "enhanced_altitude" not in r for r in records)
    else:
        assert all(r["enhanced_altitude"] is not None for r in records)
        assert session["total_descent"] == row["device_descent_m"]


@pytest.mark.parametrize("name", sorted(p.name for p in ATHLETE.glob("*.gpx")))
def test_every_gpx_file_parses_with_gpxpy_and_carries_heart_rate(name: str) -> None:
    gpx = gpxpy.parse((ATHLETE / name).read_text(encoding="utf-8"))
    points = gpx.tracks[0].segments[0].points
    assert len(points) > 500
    assert all(p.elevation is not None and p.time is not None for p in points)
    hr = points[len(points) // 2].extensions[0][0]
    assert hr.tag.endswith("}hr") and 80 < int(hr.text) < 190


def test_roughly_a_third_of_the_files_are_gpx() -> None:
    formats = Counter(row["format"] for row in manifest())
    assert 0.25 < formats["gpx"] / sum(formats.values()) < 0.4


def test_twelve_weeks_each_hold_four_to_six_runs() -> None:
    runs = Counter(
        r["week"] for r in manifest() if r["sport"] == "running" and r["duplicate_of"] is None
    )
    assert sorted(runs) == list(range(1, 13))
    assert all(4 <= n <= 6 for n in runs.values()), runs


def test_the_long_run_moves_to_sunday_once_in_week_5_and_for_good_from_week_9() -> None:
    longs = {r["week"]: r["weekday"] for r in manifest() if r["kind"] == "long"}
    assert {w for w, day in longs.items() if day == "sunday"} == {5, 9, 10, 11, 12}
    assert len(longs) == 12


def test_the_quality_session_moves_from_tuesday_to_thursday_from_week_9() -> None:
    sessions = {"intervals", "hills", "treadmill"}
    days = {r["week"]: r["weekday"] for r in manifest() if r["kind"] in sessions}
    assert [days[w] for w in range(9, 13)] == ["thursday"] * 4
    assert [w for w in range(1, 9) if days[w] == "tuesday"] == [1, 2, 4, 5, 6, 8]


def test_one_long_run_descends_about_twice_as_far_as_anything_before_it() -> None:
    rows = [r for r in manifest() if r["duplicate_of"] is None and "true_descent_m" in r]
    biggest = max(rows, key=lambda r: r["true_descent_m"])
    before = [r["true_descent_m"] for r in rows if r["date"] < biggest["date"]]
    assert biggest["date"] == "2026-10-31"
    assert biggest["true_descent_m"] > 1.8 * max(before)


def test_the_fit_file_and_its_connect_export_describe_the_same_run() -> None:
    pairs = [r for r in manifest() if r["duplicate_of"]]
    assert len(pairs) == 1
    gpx_row, fit_row = pairs[0], by_file()[pairs[0]["duplicate_of"]]
    gpx = gpxpy.parse((ATHLETE / gpx_row["file"]).read_text(encoding="utf-8"))
    fit_start = datetime.fromtimestamp(fit_row["start_utc"], UTC)
    assert 0 < (gpx.get_time_bounds().start_time - fit_start).total_seconds() < 15
    assert gpx.length_2d() == pytest.approx(fit_row["distance_m"], rel=0.03)


def test_two_weeks_of_checkins_average_under_seven_hours_of_sleep() -> None:
    entries = json.loads((SAMPLE_DATA / "checkins.json").read_text())["entries"]
    weeks: dict[int, list[float]] = {}
    for e in entries:
        week = (datetime.fromisoformat(e["date"]) - datetime(2026, 9, 7)).days // 7 + 1
        weeks.setdefault(week, []).append(e["sleep_hours"])
    short = {w for w, hours in weeks.items() if sum(hours) / len(hours) < 7}
    assert short == {6, 10}


def test_the_committed_sample_stays_under_fifteen_megabytes() -> None:
    assert sum(p.stat().st_size for p in SAMPLE_DATA.rglob("*") if p.is_file()) < 15e6


def test_the_readme_table_matches_the_manifest() -> None:
    script = SAMPLE_DATA / "summary.py"
    table = subprocess.run(
        [sys.executable, str(script)], check=True, capture_output=True, text=True
    )
    readme = (SAMPLE_DATA / "README.md").read_text(encoding="utf-8").replace("**", "")
    for row in table.stdout.splitlines()[2:]:
        assert row.rsplit("|", 2)[0] in readme, row
