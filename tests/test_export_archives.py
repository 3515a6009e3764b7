"""One archive path for every entry point: a Strava bulk export and a Garmin Connect account export
(built from corpus files) give the same activities through ``legday ingest``, a ``.zip`` upload
and ``legday sync``, and each accounts for every member of the export."""

from __future__ import annotations

import io
import zipfile
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from rich.console import Console

from api.cli.main import main
from ingest.store import Store
from ingest.store.ledger import SyncStore
from ingest.sync.job import run_sync
from tests.api_support import api_client, new_athlete, settings_for
from tests.export_factories import (
    STRAVA_MEMBERS,
    garmin_export_zip,
    member_count,
    strava_export_zip,
)

EXPORTS: dict[str, Callable[[Path], bytes]] = {
    "strava": strava_export_zip,
    "garmin": garmin_export_zip,
}


def _activities(store: Store, athlete_id: int) -> set[tuple[Any, ...]]:
    return {
        (a.file_name, a.sha256, a.format, a.sport, a.summary.get("name"), round(a.distance_m),
         round(a.ascent_m), a.local_date.isoformat(), a.duplicate_of is None)
        for a in store.list_activities(athlete_id)
    }  # fmt: skip


def _through_all_three(tmp_path: Path, export: bytes) -> dict[str, Any]:
    """The export into one store three ways, one athlete each; what each way reported."""
    settings = settings_for(tmp_path / "data")
    zip_path = tmp_path / "in" / "export.zip"
    zip_path.parent.mkdir()
    zip_path.write_bytes(export)
    with api_client(settings) as client:
        ids = {way: new_athlete(client, way)[0] for way in ("ingest", "sync")}
        ids["upload"], headers = new_athlete(client, "upload")
        answer = client.post(
            "/v1/activities", files={"file": ("export.zip", export)}, headers=headers
        )
    out = io.StringIO()
    code = main(
        ["ingest", str(zip_path), "--athlete", "ingest", "--workers", "0"],
        settings=settings,
        console=Console(file=out, width=300, color_system=None),
    )
    store = Store(settings.database_url, settings.data_dir)
    report = run_sync(store, zip_path.parent, ids["sync"], settle_s=0)
    ledger = {
        path: row
        for folder in SyncStore(store).folders(ids["sync"])
        for path, row in SyncStore(store).ledger(folder.id).items()
        if "!" in path
    }
    found = {way: _activities(store, athlete) for way, athlete in ids.items()}
    store.dispose()
    return {"answer": answer, "cli": (code, out.getvalue()), "run": (report, ledger), **found}


@pytest.mark.corpus
@pytest.mark.parametrize("kind", sorted(EXPORTS))
def test_legday_ingest_a_zip_upload_and_legday_sync_give_identical_activities(
    corpus: Path, tmp_path: Path, kind: str
) -> None:
    export = EXPORTS[kind](corpus)
    result = _through_all_three(tmp_path, export)
    assert result["ingest"] == result["upload"] == result["sync"]
    assert len(result["ingest"]) >= 3


@pytest.mark.corpus
@pytest.mark.parametrize("kind", sorted(EXPORTS))
def test_every_member_of_the_export_is_accounted_for_by_each_way(
    corpus: Path, tmp_path: Path, kind: str
) -> None:
    export = EXPORTS[kind](corpus)
    members = member_count(export)
    result = _through_all_three(tmp_path, export)

    answer = result["answer"]
    assert answer.status_code == 200, answer.text
    files = answer.json()["files"]
    assert len(files) == members
    assert all(f["status"] in ("ingested", "duplicate", "failed", "skipped") for f in files)
    assert all(f["reason"] for f in files if f["status"] in ("failed", "skipped"))

    code, out = result["cli"]
    assert code == 1  # each export holds one broken file: it is a failure, named
    assert sum(line.count("export.zip!") for line in out.splitlines()) == members

    report, ledger = result["run"]
    assert len(ledger) == members
    assert report.ingested + report.duplicate + report.failed + report.skipped == members

    by_name = {f["name"]: f for f in files}
    if kind == "strava":
        assert by_name["activities.csv"]["status"] == "skipped"
        assert "not well-formed" in by_name["activities/1008.gpx"]["reason"]
        assert by_name["media/1001-photo.jpg"]["status"] == "skipped"
        pair = [a for a in result["upload"] if a[0] in ("1006.gpx.gz", "1007.tcx")]
        primary = [a[0] for a in pair if a[-1]]
        assert primary == ["1007.tcx"]  # one run, two files: the TCX keeps the device's distance
    else:
        nested = "DI_CONNECT/DI-Connect-Uploaded-Files/UploadedFiles_0-_Part1.zip!"
        assert by_name[f"{nested}sam@example.com_100.fit"]["status"] == "ingested"
        assert by_name[f"{nested}sam@example.com_999.fit"]["status"] == "failed"
        deeper = by_name[f"{nested}deeper/old-part.zip"]
        assert deeper["status"] == "failed" and "one level of nesting" in deeper["reason"]
        assert all(f["status"] == "skipped" for n, f in by_name.items() if n.endswith(".json"))


