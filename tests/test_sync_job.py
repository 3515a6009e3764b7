"""The folder sync on a real folder, a real SQLite store and the real APScheduler (1 s interval,
1 s settle): what lands, what is refused and why, and what is never read twice."""

from __future__ import annotations

import gzip
import io
import shutil
import threading
import time
import zipfile
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest

from api.scheduler import SyncScheduler, job_id, misfire_grace_s
from api.sync_config import FolderJob, from_environment, parse_duration, parse_folders
from ingest.store import Store
from ingest.store.ledger import SyncStore
from ingest.sync.job import Limits, RunReport, run_sync, sync_status
from tests.sync_fixtures import copy_slowly, sample_files, strava_export, zip_folder

Status = dict[str, Any]


@pytest.fixture
def store(tmp_path: Path) -> Iterator[Store]:
    s = Store(None, tmp_path / "data")
    s.upgrade()
    yield s
    s.dispose()


@pytest.fixture
def athlete(store: Store) -> int:
    return store.create_athlete("ana")[0].id


@pytest.fixture
def folder(tmp_path: Path) -> Path:
    path = tmp_path / "watch"
    path.mkdir()
    return path


def counts(store: Store, athlete_id: int) -> dict[str, int]:
    status: dict[str, int] = sync_status(store, athlete_id)["counts"]
    return status


def ledger(store: Store, athlete_id: int) -> dict[str, tuple[str, str | None]]:
    sync = SyncStore(store)
    rows: dict[str, tuple[str, str | None]] = {}
    for f in sync.folders(athlete_id):
        rows.update({p: (r.status, r.reason) for p, r in sync.ledger(f.id).items()})
    return rows


def scheduled(
    store: Store, folder: Path, until: Callable[[], bool], *, timeout_s: float = 30.0
) -> list[RunReport]:
    """Run the real scheduler (1 s interval, 1 s settle) on ``folder`` until ``until()`` holds."""
    reports: list[RunReport] = []
    job = FolderJob(folder, "ana", interval_s=1.0, settle_s=1.0)
    scheduler = SyncScheduler(store, [job], on_report=lambda _job, r: reports.append(r))
    scheduler.start()
    try:
        deadline = time.monotonic() + timeout_s
        while not until():
            assert time.monotonic() < deadline, f"timed out; runs so far: {reports}"
            time.sleep(0.2)
    finally:
        scheduler.shutdown()
    return reports


def test_files_copied_in_slowly_are_ingested_once_and_only_after_they_are_complete(
    store: Store, athlete: int, folder: Path
) -> None:
    fit, gpx = sample_files(".fit")[1], sample_files(".gpx")[1]
    seen_partial_failure = threading.Event()
    statuses: list[dict[str, tuple[str, str | None]]] = []

    writers = [
        threading.Thread(target=copy_slowly, args=(src, folder / f"slow{src.suffix}"),
                         kwargs={"chunks": 8, "pause_s": 0.4})
        for src in (fit, gpx)
    ]  # fmt: skip
    for writer in writers:
        writer.start()

    def done() -> bool:
        rows = ledger(store, athlete)
        statuses.append(rows)
        if any(status == "failed" for status, _ in rows.values()):
            seen_partial_failure.set()
        if any(w.is_alive() for w in writers):
            assert store.list_activities(athlete) == [], "read a file while it was being written"
            return False
        return counts(store, athlete)["ingested"] == 2

    reports = scheduled(store, folder, done)
    for writer in writers:
        writer.join()
    assert not seen_partial_failure.is_set()
    assert any(r.pending for r in reports), "the growing files were seen and left to settle"
    assert len(store.list_activities(athlete)) == 2
    assert {a.file_name for a in store.list_activities(athlete)} == {"slow.fit", "slow.gpx"}
    assert (folder / "slow.fit").read_bytes() == fit.read_bytes()


def test_a_file_under_two_names_a_fit_and_gpx_of_one_run_and_a_re_dropped_export_count_once(
    store: Store, athlete: int, folder: Path, tmp_path: Path, corpus: Path
) -> None:
    fit = sample_files(".fit")[1]  # [0] is in the export
    shutil.copy(fit, folder / "run.fit")
    shutil.copy(fit, folder / "run (copy).fit")
    shutil.copy(corpus / "fit" / "slib__6782987395.fit", folder / "pair.fit")
    shutil.copy(corpus / "gpx" / "slib__6782987395.gpx", folder / "pair.gpx")
    export = strava_export(tmp_path / "export")
    zip_folder(export, folder / "export.zip")
    zip_folder(export, folder / "downloads" / "export (1).zip")
    expected = {"run", "pair", "9001", "9002", "9003"}

    scheduled(store, folder, lambda: counts(store, athlete)["pending"] == 0 and len(
        [s for s, _ in ledger(store, athlete).values() if s in ("ingested", "duplicate")]
    ) == 10)  # fmt: skip

    primaries = store.activities_frame(athlete)  # duplicates left out
    assert len(primaries) == len(expected)
    rows = ledger(store, athlete)
    statuses = [status for status, _ in rows.values()]
    # run.fit, one of the pair (the other is stored marked duplicate_of it), the export's three
    assert statuses.count("ingested") == 5 and statuses.count("duplicate") == 5
    assert rows["downloads/export (1).zip!activities/9001.fit.gz"][0] == "duplicate"
    assert "same activity" in (rows["pair.gpx"][1] or rows["pair.fit"][1] or "")


