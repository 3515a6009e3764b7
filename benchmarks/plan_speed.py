"""How long plan_week takes on 5 years of daily history (target < 50 ms per week planned).

Run: ``python benchmarks/plan_speed.py`` from the repository root. Prints the median and the
best of N runs of a full plan (this week + the previous week dosed for the change figure), and
of the load model alone."""

from __future__ import annotations

import statistics
import sys
import time
from datetime import date, timedelta
from pathlib import Path

import numpy as np
import pandas as pd

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from recommender.load import build_load_model
from recommender.plan import plan_week
from recommender.ratios import snapshot
from recommender.types import Profile, Race

WEEK = date(2025, 6, 2)
YEARS = 5
RUNS = 50


def history(years: int = YEARS, seed: int = 7) -> pd.DataFrame:
    """A runner who runs most days for ``years`` years, with HR on two runs of three."""
    rng = np.random.default_rng(seed)
    days = [WEEK - timedelta(days=i) for i in range(365 * years, 0, -1)]
    days = [d for d in days if rng.random() < 0.8]
    n = len(days)
    km = np.where([d.weekday() == 5 for d in days], rng.uniform(18, 32, n), rng.uniform(6, 14, n))
    ascent = km * rng.uniform(10, 60, n)
    trimp = np.where(rng.random(n) < 0.66, km * rng.uniform(8, 12, n), np.nan)
    return pd.DataFrame(
        {
            "start": pd.to_datetime(days).tz_localize("UTC") + pd.Timedelta(hours=7),
            "local_date": days,
            "sport": "trail_run",
            "duration_s": km * 380,
            "moving_s": km * 360,
            "distance_m": km * 1000,
            "ascent_m": ascent,
            "descent_m": ascent,
            "descent_load_m": ascent * rng.uniform(0.4, 0.9, n),
            "km_effort": km + ascent / 100,
            "trimp": trimp,
            "avg_hr": np.where(np.isnan(trimp), np.nan, rng.uniform(130, 165, n)),
            "max_hr": np.where(np.isnan(trimp), np.nan, 185.0),
        }
    )


def timed(fn: object, runs: int = RUNS) -> list[float]:
    out = []
    for _ in range(runs):
        t = time.perf_counter()
        fn()  # type: ignore[operator]
        out.append((time.perf_counter() - t) * 1000)
    return out


def main() -> None:
    df = history()
    profile = Profile(races=(Race(WEEK + timedelta(days=60), "ultra", 80, 4000),), hr_max=185)
    plan_week(df, profile, week_start=WEEK, as_of=WEEK)  # warm imports and caches
    load = timed(lambda: snapshot(build_load_model(df, as_of=WEEK)))
    plan = timed(lambda: plan_week(df, profile, week_start=WEEK, as_of=WEEK))
    print(f"history: {len(df)} activities over {YEARS} years ({365 * YEARS} days)")
    print(
        f"load model + snapshot: median {statistics.median(load):.1f} ms, best {min(load):.1f} ms"
    )
    print(
        f"plan_week (2 weeks dosed): median {statistics.median(plan):.1f} ms, "
        f"best {min(plan):.1f} ms  (target < 50 ms)"
    )


if __name__ == "__main__":
    main()