@pytest.mark.corpus
def test_the_strava_index_names_and_types_every_activity_whichever_the_way(
    corpus: Path, tmp_path: Path
) -> None:
    result = _through_all_three(tmp_path, strava_export_zip(corpus))
    names = {row[4] for row in result["ingest"]}
    assert {"Chartreuse loop", "Vertical K", "Feldberg"} <= names
    by_file = {row[0]: row for row in result["ingest"]}
    assert by_file["1002.gpx"][3] == "trail_run"  # "Run" in the export; 30 m/km of climb says more
    assert by_file["1005.fit"][3] == "hike"
    assert len(by_file) == len(STRAVA_MEMBERS)


def test_legday_ingest_of_an_unpacked_strava_export_uses_its_index_and_fails_nothing(
    tmp_path: Path,
) -> None:
    from tests.sync_fixtures import strava_export

    export = strava_export(tmp_path / "export")
    settings = settings_for(tmp_path / "data")
    with api_client(settings) as client:
        new_athlete(client, "ana")
    out = io.StringIO()
    code = main(
        ["ingest", str(export), "--athlete", "ana", "--workers", "0"],
        settings=settings,
        console=Console(file=out, width=300, color_system=None),
    )
    assert code == 0, out.getvalue()
    lines = out.getvalue().splitlines()
    index = next(line for line in lines if "activities.csv" in line)
    assert "skipped" in index and "Strava export index" in index
    assert "skipped" in next(line for line in lines if "profile.csv" in line)
    store = Store(settings.database_url, settings.data_dir)
    athlete = store.athlete_by_name("ana")
    assert athlete is not None
    by_file = {a.file_name: a for a in store.list_activities(athlete.id)}
    store.dispose()
    assert by_file["9001.fit.gz"].summary["name"] == "Track Tuesday"  # the FIT has no name
    assert by_file["9002.gpx.gz"].sport == "trail_run"  # the export says "Trail Run"


def test_a_member_name_past_the_readers_limit_fails_alone_whichever_the_way(
    tmp_path: Path,
) -> None:
    """Issue 14, finding 2, on the one archive path: a member named with 1,100 characters is a
    failed member with the reason through ``legday ingest``, a zip upload and ``legday sync``;
    the export's other member is ingested each way."""
    from ingest.sync.exports import MAX_MEMBER_PATH
    from tests.sync_fixtures import sample_files

    long_name = "activities/" + "a" * 1085 + ".fit"
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr("activities/ok.fit", sample_files(".fit")[0].read_bytes())
        archive.writestr(long_name, sample_files(".fit")[1].read_bytes())
    result = _through_all_three(tmp_path, buffer.getvalue())
    assert [a[0] for a in result["ingest"]] == [a[0] for a in result["upload"]] == ["ok.fit"]
    assert [a[0] for a in result["sync"]] == ["ok.fit"]
    reason = f"member name is 1100 characters long, more than the {MAX_MEMBER_PATH} read"
    (failed,) = [f for f in result["answer"].json()["files"] if f["status"] == "failed"]
    assert failed["reason"] == reason
    code, out = result["cli"]
    assert code == 1 and reason in out
    report, ledger = result["run"]
    assert (report.ingested, report.failed) == (1, 1) and report.failures[0][1] == reason
    assert sorted(row.status for row in ledger.values()) == ["failed", "ingested"]
