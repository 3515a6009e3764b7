"""How close the folder sync's batching comes to its parsers' pace, with the CPU taken out: every
parse is a fixed sleep in a pool of 2 threads returning a parse done beforehand, every store is the
real SQLite store. The floor is files × sleep / 2; the excess is time the parsers waited for the
syncing process (batch boundaries, storing, ledger writes).

    python -m benchmarks.sync_pipeline [--files 96] [--parse-ms 40 20]
"""

from __future__ import annotations

import argparse
import tempfile
import time
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path
from typing import Any

from ingest.pipeline import ParsedActivity, parse_activity
from ingest.store import Store
from ingest.sync.job import run_sync
from tests.sync_fixtures import distinct_activities

THREADS = 2


def one_run(files: int, parse_s: float) -> tuple[int, float]:
    with tempfile.TemporaryDirectory(prefix="legday-sync-pipe-") as tmp:
        folder = Path(tmp) / "watch"
        written = distinct_activities(folder, files)
        store = Store(None, Path(tmp) / "data")
        store.upgrade()
        athlete = store.create_athlete("bench")[0].id
        profile = store.get_athlete(athlete).metrics_profile()  # type: ignore[union-attr]
        done = {p.name: parse_activity(p.read_bytes(), p.name, profile) for p in written}

        def parse(data: bytes, name: str, profile: Any, **limits: int) -> ParsedActivity:
            time.sleep(parse_s)
            return done[name]

        try:
            with ThreadPoolExecutor(THREADS) as executor:
                started = time.perf_counter()
                report = run_sync(store, folder, athlete, settle_s=0, executor=executor,
                                  parse=parse)  # fmt: skip
                return report.ingested, time.perf_counter() - started
        finally:
            store.dispose()


def main() -> None:
    parser = argparse.ArgumentParser(description=(__doc__ or "").splitlines()[0])
    parser.add_argument("--files", type=int, default=96)
    parser.add_argument("--parse-ms", type=float, nargs="+", default=[40.0, 20.0])
    args = parser.parse_args()
    for ms in args.parse_ms:
        ingested, wall = one_run(args.files, ms / 1000)
        floor = args.files * ms / 1000 / THREADS
        print(f"parse {ms:5.1f} ms: {ingested} ingested in {wall:5.2f} s, floor {floor:5.2f} s, "
              f"{wall / floor:4.2f}x the floor")  # fmt: skip


if __name__ == "__main__":
    main()
