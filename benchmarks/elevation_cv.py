"""The elevation settings chosen by leave-one-device-out cross-validation, and the error they
make on devices they were not fitted on.

    python -m benchmarks.elevation_cv [CORPUS_DIR]

Cases: the files of ``elevation_accuracy.select`` (single-session running, walking and hiking FIT
files with altitude and a device ascent of at least 50 m) and the running, walking and hiking
sessions of at least 50 m of multisport files (``truth_sessions.csv``: the samples between the
session's start and its end), grouped by the device that recorded them. The fit: every
combination of ``GRID`` (running median, mean window, threshold floor, noise factor) is scored on
a set of cases by the mean of |recomputed − device| / max(device, 150 m) — a percentage above
150 m, an absolute error against 150 m below it — and the best wins. Each device in turn is left
out, the settings are fitted on the others, and its files are measured with them: that is the
cross-validated error, what a device legday has not seen can expect. The in-sample error
(settings fitted on every device) and the shipped settings' error are printed beside it.

Only the modes the cases use are fitted (every case in the corpus reads as barometric: quiet
samples, or a device known to have a barometer); the GPS mode keeps its settings.
"""

from __future__ import annotations

import csv
import itertools
import sys
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np
import pandas as pd

from benchmarks.elevation_accuracy import DEFAULT_CORPUS, MIN_ASCENT_M, SPORTS, select
from ingest.decode.decoder import decode
from ingest.measure.elevation import (
    SETTINGS,
    Mode,
    Smoothing,
    choose_mode,
    hysteresis_totals,
    median_step_s,
    sample_noise_m,
    smooth,
    threshold_m,
)

GRID: tuple[Smoothing, ...] = tuple(
    Smoothing(median, window, floor, factor)
    for median, window, floor, factor in itertools.product(
        (1, 5, 9, 15), (0.0, 10.0, 20.0, 30.0, 45.0, 60.0), (0.3, 0.6, 1.0, 1.5, 2.0, 3.0),
        (2.0, 3.0, 4.0, 6.0),
    )
)  # fmt: skip
SMALL_M = 150.0  # below this device ascent, errors are judged in metres
TARGET_PCT = (3.0, 10.0)  # median, p90
TARGET_SMALL_M = 15.0


@dataclass
class Case:
    file: str
    device: str
    device_ascent_m: float
    mode: Mode
    time: pd.Series
    altitude: pd.Series
    noise_m: float
    step_s: float
    _smoothed: dict[tuple[int, float], np.ndarray] = field(default_factory=dict, repr=False)

    def ascent_m(self, settings: Smoothing) -> float:
        key = (settings.median_samples, settings.window_s)
        if key not in self._smoothed:
            self._smoothed[key] = smooth(self.time, self.altitude, key[1], key[0]).to_numpy()
        threshold = threshold_m(self.noise_m, self.step_s, settings)
        up, _ = hysteresis_totals(self._smoothed[key], threshold)
        return up

    def error(self, ascent_m: float) -> float:
        """Signed error, % of the device's ascent."""
        return (ascent_m - self.device_ascent_m) / self.device_ascent_m * 100

    def outside(self, ascent_m: float) -> bool:
        """Outside the target: > 10 % at or above 150 m, > 15 m below it."""
        miss = abs(ascent_m - self.device_ascent_m)
        if self.device_ascent_m < SMALL_M:
            return miss > TARGET_SMALL_M
        return miss / self.device_ascent_m * 100 > TARGET_PCT[1]


def cases(corpus: Path) -> list[Case]:
    found = [_case(corpus, row["file"], float(row["total_ascent"])) for row in select(corpus)]
    with (corpus / "truth_sessions.csv").open(newline="") as f:
        sessions = [r for r in csv.DictReader(f) if r["session_index"] != "0"]
    for row in sessions:
        if row["sport"] in SPORTS and float(row["total_ascent"] or 0) >= MIN_ASCENT_M:
            start = pd.Timestamp(row["start_time_utc"])
            span = (start, start + pd.Timedelta(seconds=float(row["total_elapsed_time"])))
            name = f"{row['file']}#{row['session_index']}"
            found.append(_case(corpus, row["file"], float(row["total_ascent"]), span, name))
    return found


def _case(
    corpus: Path,
    file: str,
    device_ascent_m: float,
    span: tuple[pd.Timestamp, pd.Timestamp] | None = None,
    name: str | None = None,
) -> Case:
    path = corpus / file
    track = decode(path.read_bytes(), path.name)
    rows = track.frame[["time", "altitude_m"]].dropna()
    if span is not None:
        rows = rows[(rows["time"] >= span[0]) & (rows["time"] <= span[1])]
    noise = sample_noise_m(rows["altitude_m"].to_numpy(dtype=float))
    return Case(
        file=name or file,
        device=track.device.label or "?",
        device_ascent_m=device_ascent_m,
        mode=choose_mode(track.device.barometric, noise),
        time=rows["time"],
        altitude=rows["altitude_m"],
        noise_m=noise,
        step_s=median_step_s(rows["time"]),
    )


