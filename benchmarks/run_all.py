"""Every ingest benchmark, one after the other; each prints its figures next to a baseline measured
in the same run (fitparse-only decoding, one local worker, or the local process pool).

    python -m benchmarks.run_all           # 1,000-file bulk ingest, 300 files on Dask
    python -m benchmarks.run_all --quick   # 200 and 100 files: a few minutes on a laptop
"""

from __future__ import annotations

import argparse
import time

from benchmarks import bulk_ingest, dask_ingest, fit_pipeline, ultra_file


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=(__doc__ or "").splitlines()[0])
    parser.add_argument("--quick", action="store_true", help="fewer files for the bulk runs")
    args = parser.parse_args(argv)
    bulk, dask = ("200", "100") if args.quick else ("1000", "300")
    runs = [
        ("FIT decode + summarize, corpus/fit, one core", fit_pipeline.main, []),
        ("30-hour ultra FIT file, fresh process each", ultra_file.main, []),
        ("bulk ingest, local process pool", bulk_ingest.main, ["--files", bulk]),
        ("bulk ingest on a loopback Dask cluster", dask_ingest.main, ["--files", dask]),
    ]
    for title, run, run_args in runs:
        print(f"\n== {title}", flush=True)
        started = time.perf_counter()
        run(run_args)
        print(f"({time.perf_counter() - started:.0f} s)", flush=True)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
