"""``legday ingest --dask-scheduler`` on a real two-worker Dask cluster on loopback: the workers
parse, this process stores, and the stored summaries are exactly those of the local process pool."""

from __future__ import annotations

import io
import os
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import psutil
import pytest
from rich.console import Console

from api.cli.main import main
from api.settings import Settings
from ingest.store import Store
from tests.conftest import SAMPLE_DATA

pytestmark = pytest.mark.slow
ATHLETE = SAMPLE_DATA / "athlete"


@pytest.fixture(scope="module")
def cluster() -> Iterator[str]:
    """A LocalCluster of two worker processes; afterwards, none of its processes is left."""
    distributed = pytest.importorskip("distributed")
    with distributed.LocalCluster(
        n_workers=2,
        processes=True,
        threads_per_worker=1,
        host="127.0.0.1",
        dashboard_address=None,
    ) as local:
        with distributed.Client(local, set_as_default=False) as client:
            workers = [psutil.Process(pid) for pid in client.run(os.getpid).values()]
        assert len(workers) == 2
        yield local.scheduler_address
    _, alive = psutil.wait_procs(workers, timeout=10)
    assert not alive, f"Dask worker processes still running: {alive}"


def ingest(tmp_path: Path, name: str, *options: str) -> dict[str, dict[str, Any]]:
    """``legday ingest sample_data/athlete`` into a fresh data directory: sha256 -> summary."""
    settings = Settings(data_dir=tmp_path / name)
    console = Console(file=io.StringIO(), width=250, color_system=None)
    assert main(["athletes", "create", "Sam"], settings=settings, console=console) == 0
    argv = ["ingest", str(ATHLETE), "--athlete", "Sam", *options]
    code = main(argv, settings=settings, console=console)
    assert code == 0, console.file.getvalue()  # type: ignore[attr-defined]
    store = Store(settings.database_url, settings.data_dir)
    try:
        athlete = store.athlete_by_name("Sam")
        assert athlete is not None
        return {a.sha256: a.summary for a in store.list_activities(athlete.id)}
    finally:
        store.dispose()


def test_a_dask_cluster_stores_exactly_what_the_local_process_pool_stores(
    cluster: str, tmp_path: Path
):
    files = [p for p in ATHLETE.iterdir() if p.suffix in {".fit", ".gpx"}]
    if not files:
        pytest.skip("sample_data/athlete has no activity files (generate it first)")
    local = ingest(tmp_path, "local", "--workers", "2")
    on_dask = ingest(tmp_path, "dask", "--dask-scheduler", cluster)
    assert len(local) == len(files)
    assert set(on_dask) == set(local)
    assert on_dask == local


def test_a_file_that_fails_on_a_dask_worker_is_a_failed_row_not_a_failed_batch(
    cluster: str, tmp_path: Path
):
    from ingest.measure.summary import MetricsProfile
    from ingest.sync.bulk import ingest_paths
    from ingest.sync.executors import executor_factory

    (tmp_path / "broken.fit").write_bytes(b"\x0e\x10" + b"\0" * 30)
    good = sorted(ATHLETE.glob("*.fit"))[:1]
    if not good:
        pytest.skip("sample_data/athlete has no FIT files (generate it first)")

    @dataclass(frozen=True)
    class Outcome:
        status: str = "ingested"
        activity_id: int = 1
        duplicate_of: int | None = None

    class Writer:  # a fake store: this test is about the executor, not the database
        def __init__(self) -> None:
            self.added: list[str] = []

        def add_activity(self, athlete_id: int, parsed: Any) -> Outcome:
            self.added.append(parsed.sha256)
            return Outcome()

        def find_by_sha(self, athlete_id: int, sha256: str) -> None:
            return None

    writer = Writer()
    report = ingest_paths(
        writer,
        1,
        [tmp_path / "broken.fit", *good],
        MetricsProfile(),
        executor_factory=executor_factory(dask_scheduler=cluster),
    )
    rows = {r.path.name: r for r in report.rows}  # rows come in the order files finish
    assert {name: r.status for name, r in rows.items()} == {
        "broken.fit": "failed",
        good[0].name: "ingested",
    }
    assert "neither FIT nor XML" in (rows["broken.fit"].reason or "")
    assert len(writer.added) == 1


def test_the_folder_sync_parses_on_a_dask_cluster_and_stores_what_the_local_pool_stores(
    cluster: str, tmp_path: Path
):
    local = ingest(tmp_path, "local", "--workers", "2")
    settings = Settings(data_dir=tmp_path / "sync")
    console = Console(file=io.StringIO(), width=250, color_system=None)
    assert main(["athletes", "create", "Sam"], settings=settings, console=console) == 0
    argv = ["sync", str(ATHLETE), "--athlete", "Sam", "--once", "--settle", "0s"]
    code = main([*argv, "--dask-scheduler", cluster], settings=settings, console=console)
    assert code == 0, console.file.getvalue()  # type: ignore[attr-defined]
    store = Store(settings.database_url, settings.data_dir)
    try:
        athlete = store.athlete_by_name("Sam")
        assert athlete is not None
        synced = {a.sha256: a.summary for a in store.list_activities(athlete.id)}
    finally:
        store.dispose()
    assert synced == local
