"""Bulk ingest of N distinct activities (the sample athlete replicated, each round shifted by 13
weeks: its own bytes, sha256 and start time) into a fresh SQLite store, with a local process pool of
1 and of 2 workers; files/s and the 2-worker speed-up against 1 worker from this run.

    python -m benchmarks.bulk_ingest [--files 1000] [--workers 1 2]
"""

from __future__ import annotations

import argparse
import tempfile
from pathlib import Path
from typing import Any

from benchmarks.common import SAMPLE, mb, per_s, ratio, shifted_copies, store_in
from ingest.sync.bulk import ingest_paths
from ingest.sync.executors import executor_factory


def ingest_once(folder: Path, factory_args: dict[str, Any], label: str) -> dict[str, Any]:
    with tempfile.TemporaryDirectory() as tmp, store_in(Path(tmp)) as (store, athlete_id):
        profile = store.get_athlete(athlete_id).metrics_profile()
        report = ingest_paths(
            store,
            athlete_id,
            [folder],
            profile,
            executor_factory=executor_factory(**factory_args),
            workers=factory_args.get("workers"),
        )
    return {
        "stage": label,
        "files": len(report.rows),
        "stored": report.count("ingested") + report.count("duplicate"),
        "failed": report.count("failed"),
        "s": report.elapsed_s,
        "files_per_s": per_s(len(report.rows), report.elapsed_s),
    }


def make_files(count: int, tmp: Path) -> tuple[Path, float]:
    folder = tmp / "files"
    return folder, mb(shifted_copies(count, folder, SAMPLE))


def report(rows: list[dict[str, Any]], size_mb: float) -> str:
    base = rows[0]
    lines = [
        f"{base['files']} files, {size_mb:.1f} MB",
        f"{'stage':34s} {'stored':>6s} {'failed':>6s} {'s':>7s} {'files/s':>8s} {'MB/s':>6s}"
        f"  vs {base['stage']}",
    ]
    for r in rows:
        speedup = ratio(r["files_per_s"], base["files_per_s"])
        lines.append(
            f"{r['stage']:34s} {r['stored']:6d} {r['failed']:6d} {r['s']:7.2f} "
            f"{r['files_per_s']:8.1f} {size_mb / r['s']:6.2f}  {speedup}"
        )
    return "\n".join(lines)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=(__doc__ or "").splitlines()[0])
    parser.add_argument("--files", type=int, default=1000)
    parser.add_argument("--workers", type=int, nargs="+", default=[1, 2])
    args = parser.parse_args(argv)
    with tempfile.TemporaryDirectory() as tmp:
        folder, size = make_files(args.files, Path(tmp))
        rows = [
            ingest_once(folder, {"workers": w}, f"local process pool, {w} worker(s)")
            for w in args.workers
        ]
    print(report(rows, size))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
