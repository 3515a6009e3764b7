"""FIT decode + metrics throughput over corpus/fit on one core: legday's decode_fit + summarize
against fitparse-only decoding (the design card's library), both measured in this run.

    python -m benchmarks.fit_pipeline [--corpus DIR] [--repeat N]
"""

from __future__ import annotations

import argparse
from collections.abc import Callable
from contextlib import suppress
from pathlib import Path
from typing import Any

from benchmarks.common import CORPUS, per_s, ratio, timed
from ingest.decode.fit import _decode_with_fitparse, _decode_with_sdk, decode_fit
from ingest.errors import IngestError
from ingest.measure.localtime import _finder
from ingest.measure.metrics import summarize
from ingest.measure.summary import MetricsProfile

PROFILE = MetricsProfile(timezone="Europe/Zurich", hr_rest=50, hr_max=190, sex="male")


def _each(step: Callable[[bytes], Any], files: list[bytes]) -> Callable[[], None]:
    def run() -> None:
        for data in files:
            with suppress(IngestError):  # a file a decoder refuses still counts: it was read
                step(data)

    return run


def _ours(data: bytes) -> None:
    summarize(decode_fit(data), PROFILE, "0" * 64)


def _sdk_then_summarize(data: bytes) -> None:
    summarize(_decode_with_sdk(data), PROFILE, "0" * 64)


def measure(files: list[bytes], repeat: int = 1) -> list[dict[str, Any]]:
    _finder()  # the time-zone finder loads once per process; not part of a file's cost
    size = sum(map(len, files)) / 1e6
    stages = [
        ("fitparse only: decode (baseline)", _decode_with_fitparse),
        ("garmin-fit-sdk only: decode + summarize", _sdk_then_summarize),
        ("legday: decode_fit + summarize", _ours),
    ]
    rows = []
    for label, step in stages:
        seconds = min(timed(_each(step, files)) for _ in range(repeat))
        rows.append(
            {
                "stage": label,
                "files": len(files),
                "mb": round(size, 2),
                "s": round(seconds, 2),
                "files_per_s": round(per_s(len(files), seconds), 1),
                "mb_per_s": round(per_s(size, seconds), 2),
            }
        )
    base = rows[0]["s"]
    for row in rows:
        row["vs_fitparse"] = ratio(base, row["s"])
    return rows


def report(rows: list[dict[str, Any]]) -> str:
    lines = [
        f"{'stage':42s} {'files':>5s} {'MB':>6s} {'s':>7s} {'files/s':>8s} {'MB/s':>6s}  ratio"
    ]
    for r in rows:
        lines.append(
            f"{r['stage']:42s} {r['files']:5d} {r['mb']:6.2f} {r['s']:7.2f} "
            f"{r['files_per_s']:8.1f} {r['mb_per_s']:6.2f}  {r['vs_fitparse']} fitparse"
        )
    return "\n".join(lines)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=(__doc__ or "").splitlines()[0])
    parser.add_argument("--corpus", type=Path, default=CORPUS)
    parser.add_argument("--repeat", type=int, default=1, help="best of N runs per stage")
    args = parser.parse_args(argv)
    files = [p.read_bytes() for p in sorted((args.corpus / "fit").glob("*.fit"))]
    print(report(measure(files, args.repeat)))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
