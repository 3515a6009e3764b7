"""Recomputed ascent against the devices' own totals on the real watch files.

    python benchmarks/elevation_accuracy.py [CORPUS_DIR]

Selection (``select``): single-session FIT files whose sport is running, walking or hiking (any sub
sport), with altitude in the records and a device total_ascent of at least 50 m. Prints, per file,
the device ascent, ours (``measure.elevation.recompute``), and a plain 1-m hysteresis on the raw
samples as a baseline, then the median and 90th percentile of the absolute % errors of both.
"""

from __future__ import annotations

import csv
import sys
from dataclasses import dataclass
from pathlib import Path

import numpy as np

from ingest.decode.decoder import decode
from ingest.measure.elevation import hysteresis_totals, recompute

ROOT = Path(__file__).resolve().parent.parent
DEFAULT_CORPUS = ROOT.parent / "shared" / "corpus"
SPORTS = {"running", "walking", "hiking"}
MIN_ASCENT_M = 50.0


@dataclass(frozen=True)
class Row:
    file: str
    device: str
    device_ascent_m: float
    recomputed_m: float
    baseline_m: float
    mode: str

    @property
    def error_pct(self) -> float:
        return abs(self.recomputed_m - self.device_ascent_m) / self.device_ascent_m * 100

    @property
    def baseline_error_pct(self) -> float:
        return abs(self.baseline_m - self.device_ascent_m) / self.device_ascent_m * 100


def select(corpus: Path) -> list[dict[str, str]]:
    with (corpus / "truth.csv").open(newline="") as f:
        rows = list(csv.DictReader(f))
    return [
        r
        for r in rows
        if r["format"] == "fit"
        and r["file"].startswith("fit/")
        and r["n_sessions"] == "1"
        and r["sport"] in SPORTS
        and r["has_any_altitude"] == "1"
        and r["total_ascent"]
        and float(r["total_ascent"]) >= MIN_ASCENT_M
    ]


def measure(corpus: Path) -> list[Row]:
    out = []
    for r in select(corpus):
        path = corpus / r["file"]
        track = decode(path.read_bytes(), path.name)
        profile = recompute(track.frame, track.device.barometric)
        raw = track.frame["altitude_m"].dropna().to_numpy(dtype=float)
        baseline, _ = hysteresis_totals(raw, 1.0)
        out.append(
            Row(
                file=r["file"],
                device=track.device.label or "?",
                device_ascent_m=float(r["total_ascent"]),
                recomputed_m=profile.ascent_m if profile else 0.0,
                baseline_m=baseline,
                mode=profile.mode if profile else "-",
            )
        )
    return out


def stats(errors: list[float]) -> tuple[float, float]:
    return float(np.median(errors)), float(np.percentile(errors, 90))


def main(argv: list[str]) -> int:
    corpus = Path(argv[1]) if len(argv) > 1 else DEFAULT_CORPUS
    rows = measure(corpus)
    print(
        f"{'file':44} {'device':22} {'mode':10} {'dev m':>6} {'ours m':>7} {'err %':>6} "
        f"{'1m-hyst m':>9} {'err %':>6}"
    )
    for r in rows:
        print(
            f"{r.file:44} {r.device[:22]:22} {r.mode:10} {r.device_ascent_m:6.0f} "
            f"{r.recomputed_m:7.0f} {r.error_pct:6.1f} "
            f"{r.baseline_m:9.0f} {r.baseline_error_pct:6.1f}"
        )
    ours = stats([r.error_pct for r in rows])
    base = stats([r.baseline_error_pct for r in rows])
    print(
        f"\n{len(rows)} files   ours: median {ours[0]:.1f} %, p90 {ours[1]:.1f} %   "
        f"1-m hysteresis: median {base[0]:.1f} %, p90 {base[1]:.1f} %"
    )
    return 0


if __name__ == "__main__":
    raise SystemExit(main(sys.argv))
