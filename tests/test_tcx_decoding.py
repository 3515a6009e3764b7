"""TCX: every real file read or refused with its reason, the laps' totals kept, the odd shapes
(whitespace before the declaration, no positions, no altitude, sparse trackpoints, laps only, a
course, several activities) handled, and the same hostile-input guard as GPX."""

from __future__ import annotations

import csv
import gzip
from pathlib import Path

import pytest

from ingest.decode.decoder import decode
from ingest.decode.sniff import sniff
from ingest.decode.tcx import decode_tcx
from ingest.decode.xml_guard import MAX_DEPTH, MAX_POINTS
from ingest.errors import IngestError
from ingest.measure.metrics import summarize
from ingest.measure.summary import MetricsProfile
from ingest.pipeline import parse_activity
from tests.conftest import CORPUS
from tests.export_factories import tcx_document, tcx_lap, tcx_point

TCX_FILES = sorted(p.name for p in (CORPUS / "tcx").glob("*.tcx")) if CORPUS.is_dir() else []
TRUTH = (
    {r["file"]: r for r in csv.DictReader((CORPUS / "tcx_truth.csv").read_text().splitlines())}
    if CORPUS.is_dir()
    else {}
)
REFUSED = {
    "gpsbabel__course.tcx": ("no_track", "TCX holds a course (a planned route), not a recorded"),
    "gc__activity_165850259_multi-session.tcx": (
        "unreadable",
        "TCX holds 4 separate activities (2011-11-29, 2011-12-01, 2011-12-04, 2011-12-07)",
    ),
}
# where the summary rightly differs from what the laps say, and why
SUMMARY_NOT_LAPS = {
    # lap 2 says 312 s but holds 593 s of trackpoints (to 2919 m): the recording, not the lap
    "slib__movescount.tcx": "trackpoints run past the laps' totals",
}
PAUSED = {"slib__polar.tcx", "slib__6791039036.tcx"}  # elapsed > timer: the watch was paused


def _outcome(name: str) -> object:
    try:
        return decode((CORPUS / "tcx" / name).read_bytes(), name)
    except IngestError as error:
        return error


@pytest.mark.corpus
def test_the_corpus_has_the_tcx_files_these_tests_expect(corpus: Path) -> None:
    assert len(TCX_FILES) >= 13
    assert {f"tcx/{n}" for n in TCX_FILES} == set(TRUTH)


@pytest.mark.corpus
@pytest.mark.parametrize("name", TCX_FILES)
def test_every_corpus_tcx_file_is_read_or_refused_with_its_named_reason(
    corpus: Path, name: str
) -> None:
    outcome = _outcome(name)
    if name in REFUSED:
        kind, reason = REFUSED[name]
        assert isinstance(outcome, IngestError), outcome
        assert outcome.kind == kind and reason in outcome.reason and name in str(outcome)
        return
    assert not isinstance(outcome, IngestError), outcome
    truth = TRUTH[f"tcx/{name}"]
    track = outcome
    assert track.format == "tcx"  # type: ignore[attr-defined]
    frame = track.frame  # type: ignore[attr-defined]
    assert frame["time"].is_monotonic_increasing and frame["time"].is_unique
    if truth["sport"]:
        assert track.sport == truth["sport"].lower()  # type: ignore[attr-defined]
    if truth["creator"]:
        assert track.device.product.startswith(truth["creator"].strip()[:12])  # type: ignore[attr-defined]
    if truth["trackpoints"]:
        # one row per instant: a lap boundary written twice is one sample
        assert int(truth["trackpoints"]) - 1 <= len(frame) <= int(truth["trackpoints"])
        with_hr = int(truth["with_hr"])
        assert frame["heart_rate"].notna().sum() == pytest.approx(with_hr, abs=1)


@pytest.mark.corpus
@pytest.mark.parametrize(
    "row", [r for r in TRUTH.values() if r["laps"] and int(r["laps"]) > 0], ids=lambda r: r["file"]
)
def test_lap_time_and_distance_match_the_truth_within_1_percent(corpus: Path, row: dict) -> None:
    name = row["file"].split("/", 1)[1]
    data = (corpus / row["file"]).read_bytes()
    lap_s, lap_m = float(row["lap_time_s"]), float(row["lap_distance_m"])
    track = decode(data, name)
    assert track.totals.timer_s == pytest.approx(lap_s, rel=0.01)
    assert track.totals.distance_m == pytest.approx(lap_m, rel=0.01)
    summary = parse_activity(data, name, MetricsProfile()).summary
    if name in SUMMARY_NOT_LAPS:
        assert summary.distance_m > lap_m * 1.01 and summary.duration_s > lap_s * 1.01
        return
    assert summary.distance_m == pytest.approx(lap_m, rel=0.01)
    if name in PAUSED:
        assert summary.duration_s > lap_s * 1.01 >= summary.moving_s
    else:
        assert summary.duration_s == pytest.approx(lap_s, rel=0.01)


@pytest.mark.corpus
def test_strava_whitespace_before_the_declaration_is_read(corpus: Path) -> None:
    data = (corpus / "tcx" / "slib__6281425038.tcx").read_bytes()
    assert data[:1].isspace()
    track = decode(data, "strava.tcx")
    assert track.sport == "running" and track.device.product == "Polar V800"
    assert len(track.frame) > 1000 and track.totals.distance_m == pytest.approx(4156.7, abs=1)


@pytest.mark.corpus
def test_a_foot_pod_run_without_positions_or_altitude_keeps_its_distance(corpus: Path) -> None:
    name = "sptr__Forerunner405-Running_CadenceSensor.tcx"
    track = decode((corpus / "tcx" / name).read_bytes(), name)
    assert track.frame["lat"].isna().all() and track.frame["altitude_m"].isna().all()
    assert track.frame["distance_m"].iloc[-1] == pytest.approx(5598.6, rel=0.01)
    assert track.frame["cadence"].notna().sum() > 200
    assert track.device.barometric is False  # no altitude at all


