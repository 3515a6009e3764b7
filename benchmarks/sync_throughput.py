"""Folder-sync throughput: the first sync of a folder of N distinct activities (the sample athlete,
GPX copies shifted by whole weeks, some gzipped), then a second sync with nothing new, which must
open no file and read no byte (counted at ``ingest.sync.reader.FolderReader``, the only reader).

    python -m benchmarks.sync_throughput [--files 500] [--workers 0 2] [--database-url URL]

Each ``--workers N`` is a fresh store and a first + second sync of the same folder, parsing in a
process pool of N (``sync.executors.process_pool``, as ``legday sync`` uses; 0: in the syncing
process). First syncs are compared with the first one listed, from this run.
"""

from __future__ import annotations

import argparse
import sys
import tempfile
import time
from concurrent.futures import Executor
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from ingest.store import Store
from ingest.sync.executors import process_pool
from ingest.sync.job import RunReport, run_sync
from tests.sync_fixtures import distinct_activities


def line(label: str, report: RunReport, wall_s: float, files: int, base: float | None) -> str:
    rate = files / wall_s if wall_s > 0 else float("inf")
    versus = f"  {rate / base:5.2f}x" if base else ""
    return (
        f"{label:<24} {wall_s:7.2f} s  {rate:7.1f} files/s{versus}  ingested {report.ingested:4d}"
        f"  duplicate {report.duplicate:3d}  failed {report.failed:3d}  opened {report.opened:4d}"
        f"  read {report.bytes_read / 1e6:8.2f} MB"
    )


def sync_twice(
    folder: Path, data: Path, url: str, workers: int
) -> list[tuple[str, RunReport, float]]:
    store = Store(url or None, data)
    store.upgrade()
    athlete = store.create_athlete(f"bench-{time.time_ns()}")[0].id
    executor: Executor | None = process_pool(workers) if workers else None
    runs = []
    if executor is not None:  # the workers start (forkserver, parser imports) outside the timing
        started = time.perf_counter()
        list(executor.map(abs, range(4 * workers)))
        print(f"pool of {workers} started in {time.perf_counter() - started:.2f} s")
    try:
        for label in ("first sync", "second sync"):
            started = time.perf_counter()
            report = run_sync(store, folder, athlete, settle_s=0, executor=executor)
            runs.append((f"{label}, {workers} workers", report, time.perf_counter() - started))
    finally:
        if executor is not None:
            executor.shutdown()
        store.dispose()
    return runs


def main() -> None:
    parser = argparse.ArgumentParser(description=(__doc__ or "").splitlines()[0])
    parser.add_argument("--files", type=int, default=500)
    parser.add_argument("--workers", type=int, nargs="+", default=[0, 2])
    parser.add_argument("--database-url", default="")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory(prefix="legday-sync-bench-") as tmp:
        folder = Path(tmp) / "watch"
        written = distinct_activities(folder, args.files)
        size = sum(p.stat().st_size for p in written)
        print(f"{len(written)} files, {size / 1e6:.1f} MB, parse workers: {args.workers}")
        base: float | None = None
        for workers in args.workers:
            data = Path(tmp) / f"data-{workers}"
            for label, report, wall in sync_twice(folder, data, args.database_url, workers):
                rate = len(written) / wall if wall > 0 else None
                first = label.startswith("first")
                print(line(label, report, wall, len(written), base if first else None))
                if first and base is None:
                    base = rate


if __name__ == "__main__":
    main()
