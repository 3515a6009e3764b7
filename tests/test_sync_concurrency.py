"""One folder, one runner: the database lease across threads and processes, on SQLite and on
PostgreSQL, and two ``legday sync --once`` started at once ingesting each file exactly once."""

from __future__ import annotations

import os
import re
import socket
import subprocess
import sys
import threading
from collections.abc import Iterator
from pathlib import Path

import pytest
from sqlalchemy import update

from ingest.store import Store
from ingest.store.ledger import SyncStore
from ingest.store.sync_schema import Lock
from tests.conftest import ROOT
from tests.store_fixtures import postgres_schema
from tests.sync_fixtures import distinct_activities


@pytest.fixture(params=["sqlite", "postgresql"])
def database(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[tuple[Store, str]]:
    """A migrated store and the URL a subprocess should use for it ("" = SQLite in data_dir)."""
    data_dir = tmp_path / "data"
    if request.param == "sqlite":
        store = Store(None, data_dir)
        store.upgrade()
        yield store, ""
        store.dispose()
        return
    with postgres_schema(request.getfixturevalue("postgres_url")) as url:
        store = Store(url, data_dir)
        store.upgrade()
        yield store, url
        store.dispose()


def test_of_many_threads_racing_for_a_lease_exactly_one_gets_it(
    database: tuple[Store, str],
) -> None:
    sync = SyncStore(database[0])
    barrier = threading.Barrier(8)
    won: list[str] = []

    def race(i: int) -> None:
        barrier.wait()
        if sync.try_lock("sync-folder:1", f"elsewhere:{i}:x", 60):
            won.append(str(i))

    threads = [threading.Thread(target=race, args=(i,)) for i in range(8)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert len(won) == 1


def test_an_expired_lease_is_taken_over_and_a_live_one_is_not(
    database: tuple[Store, str],
) -> None:
    store = database[0]
    sync = SyncStore(store)
    assert sync.try_lock("l", "other-host:1:a", 60)
    assert not sync.try_lock("l", "other-host:2:b", 60)
    assert sync.renew("l", "other-host:1:a", 60)
    with store.engine.execution_options(legday_write=True).begin() as conn:
        conn.execute(update(Lock).values(expires_at=0))  # the holder stopped heart-beating
    assert sync.try_lock("l", "other-host:2:b", 60)
    assert not sync.renew("l", "other-host:1:a", 60), "the old holder learns it lost the lease"


def test_a_lease_held_by_a_dead_process_on_this_host_is_stale_at_once(
    database: tuple[Store, str],
) -> None:
    sync = SyncStore(database[0])
    dead = subprocess.run([sys.executable, "-c", "import os; print(os.getpid())"],
                          capture_output=True, text=True, check=True)  # fmt: skip
    host = socket.gethostname()
    assert sync.try_lock("l", f"{host}:{dead.stdout.strip()}:gone", 600)
    assert sync.try_lock("l", f"{host}:{os.getpid()}:me", 600)
    assert not sync.try_lock("l", f"{host}:{os.getpid()}:other-me", 600), "we are alive"


def _sync_once(folder: Path, data_dir: Path, url: str) -> subprocess.Popen[str]:
    env = {**os.environ, "LEGDAY_DATA_DIR": str(data_dir), "LEGDAY_DATABASE_URL": url}
    return subprocess.Popen(
        [sys.executable, "-m", "api", "sync", str(folder), "--athlete", "ana", "--once",
         "--settle", "0"],
        cwd=ROOT, env=env, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True,
    )  # fmt: skip


@pytest.mark.slow
def test_two_sync_processes_started_at_once_ingest_each_file_exactly_once(
    database: tuple[Store, str], tmp_path: Path
) -> None:
    store, url = database
    athlete = store.create_athlete("ana")[0].id
    folder = tmp_path / "watch"
    files = distinct_activities(folder, 60)

    procs = [_sync_once(folder, store.data_dir, url) for _ in range(2)]
    outputs = [p.communicate(timeout=300)[0] for p in procs]

    assert [p.returncode for p in procs] == [0, 0], outputs
    ingested = [int(re.search(r"(\d+)\s+ingested", out)[1]) for out in outputs]  # type: ignore[index]
    assert sorted(ingested) == [0, len(files)], outputs
    activities = store.list_activities(athlete)
    assert len(activities) == len(files) == len({a.sha256 for a in activities})
    status = SyncStore(store)
    (folder_row,) = status.folders(athlete)
    assert {r.status for r in status.ledger(folder_row.id).values()} == {"ingested"}