@pytest.mark.corpus
def test_a_run_with_positions_but_no_altitude_is_read(corpus: Path) -> None:
    track = decode((corpus / "tcx" / "gc__10kUNLP2014-Garmin15.tcx").read_bytes())
    assert track.frame["lat"].notna().all() and track.frame["altitude_m"].isna().all()
    assert track.device.label == "garmin Forerunner 15"


@pytest.mark.corpus
def test_sparse_trackpoints_are_measured_from_the_laps_totals(corpus: Path) -> None:
    data = (corpus / "tcx" / "gpsbabel__kona2013.tcx").read_bytes()
    summary = parse_activity(data, "kona.tcx", MetricsProfile()).summary
    assert summary.distance_m == pytest.approx(180_219.9, rel=0.001)
    assert summary.moving_s == pytest.approx(18_930.3, rel=0.001)
    assert summary.sport == "ride"
    assert any("device's totals" in note for note in summary.notes)


@pytest.mark.corpus
def test_the_tcx_of_a_run_joins_its_fit_and_gpx_as_one_activity(corpus: Path) -> None:
    from ingest.store.dedup import DedupKey, decide

    keys = []
    for n, path in enumerate(("fit", "gpx", "tcx"), start=1):
        name = f"slib__6782987395.{path}"
        parsed = parse_activity((corpus / path / name).read_bytes(), name, MetricsProfile())
        s = parsed.summary
        keys.append(
            DedupKey(n, s.start, s.duration_s, s.distance_m, s.format, s.samples, True, None)
        )
    fit, gpx, tcx = keys
    assert decide(tcx, [fit]).duplicate_of == 1
    assert decide(tcx, [gpx]).repoint == (2,)  # the TCX keeps the device's distance: richer


def test_a_gzipped_tcx_is_sniffed_by_content() -> None:
    doc = tcx_document([tcx_lap([tcx_point(i, lat=46 + i / 1e4) for i in range(60)])])
    assert sniff(gzip.compress(doc))[0] == "tcx"
    assert sniff(b"\n   " + doc)[0] == "tcx"
    summary = parse_activity(gzip.compress(doc), "run.tcx.gz", MetricsProfile()).summary
    assert summary.format == "tcx" and summary.samples == 60


def test_a_tcx_with_laps_and_no_trackpoints_becomes_an_activity_of_its_laps() -> None:
    laps = [tcx_lap([], start_s=0, seconds=600, metres=2000), tcx_lap([], start_s=600)]
    track = decode_tcx(tcx_document(laps))
    assert len(track.frame) == 3  # lap 1's end is lap 2's start
    summary = summarize(track, MetricsProfile(), "x")
    assert summary.distance_m == 4000 and summary.duration_s == 1200


def test_two_activities_back_to_back_are_one_multisport_activity() -> None:
    run = tcx_lap([tcx_point(i, lat=46 + i / 1e4) for i in range(30)])
    ride = tcx_lap([tcx_point(40 + i, lat=46.1 + i / 1e3) for i in range(30)], start_s=40)
    track = decode_tcx(tcx_document([run], [ride], sports=("Running", "Biking"), multisport=True))
    assert track.sport == "multisport" and len(track.frame) == 60
    assert "MultiSportSession" in track.notes[0]


def test_a_workout_file_is_refused_as_a_plan() -> None:
    doc = (
        b'<?xml version="1.0"?><TrainingCenterDatabase xmlns="http://www.garmin.com/xmlschemas/'
        b'TrainingCenterDatabase/v2"><Workouts><Workout Sport="Running"><Name>Intervals</Name>'
        b"</Workout></Workouts></TrainingCenterDatabase>"
    )
    with pytest.raises(IngestError, match=r"a workout \(a training plan\), not a recorded"):
        decode_tcx(doc)


def test_a_tcx_with_a_dtd_is_refused_before_parsing() -> None:
    doc = tcx_document([tcx_lap([tcx_point(i) for i in range(5)])])
    head, rest = doc.split(b"?>", 1)
    evil = head + b'?><!DOCTYPE x [<!ENTITY a "aaaa">]>' + rest
    with pytest.raises(IngestError, match="DTD"):
        decode(evil, "evil.tcx")


def test_a_tcx_past_the_point_cap_is_too_large() -> None:
    point = b"<Trackpoint><Time>2024-05-04T10:00:00Z</Time></Trackpoint>"
    doc = tcx_document([tcx_lap([])]).replace(b"</Lap>", point * (MAX_POINTS + 1) + b"</Lap>")
    with pytest.raises(IngestError, match=f"more than {MAX_POINTS} points") as error:
        decode(doc, "huge.tcx", max_bytes=len(doc) + 1)
    assert error.value.kind == "too_large"


def test_a_tcx_nested_past_the_depth_cap_is_refused() -> None:
    deep = b"<Extensions>" * (MAX_DEPTH + 1) + b"</Extensions>" * (MAX_DEPTH + 1)
    doc = tcx_document([tcx_lap([tcx_point(0), tcx_point(1)])]).replace(b"</Lap>", deep + b"</Lap>")
    with pytest.raises(IngestError, match=f"more than {MAX_DEPTH} deep"):
        decode(doc, "deep.tcx")


def test_malformed_tcx_is_refused_with_the_parsers_reason() -> None:
    doc = tcx_document([tcx_lap([tcx_point(0), tcx_point(1)])])[:-40]
    with pytest.raises(IngestError, match="TCX is not well-formed XML"):
        decode(doc, "cut.tcx")
