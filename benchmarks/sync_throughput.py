"""Folder-sync throughput: the first sync of a folder of N distinct activities (the sample athlete,
GPX copies shifted by whole weeks, some gzipped), then a second sync with nothing new, which must
open no file and read no byte (counted at ``ingest.sync.FolderReader``, the only reader).

    python benchmarks/sync_throughput.py [--files 500] [--workers 0] [--database-url URL]

``--workers N`` parses in a process pool of N (0: in the syncing process). Prints both runs.
"""

from __future__ import annotations

import argparse
import multiprocessing
import sys
import tempfile
import time
from concurrent.futures import Executor, ProcessPoolExecutor
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from ingest.store import Store
from ingest.sync import RunReport, run_sync
from tests.sync_fixtures import distinct_activities


def line(label: str, report: RunReport, wall_s: float, files: int) -> str:
    rate = files / wall_s if wall_s > 0 else float("inf")
    return (
        f"{label:<13} {wall_s:7.2f} s  {rate:7.1f} files/s  ingested {report.ingested:4d}  "
        f"duplicate {report.duplicate:3d}  failed {report.failed:3d}  opened {report.opened:4d}  "
        f"read {report.bytes_read / 1e6:8.2f} MB"
    )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--files", type=int, default=500)
    parser.add_argument("--workers", type=int, default=0)
    parser.add_argument("--database-url", default="")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory(prefix="legday-sync-bench-") as tmp:
        folder = Path(tmp) / "watch"
        written = distinct_activities(folder, args.files)
        size = sum(p.stat().st_size for p in written)
        store = Store(args.database_url or None, Path(tmp) / "data")
        store.upgrade()
        athlete = store.create_athlete(f"bench-{time.time_ns()}")[0].id
        executor: Executor | None = None
        if args.workers:
            context = multiprocessing.get_context("spawn")
            executor = ProcessPoolExecutor(args.workers, mp_context=context)
        try:
            print(f"{len(written)} files, {size / 1e6:.1f} MB, parse workers: {args.workers}")
            for label in ("first sync", "second sync"):
                started = time.perf_counter()
                report = run_sync(store, folder, athlete, settle_s=0, executor=executor)
                print(line(label, report, time.perf_counter() - started, len(written)))
        finally:
            if executor is not None:
                executor.shutdown()
            store.dispose()


if __name__ == "__main__":
    main()
