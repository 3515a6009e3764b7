"""The same recommendation computed by the pure recommender alone and through the API: what the
store read, the JSON and HTTP add, and what the plan cache takes away.

Run: ``python benchmarks/recommend_pure_vs_api.py`` from the repository root. The athlete is
``api_latency``'s (five years, ~1,500 activity summaries, SQLite). Timed in one run, one client,
medians and p99 of the same number of calls:

- pure: ``plan_week`` on the activity frame, profile and logs already in memory (the baseline);
- store + pure: what a cache miss costs in-process (read the frame and logs, plan);
- store + pure + JSON: the same, serialised through the response model;
- HTTP, cache off / on: GET /v1/recommendation on a real ``legday serve`` (keep-alive).
"""

from __future__ import annotations

import argparse
import os
import sys
import tempfile
import time
from collections.abc import Callable
from datetime import UTC, datetime
from pathlib import Path

import numpy as np

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE.parent))
sys.path.insert(0, str(HERE))

from api_latency import legday_serve, measure, seed  # noqa: E402

from api.plans import (  # noqa: E402
    athlete_plan,
    plan_for,
    week_start_of,
)
from api.routers.recommendation import plan_json  # noqa: E402
from ingest.store import Store  # noqa: E402


def timed(fn: Callable[[], object], runs: int) -> tuple[float, float]:
    fn()  # warm
    out = []
    for _ in range(runs):
        t = time.perf_counter()
        fn()
        out.append((time.perf_counter() - t) * 1000)
    values = np.asarray(out)
    return float(np.percentile(values, 50)), float(np.percentile(values, 99))


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=40)
    args = parser.parse_args(argv)
    print(f"machine: {os.cpu_count()} cores; {args.runs} calls each")
    with tempfile.TemporaryDirectory(prefix="legday-bench-") as tmp:
        data_dir = Path(tmp)
        store = Store(None, data_dir)
        store.upgrade()
        athlete_id, token, n = seed(store, datetime.now(UTC).date())
        athlete = store.get_athlete(athlete_id)
        assert athlete is not None
        from zoneinfo import ZoneInfo

        today = datetime.now(ZoneInfo(athlete.timezone)).date()
        week = week_start_of(today, athlete.week_start)
        frame = store.activities_frame(athlete_id)
        strength = store.list_strength(athlete_id, end=today)
        checkins = store.list_checkins(athlete_id, end=today)
        print(f"history: {n} activities written, {len(frame)} counted primaries in the frame")

        def pure() -> object:
            return plan_for(frame, athlete, strength, checkins, week_start=week, as_of=today)

        rows = {
            "pure plan_week (baseline)": timed(pure, args.runs),
            "store read + plan": timed(
                lambda: athlete_plan(store, athlete, week, today), args.runs
            ),
            "store read + plan + JSON": timed(
                lambda: plan_json(store, athlete, week, today), args.runs
            ),
            "store read: activity frame": timed(
                lambda: store.activities_frame(athlete_id), args.runs
            ),
        }
        store.dispose()
        for variant, env in (
            ("HTTP, cache off", {"LEGDAY_PLAN_CACHE_SIZE": "0"}),
            ("HTTP, cache on", {}),
        ):
            with legday_serve(data_dir, "", extra_env=env) as url:
                stats = measure(url, "/v1/recommendation", token, 1, args.runs)
                rows[variant] = (stats.p50_ms, stats.p99_ms)
    base = rows["pure plan_week (baseline)"][0]
    print(f"\n{'':28} {'p50 ms':>8} {'p99 ms':>8}  p50 vs pure")
    for name, (p50, p99) in rows.items():
        print(f"{name:28} {p50:8.1f} {p99:8.1f}  {p50 / base:5.2f}×")


if __name__ == "__main__":
    main()