class Scores:
    """Every case's recomputed ascent under every setting of the grid, computed once."""

    def __init__(self, all_cases: Sequence[Case], grid: Sequence[Smoothing] = GRID):
        self.grid = grid
        self.ascent = {c.file: np.array([c.ascent_m(s) for s in grid]) for c in all_cases}

    def fit(self, chosen_from: Iterable[Case]) -> dict[Mode, Smoothing]:
        """The best setting per mode on ``chosen_from`` (lowest mean loss; ties: grid order)."""
        fitted = dict(SETTINGS)
        by_mode: dict[Mode, list[Case]] = {}
        for case in chosen_from:
            by_mode.setdefault(case.mode, []).append(case)
        for mode, members in by_mode.items():
            errors = [np.abs(self.ascent[c.file] - c.device_ascent_m) for c in members]
            scale = [max(c.device_ascent_m, SMALL_M) for c in members]
            losses = np.mean([e / s for e, s in zip(errors, scale, strict=True)], axis=0)
            fitted[mode] = self.grid[int(np.argmin(losses))]
        return fitted

    def measured(self, case: Case, settings: dict[Mode, Smoothing]) -> float:
        chosen = settings[case.mode]
        if chosen in self.grid:
            return float(self.ascent[case.file][self.grid.index(chosen)])
        return case.ascent_m(chosen)


@dataclass(frozen=True)
class Result:
    case: Case
    held_out: dict[Mode, Smoothing]
    cv_m: float
    in_sample_m: float
    shipped_m: float


def cross_validate(all_cases: Sequence[Case]) -> tuple[list[Result], dict[Mode, Smoothing]]:
    scores = Scores(all_cases)
    everyone = scores.fit(all_cases)
    results = []
    for device in sorted({c.device for c in all_cases}):
        held_out = scores.fit(c for c in all_cases if c.device != device)
        for case in (c for c in all_cases if c.device == device):
            results.append(
                Result(
                    case,
                    held_out,
                    scores.measured(case, held_out),
                    scores.measured(case, everyone),
                    case.ascent_m(SETTINGS[case.mode]),
                )
            )
    return results, everyone


def stats(results: Sequence[Result], which: str) -> tuple[float, float, int]:
    """(median %, p90 %, files outside the target) of |error| for ``which`` figure."""
    values = [getattr(r, which) for r in results]
    errors = [abs(r.case.error(v)) for r, v in zip(results, values, strict=True)]
    outside = sum(r.case.outside(v) for r, v in zip(results, values, strict=True))
    return float(np.median(errors)), float(np.percentile(errors, 90)), outside


def describe(settings: Smoothing) -> str:
    return (
        f"med {settings.median_samples:>2}, {settings.window_s:>2.0f} s, "
        f"≥{settings.min_threshold_m:.1f} m, ×{settings.noise_factor:.0f}"
    )


def main(argv: list[str]) -> int:
    corpus = Path(argv[1]) if len(argv) > 1 else DEFAULT_CORPUS
    results, everyone = cross_validate(cases(corpus))
    print(
        f"{'device left out':24} {'file':48} {'dev m':>6} {'fitted on the others':>28} "
        f"{'CV m':>6} {'CV err':>7} {'in-sample':>9} {'shipped':>8}"
    )
    for r in results:
        c = r.case
        print(
            f"{c.device[:24]:24} {c.file[-48:]:48} {c.device_ascent_m:6.0f} "
            f"{describe(r.held_out[c.mode]):>28} {r.cv_m:6.0f} {c.error(r.cv_m):+6.1f}% "
            f"{c.error(r.in_sample_m):+8.1f}% {c.error(r.shipped_m):+7.1f}%"
        )
    print()
    for label, which in (
        ("cross-validated", "cv_m"),
        ("in-sample", "in_sample_m"),
        ("shipped settings", "shipped_m"),
    ):
        median, p90, outside = stats(results, which)
        print(
            f"{label:18} median {median:4.1f} %, p90 {p90:4.1f} %; outside the target "
            f"(>10 % at ≥150 m, >15 m below): {outside} of {len(results)}"
        )
    fitted = ", ".join(f"{mode}: {describe(s)}" for mode, s in everyone.items())
    print(f"\nfitted on every device: {fitted}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main(sys.argv))