def test_broken_files_are_failures_with_reasons_and_do_not_stop_the_rest(
    store: Store, athlete: int, folder: Path
) -> None:
    good = sample_files(".fit")[2]
    shutil.copy(good, folder / "good.fit")
    (folder / "empty.fit").write_bytes(b"")
    (folder / "truncated.fit").write_bytes(good.read_bytes()[:20])  # cut inside the first message
    (folder / "not-xml.gpx").write_bytes(b"this is not xml <gpx")
    (folder / "half.gpx").write_bytes(b"<?xml version='1.0'?><gpx><trk><trkseg><trkpt")

    scheduled(store, folder, lambda: counts(store, athlete)["failed"] == 4)

    failures = sync_status(store, athlete)["folders"][0]["failures"]
    reasons = {f["path"]: f["reason"] for f in failures}
    assert set(reasons) == {"empty.fit", "truncated.fit", "not-xml.gpx", "half.gpx"}
    assert "empty" in reasons["empty.fit"]
    assert "truncated" in reasons["truncated.fit"]
    assert all(reason for reason in reasons.values())
    assert counts(store, athlete)["ingested"] == 1


def test_a_strava_export_folder_and_a_zip_of_it_ingest_fully_with_names_and_types(
    store: Store, athlete: int, folder: Path, tmp_path: Path
) -> None:
    strava_export(folder / "strava")
    run_sync(store, folder, athlete, settle_s=0)
    by_file = {a.file_name: a for a in store.list_activities(athlete)}
    assert set(by_file) == {"9001.fit.gz", "9002.gpx.gz", "9003.gpx"}
    assert by_file["9001.fit.gz"].summary["name"] == "Track Tuesday"  # the FIT has no name
    assert by_file["9002.gpx.gz"].sport == "trail_run"  # the export says "Trail Run"
    assert ledger(store, athlete)["strava/activities.csv"][0] == "skipped"

    bo = store.create_athlete("bo")[0].id
    zipped = tmp_path / "bo"
    zip_folder(strava_export(tmp_path / "src"), zipped / "export.zip")
    report = run_sync(store, zipped, bo, settle_s=0)
    assert (report.ingested, report.failed) == (3, 0)
    assert {a.file_name for a in store.list_activities(bo)} == set(by_file)
    assert not (zipped / "activities").exists(), "a zip is never extracted to disk"


