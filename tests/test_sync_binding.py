"""Issue 14, finding 1: a sync folder belongs to the athlete it was bound to when the configuration
was loaded, not to whoever holds the configured name at the next run; names are unique ignoring
case. On SQLite and PostgreSQL, through the real scheduler and the HTTP API."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest
from fastapi.testclient import TestClient

from api.app import create_app
from api.scheduler import SyncScheduler
from api.sync_config import FolderJob
from ingest.store import Store
from tests.api_support import ADMIN, NOW, bearer, gpx_run, settings_for
from tests.store_fixtures import postgres_schema

MONDAY = datetime(2026, 3, 2, 7, 0, tzinfo=UTC)
BACKENDS = ["sqlite", pytest.param("postgresql", marks=pytest.mark.postgres)]


@pytest.fixture(params=BACKENDS)
def database_url(request: pytest.FixtureRequest) -> Iterator[str]:
    if request.param == "sqlite":
        yield ""
        return
    with postgres_schema(request.getfixturevalue("postgres_url")) as url:
        yield url


@pytest.fixture
def folder(tmp_path: Path) -> Path:
    path = tmp_path / "watch"
    path.mkdir()
    (path / "monday.gpx").write_bytes(gpx_run(MONDAY))
    return path


def migrated(tmp_path: Path, database_url: str) -> Store:
    store = Store(database_url or None, tmp_path / "data")
    store.upgrade()
    return store


@contextmanager
def serving(tmp_path: Path, database_url: str, jobs: list[FolderJob]) -> Iterator[TestClient]:
    settings = settings_for(tmp_path / "data", database_url)
    with TestClient(create_app(settings, clock=lambda: NOW, sync_jobs=jobs)) as client:
        try:
            yield client
        finally:  # let a run in flight finish before the app disposes of the store under it
            scheduler = client.app.state.scheduler  # type: ignore[attr-defined]
            if scheduler is not None:
                scheduler.shutdown(wait=True)


def activities(client: TestClient, auth: dict[str, str]) -> list[str]:
    found = client.get("/v1/activities", headers=auth).json()["activities"]
    return sorted(a["file_name"] for a in found)


def wait_for(check: Callable[[], bool], what: str, timeout_s: float = 30.0) -> None:
    deadline = time.monotonic() + timeout_s
    while not check():
        assert time.monotonic() < deadline, f"timed out waiting for {what}"
        time.sleep(0.1)


def test_renaming_into_a_configured_name_takes_nothing_and_the_owner_keeps_getting_runs(
    tmp_path: Path, database_url: str, folder: Path
) -> None:
    """The reported attack: A's folder is configured as "A"; A renames to "A2", B renames to "A"
    and asks for a sync run. B gets nothing of A's; the folder's runs keep going to A."""
    store = migrated(tmp_path, database_url)
    a_token = bearer(store.create_athlete("A")[1])
    b_token = bearer(store.create_athlete("B")[1])
    store.dispose()
    job = FolderJob(folder, "A", interval_s=1.0, settle_s=0.0)
    with serving(tmp_path, database_url, [job]) as client:
        wait_for(lambda: activities(client, a_token) == ["monday.gpx"], "A's first run")
        assert client.patch("/v1/me", json={"name": "A2"}, headers=a_token).status_code == 200
        assert client.patch("/v1/me", json={"name": "A"}, headers=b_token).status_code == 200
        started = client.post("/v1/sync/run", headers=b_token)
        assert started.status_code == 202
        (folder / "tuesday.gpx").write_bytes(gpx_run(MONDAY + timedelta(days=1)))
        wait_for(
            lambda: "tuesday.gpx" in activities(client, a_token) + activities(client, b_token),
            "the next scheduled run to ingest tuesday.gpx",
        )
        time.sleep(1.5)  # one more interval: nothing reaches B later either
        assert activities(client, b_token) == []
        assert activities(client, a_token) == ["monday.gpx", "tuesday.gpx"]
        assert started.json()["folders"] == []
        assert client.get("/v1/sync", headers=b_token).json()["folders"] == []


def test_a_folder_stays_bound_to_its_athlete_across_a_restart_after_the_renames(
    tmp_path: Path, database_url: str, folder: Path
) -> None:
    store = migrated(tmp_path, database_url)
    a = store.create_athlete("A")[0]
    b = store.create_athlete("B")[0]
    job = FolderJob(folder, "A", interval_s=3600, settle_s=0)
    first = SyncScheduler(store, [job])
    assert [x.athlete_id for x in first.bindings().values()] == [a.id]
    store.update_athlete(a.id, name="A2")
    store.update_athlete(b.id, name="A")
    reports: list[int] = []
    restarted = SyncScheduler(store, [job], on_report=lambda _j, r: reports.append(r.ingested))
    restarted.start()
    try:
        wait_for(lambda: bool(reports), "the restarted scheduler's first run")
    finally:
        restarted.shutdown()
    assert [x.athlete_id for x in restarted.bindings().values()] == [a.id]
    assert [r.file_name for r in store.list_activities(a.id)] == ["monday.gpx"]
    assert store.list_activities(b.id) == []
    store.dispose()


def test_a_configured_name_with_no_account_is_refused_and_not_claimed_by_a_later_rename(
    tmp_path: Path, database_url: str, folder: Path
) -> None:
    store = migrated(tmp_path, database_url)
    b = store.create_athlete("B")[0]
    job = FolderJob(folder, "carol", interval_s=3600, settle_s=0)
    scheduler = SyncScheduler(store, [job])
    (binding,) = scheduler.bindings().values()
    assert binding.athlete_id is None
    assert "no athlete named 'carol'" in (binding.refusal or "")
    store.update_athlete(b.id, name="carol")
    scheduler.run_folder(job)
    assert scheduler.run_now(b.id) == []
    assert store.list_activities(b.id) == []
    store.dispose()


def test_a_folder_waiting_for_its_account_gets_an_account_created_later_not_a_renamed_one(
    tmp_path: Path, database_url: str, folder: Path
) -> None:
    """A scheduler started before its athlete exists (``legday sync`` as a service of its own)
    waits: B renaming into the configured name takes nothing, an account created afterwards
    from another process (``legday athletes create``) gets the folder at the next run."""
    store = migrated(tmp_path, database_url)
    b = store.create_athlete("B")[0]
    job = FolderJob(folder, "Carol", interval_s=3600, settle_s=0)
    scheduler = SyncScheduler(store, [job])
    scheduler.run_folder(job)
    store.update_athlete(b.id, name="carol")
    scheduler.run_folder(job)
    assert store.list_activities(b.id) == []
    assert scheduler.run_now(b.id) == []
    store.update_athlete(b.id, name="B")
    carol = store.create_athlete("Carol")[0]
    assert scheduler.run_now(carol.id) == [str(folder)]  # POST /v1/sync/run finds it at once
    scheduler.run_folder(job)
    assert [a.file_name for a in store.list_activities(carol.id)] == ["monday.gpx"]
    assert store.list_activities(b.id) == []
    store.dispose()


def test_the_sync_service_started_before_the_account_exists_syncs_it_once_created(
    tmp_path: Path, folder: Path
) -> None:
    """A container's first start: ``legday sync`` is up before the admin creates the athlete.
    It says it waits, keeps running, and syncs the folder once the account exists."""
    data = tmp_path / "data"
    env = {**os.environ, "LEGDAY_DATA_DIR": str(data), "LEGDAY_LOG_LEVEL": "INFO"}
    env.pop("LEGDAY_DATABASE_URL", None)
    log = tmp_path / "sync.log"
    command = [sys.executable, "-m", "api", "sync", str(folder), "--athlete", "Carol",
               "--every", "1s", "--settle", "0s"]  # fmt: skip
    with log.open("w") as out:
        process = subprocess.Popen(command, env=env, stdout=out, stderr=subprocess.STDOUT)
    try:
        wait_for(lambda: "no athlete named 'Carol' yet" in log.read_text(), "the waiting line")
        assert process.poll() is None, log.read_text()
        store = Store(None, data)
        carol = store.create_athlete("Carol")[0]
        wait_for(
            lambda: [a.file_name for a in store.list_activities(carol.id)] == ["monday.gpx"],
            "the service to sync Carol's folder",
        )
        store.dispose()
    finally:
        process.send_signal(signal.SIGTERM)
        code = process.wait(timeout=30)
    assert code == 0, log.read_text()
    assert "Traceback" not in log.read_text()


def test_an_account_the_admin_creates_for_a_configured_name_gets_its_folder(
    tmp_path: Path, database_url: str, folder: Path
) -> None:
    migrated(tmp_path, database_url).dispose()
    job = FolderJob(folder, "Carol", interval_s=3600, settle_s=0)
    with serving(tmp_path, database_url, [job]) as client:
        created = client.post("/v1/athletes", json={"name": "carol"}, headers=bearer(ADMIN))
        assert created.status_code == 201
        carol = bearer(created.json()["token"])
        assert client.post("/v1/sync/run", headers=carol).json()["folders"] == [str(folder)]
        wait_for(lambda: activities(client, carol) == ["monday.gpx"], "carol's folder")


def test_one_folder_configured_for_two_athletes_is_refused_for_both(
    tmp_path: Path, database_url: str, folder: Path
) -> None:
    store = migrated(tmp_path, database_url)
    store.create_athlete("A")
    store.create_athlete("B")
    jobs = [FolderJob(folder, "A"), FolderJob(folder / ".." / "watch", "B"),
            FolderJob(tmp_path, "B")]  # fmt: skip
    found = SyncScheduler(store, jobs).bindings()
    assert [b.athlete_id for b in found.values()] == [None, None, None]
    assert all("another athlete" in (b.refusal or "") for b in found.values())
    store.dispose()


@pytest.mark.parametrize("taken", ["ana", "ANA", " Ana ", "Ａｎａ"])
def test_athlete_names_are_unique_ignoring_case_on_create_and_rename(
    tmp_path: Path, database_url: str, taken: str
) -> None:
    migrated(tmp_path, database_url).dispose()
    with serving(tmp_path, database_url, []) as client:
        admin = bearer(ADMIN)
        assert client.post("/v1/athletes", json={"name": "Ana"}, headers=admin).status_code == 201
        bo = client.post("/v1/athletes", json={"name": "Bo"}, headers=admin).json()
        again = client.post("/v1/athletes", json={"name": taken}, headers=admin)
        assert again.status_code == 409, again.text
        assert (
            "already exists" in again.json()["detail"] and "ignoring case" in again.json()["detail"]
        )
        renamed = client.patch("/v1/me", json={"name": taken}, headers=bearer(bo["token"]))
        assert renamed.status_code == 409, renamed.text
        assert "ignoring case" in renamed.json()["detail"]
        ok = client.patch("/v1/me", json={"name": "bo"}, headers=bearer(bo["token"]))
        assert ok.status_code == 200 and ok.json()["name"] == "bo"  # one's own name, recased
