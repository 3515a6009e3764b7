"""Bulk ingest through a Dask distributed cluster on loopback (LocalCluster, 1, 2 and 4 worker
processes of one thread each) against the local process pool, all on the same files in this run.
Workers get bytes and return ParsedActivity; this process stores.

    python -m benchmarks.dask_ingest [--files 300] [--dask-workers 1 2 4] [--local-workers 2]
"""

from __future__ import annotations

import argparse
import logging
import tempfile
from pathlib import Path
from typing import Any

from benchmarks.bulk_ingest import ingest_once, make_files, report


def on_cluster(folder: Path, workers: int) -> dict[str, Any]:
    from distributed import LocalCluster

    with LocalCluster(
        n_workers=workers,
        processes=True,
        threads_per_worker=1,
        host="127.0.0.1",
        dashboard_address=None,
        silence_logs=logging.CRITICAL,
    ) as cluster:
        address = cluster.scheduler_address
        return ingest_once(folder, {"dask_scheduler": address}, f"dask, {workers} worker(s)")


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=(__doc__ or "").splitlines()[0])
    parser.add_argument("--files", type=int, default=300)
    parser.add_argument("--dask-workers", type=int, nargs="+", default=[1, 2, 4])
    parser.add_argument("--local-workers", type=int, default=2)
    args = parser.parse_args(argv)
    with tempfile.TemporaryDirectory() as tmp:
        folder, size = make_files(args.files, Path(tmp))
        local = f"local process pool, {args.local_workers} worker(s)"
        rows = [ingest_once(folder, {"workers": args.local_workers}, local)]
        rows += [on_cluster(folder, n) for n in args.dask_workers]
    print(report(rows, size))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
