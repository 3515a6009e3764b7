"""A ``legday sync --once`` killed with SIGKILL in the middle of a 200-file batch, then restarted:
every activity exactly once, nothing half-written, the ledger complete."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest
from sqlalchemy import func, select

from ingest.store import Store
from ingest.store.schema import Activity
from ingest.store.sync_schema import SyncFile
from tests.conftest import ROOT
from tests.sync_fixtures import distinct_activities

FILES = 200


def start_sync(folder: Path, data_dir: Path, url: str = "") -> subprocess.Popen[str]:
    env = {**os.environ, "LEGDAY_DATA_DIR": str(data_dir), "LEGDAY_DATABASE_URL": url}
    command = [sys.executable, "-m", "api", "sync", str(folder), "--athlete", "ana", "--once"]
    return subprocess.Popen(
        [*command, "--settle", "0"],
        cwd=ROOT,
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
    )


def count(store: Store, query: object) -> int:
    with store.engine.connect() as conn:
        return int(conn.scalar(query) or 0)  # type: ignore[call-overload]


def kill_when(store: Store, proc: subprocess.Popen[str], activities: int) -> int:
    """SIGKILL ``proc`` once the store holds at least ``activities``; how many it held then."""
    deadline = time.monotonic() + 120
    query = select(func.count()).select_from(Activity)
    while (held := count(store, query)) < activities:
        assert proc.poll() is None, f"the sync ended before the kill: {proc.communicate()[0]}"
        assert time.monotonic() < deadline, "the sync made no progress"
        time.sleep(0.02)
    proc.send_signal(signal.SIGKILL)
    proc.communicate()  # reaps it (a zombie would look alive to the lease) and closes the pipe
    return held


@pytest.mark.slow
def test_a_sync_killed_mid_batch_and_restarted_stores_every_activity_exactly_once(
    tmp_path: Path,
) -> None:
    folder = tmp_path / "watch"
    distinct_activities(folder, FILES)
    data_dir = tmp_path / "data"
    store = Store(None, data_dir)
    store.upgrade()
    athlete = store.create_athlete("ana")[0].id

    held = [kill_when(store, start_sync(folder, data_dir), n) for n in (30, 110)]
    assert held[0] < held[1] < FILES
    in_flight = count(
        store, select(func.count()).select_from(SyncFile).where(SyncFile.status == "ingesting")
    )

    final = start_sync(folder, data_dir)
    output = final.communicate(timeout=300)[0]
    assert final.returncode == 0, output

    activities = store.list_activities(athlete)
    assert len(activities) == FILES
    assert len({a.sha256 for a in activities}) == FILES
    assert all(a.duplicate_of is None for a in activities)
    sync_rows = SyncFileRows.of(store)
    assert len(sync_rows) == FILES and {r[1] for r in sync_rows} == {"ingested"}
    assert sorted(r[2] or 0 for r in sync_rows) == sorted(a.id for a in activities)
    blobs = {p.parent.name + p.name for p in store.blobs.root.rglob("*") if p.is_file()}
    blobs = {b for b in blobs if ".tmp-" not in b}
    assert blobs == {a.sha256 for a in activities}, "a raw file without its row, or the reverse"
    print(f"killed at {held} activities, {in_flight} ledger rows in flight; restart: {output}")
    store.dispose()


class SyncFileRows:
    @staticmethod
    def of(store: Store) -> list[tuple[str, str, int | None]]:
        query = select(SyncFile.rel_path, SyncFile.status, SyncFile.activity_id)
        with store.engine.connect() as conn:
            return [(p, s, a) for p, s, a in conn.execute(query)]