def test_a_zip_with_an_escaping_member_and_a_bomb_is_refused_member_by_member(
    store: Store, athlete: int, folder: Path, tmp_path: Path
) -> None:
    good = sample_files(".fit")[3].read_bytes()
    bomb = io.BytesIO()
    with zipfile.ZipFile(bomb, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("activities/ok.fit", good)
        archive.writestr("../escape.fit", good)
        archive.writestr("/abs/olute.fit", good)
        archive.writestr("activities/bomb.fit", b"\0" * (8 * 1024 * 1024))
        archive.writestr("activities/bomb.gpx.gz", gzip.compress(b"\0" * (8 * 1024 * 1024)))
    (folder / "evil.zip").write_bytes(bomb.getvalue())
    limits = Limits(max_bytes=2 * 1024 * 1024, max_inflated=2 * 1024 * 1024)

    report = run_sync(store, folder, athlete, settle_s=0, limits=limits)

    rows = ledger(store, athlete)
    assert rows["evil.zip!activities/ok.fit"][0] == "ingested"
    assert "escapes" in (rows["evil.zip!../escape.fit"][1] or "")
    assert "absolute" in (rows["evil.zip!/abs/olute.fit"][1] or "")
    assert "more than" in (rows["evil.zip!activities/bomb.fit"][1] or "")
    assert "limit" in (rows["evil.zip!activities/bomb.gpx.gz"][1] or "")
    assert report.ingested == 1 and report.failed == 4
    assert not (tmp_path / "escape.fit").exists() and not Path("/abs/olute.fit").exists()


def test_a_second_run_with_nothing_new_opens_no_file_and_reads_no_byte(
    store: Store, athlete: int, folder: Path, tmp_path: Path
) -> None:
    for path in sample_files(".fit")[1:4]:  # [0] is in the export
        shutil.copy(path, folder / path.name)
    zip_folder(strava_export(tmp_path / "export"), folder / "export.zip")
    (folder / "broken.fit").write_bytes(b"\x0e")
    first = run_sync(store, folder, athlete, settle_s=0)
    second = run_sync(store, folder, athlete, settle_s=0)
    assert first.opened > 0 and first.ingested == 6 and first.failed == 1
    assert (second.opened, second.bytes_read, second.ingested, second.failed) == (0, 0, 0, 0)


def test_a_failed_file_is_retried_when_it_changes_and_a_deleted_file_keeps_its_activity(
    store: Store, athlete: int, folder: Path
) -> None:
    good = sample_files(".fit")[4]
    target = folder / "later.fit"
    target.write_bytes(good.read_bytes()[:100])
    assert run_sync(store, folder, athlete, settle_s=0).failed == 1
    target.write_bytes(good.read_bytes())
    assert run_sync(store, folder, athlete, settle_s=0).ingested == 1
    target.unlink()
    run_sync(store, folder, athlete, settle_s=0)
    assert len(store.list_activities(athlete)) == 1
    assert ledger(store, athlete)["later.fit"][0] == "ingested"


def test_a_file_seen_once_is_read_only_after_the_settle_time_across_runs(
    store: Store, athlete: int, folder: Path
) -> None:
    shutil.copy(sample_files(".gpx")[0], folder / "fresh.gpx")
    clock = [time.time()]
    first = run_sync(store, folder, athlete, settle_s=30, clock=lambda: clock[0])
    assert (first.pending, first.opened) == (1, 0)
    clock[0] += 10
    assert run_sync(store, folder, athlete, settle_s=30, clock=lambda: clock[0]).opened == 0
    clock[0] += 25
    assert run_sync(store, folder, athlete, settle_s=30, clock=lambda: clock[0]).ingested == 1


def test_temporary_names_hidden_files_and_symlinks_are_never_read(
    store: Store, athlete: int, folder: Path, tmp_path: Path
) -> None:
    fit = sample_files(".fit")[5]
    for name in ("a.fit.part", "a.fit.crdownload", ".a.fit", "a.fit~", "a.fit.tmp"):
        shutil.copy(fit, folder / name)
    outside = tmp_path / "outside.fit"
    shutil.copy(fit, outside)
    (folder / "link.fit").symlink_to(outside)
    report = run_sync(store, folder, athlete, settle_s=0)
    assert (report.opened, report.ingested) == (0, 0)
    assert ledger(store, athlete) == {"link.fit": ("skipped", "symbolic link: not followed")}


def test_adding_the_same_folder_job_twice_keeps_one_scheduler_job(
    store: Store, folder: Path
) -> None:
    job = FolderJob(folder, "ana", interval_s=900, settle_s=60)
    sync = SyncScheduler(store, [job, job])
    sync.start(paused=True)
    jobs = sync.scheduler.get_jobs()
    sync.shutdown()
    assert [j.id for j in jobs] == [job_id(job)]
    assert (jobs[0].coalesce, jobs[0].max_instances) == (True, 1)
    assert jobs[0].misfire_grace_time == misfire_grace_s(900) == 450


def test_run_now_wakes_the_job_without_waiting_for_the_interval(
    store: Store, athlete: int, folder: Path
) -> None:
    reports: list[RunReport] = []
    sync = SyncScheduler(
        store, [FolderJob(folder, "ana", interval_s=3600, settle_s=0)],
        on_report=lambda _j, r: reports.append(r),
    )  # fmt: skip
    sync.start()
    try:
        deadline = time.monotonic() + 10
        while not reports:
            assert time.monotonic() < deadline
            time.sleep(0.05)
        shutil.copy(sample_files(".fit")[6], folder / "new.fit")
        assert sync.run_now(athlete) == [str(folder)]
        while len(reports) < 2:
            assert time.monotonic() < deadline
            time.sleep(0.05)
    finally:
        sync.shutdown()
    assert reports[1].ingested == 1


def test_sync_settings_come_from_toml_json_the_short_form_and_durations() -> None:
    toml = 'interval = "5m"\nsettle = "10s"\n[[folders]]\npath = "/a"\nathlete = "ana"\n'
    toml += '[[folders]]\npath = "/b"\nathlete = "bo"\ninterval = "1h"\n'
    jobs = parse_folders(toml, interval_s=900, settle_s=60)
    assert [(j.athlete, j.interval_s, j.settle_s) for j in jobs] == [
        ("ana", 300, 10), ("bo", 3600, 10),
    ]  # fmt: skip
    assert parse_folders('[{"path": "/c", "athlete": "cy"}]', interval_s=60, settle_s=5)[0] == (
        FolderJob(Path("/c"), "cy", 60, 5)
    )
    env = {"LEGDAY_SYNC_FOLDERS": "ana=/x;bo=/y", "LEGDAY_SYNC_INTERVAL": "1h30m"}
    assert [(j.athlete, str(j.path), j.interval_s) for j in from_environment(env)] == [
        ("ana", "/x", 5400), ("bo", "/y", 5400),
    ]  # fmt: skip
    assert parse_duration("15m") == 900 and parse_duration("500ms") == 0.5
