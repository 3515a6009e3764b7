"""Peak memory and time for a 30-hour 1 Hz ultra-trail FIT file (110,000 records), each decoder in
a fresh process: legday's decode_fit + summarize, against fitparse-only decoding and the Garmin SDK
alone (decode + summarize) on the same file, in this run. Target: legday under 400 MB peak RSS.

    python -m benchmarks.ultra_file [--records N]
"""

from __future__ import annotations

import argparse
from typing import Any

from benchmarks.common import in_fresh_process, ratio, ultra_fit

TARGET_MB = 400.0
_SETUP = """
from pathlib import Path
from ingest.decode.fit import _decode_with_fitparse, _decode_with_sdk, decode_fit
from ingest.measure.localtime import _finder
from ingest.measure.metrics import summarize
from ingest.measure.summary import MetricsProfile
_finder()
data = Path({path!r}).read_bytes()
before = peak_mb()
started = time.perf_counter()
"""
STAGES = {
    "fitparse only: decode (baseline)": "track = _decode_with_fitparse(data)",
    "garmin-fit-sdk only: decode + summarize": (
        "track = _decode_with_sdk(data); summarize(track, MetricsProfile(), '0' * 64)"
    ),
    "legday: decode_fit + summarize": (
        "track = decode_fit(data); summarize(track, MetricsProfile(), '0' * 64)"
    ),
}


def measure(records: int) -> list[dict[str, Any]]:
    path = ultra_fit(records)
    rows = []
    for label, step in STAGES.items():
        code = (
            _SETUP.format(path=str(path))
            + step
            + "\nresult = {'s': time.perf_counter() - started, 'rss_before_mb': before,"
            + " 'samples': len(track.frame)}"
        )
        rows.append({"stage": label, "mb": path.stat().st_size / 1e6, **in_fresh_process(code)})
    return rows


def report(rows: list[dict[str, Any]]) -> str:
    base = rows[0]
    lines = [
        f"ultra file: {base['samples']} samples, {base['mb']:.2f} MB",
        f"{'stage':42s} {'s':>7s} {'speed':>8s} {'peak RSS':>9s} {'imports':>8s} {'decode':>7s}"
        f" {'RSS':>7s}",
    ]
    for r in rows:
        lines.append(
            f"{r['stage']:42s} {r['s']:7.2f} {ratio(base['s'], r['s']):>8s} "
            f"{r['peak_rss_mb']:7.0f}MB {r['rss_before_mb']:6.0f}MB "
            f"{r['peak_rss_mb'] - r['rss_before_mb']:5.0f}MB "
            f"{ratio(r['peak_rss_mb'], base['peak_rss_mb']):>7s}"
        )
    ours = rows[-1]["peak_rss_mb"]
    verdict = "under" if ours < TARGET_MB else "OVER"
    lines.append(f"legday peak RSS {ours:.0f} MB: {verdict} the {TARGET_MB:.0f} MB target")
    lines.append(
        "(speed: x faster than fitparse; RSS: x fitparse's peak; imports: before decoding)"
    )
    return "\n".join(lines)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=(__doc__ or "").splitlines()[0])
    parser.add_argument("--records", type=int, default=110_000)
    args = parser.parse_args(argv)
    print(report(measure(args.records)))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
