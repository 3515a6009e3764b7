"""The sample athlete's season, planned week by week, as a coach would read it.

Run: ``python benchmarks/sample_plans.py [--workers N] [--full WEEK ...]`` from the repository
root. It takes the real path: the FIT/GPX files in ``sample_data/athlete/`` go through the bulk
ingest (``ingest.pipeline.parse_activity`` in a process pool, the ``Store`` in a temporary SQLite
data directory, its dedup rule), the strength log and check-ins through the store, and each week is
planned by ``api.plans.plan_for`` exactly as ``legday recommend`` does.

Weeks planned: the 12 weeks of data, each as of its own first day (planning the coming week from
what was run before), then the weeks up to and after the race in ``profile.json``, as of the day
after the data ends (nothing later is known). Prints one row per week and the full rationale of
the weeks that show the recommender's judgement (long run moved, novel descent, taper, race week).
"""

from __future__ import annotations

import argparse
import json
import sys
import tempfile
import time
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date, timedelta
from pathlib import Path
from typing import Any

import pandas as pd

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from api.plans import plan_for  # noqa: E402
from ingest.store import AthleteRecord, CheckinRecord, Store, StrengthRecord  # noqa: E402
from ingest.sync.bulk import ingest_paths  # noqa: E402
from recommender.types import WeekPlan  # noqa: E402

SAMPLE = ROOT / "sample_data"
FIRST_WEEK = date(2026, 9, 7)
DATA_WEEKS = 12
WEEKS_AFTER = 4  # peak, pre-taper, race week, post race
INTERESTING = (date(2026, 10, 5), date(2026, 11, 2), date(2026, 12, 14))


@dataclass(frozen=True)
class SampleAthlete:
    """The sample athlete as the store hands it to the recommender."""

    activities: pd.DataFrame
    athlete: AthleteRecord
    strength: tuple[StrengthRecord, ...]
    checkins: tuple[CheckinRecord, ...]
    files: int
    duplicates: int
    ingest_s: float


def _entries(path: Path) -> list[dict[str, Any]]:
    data = json.loads(path.read_text(encoding="utf-8"))
    return list(data["entries"])


def load_sample(data_dir: Path, *, sample: Path = SAMPLE, workers: int = 2) -> SampleAthlete:
    """Ingest the sample athlete into a fresh store under ``data_dir`` and read it back."""
    started = time.perf_counter()
    store = Store(None, data_dir)
    try:
        store.upgrade()
        profile = json.loads((sample / "profile.json").read_text(encoding="utf-8"))
        athlete, _ = store.create_athlete(profile.pop("name"), **profile)
        report = ingest_paths(
            store, athlete.id, [sample / "athlete"], athlete.metrics_profile(), workers=workers
        )
        if report.failed:
            first = report.failed[0]
            raise RuntimeError(
                f"{len(report.failed)} sample files failed: {first.path.name}: {first.reason}"
            )
        for e in _entries(sample / "strength_log.json"):
            store.add_strength(athlete.id, date.fromisoformat(e["date"]), e["exercise"], e["sets"])
        for c in _entries(sample / "checkins.json"):
            store.add_checkin(
                athlete.id,
                date.fromisoformat(c["date"]),
                sleep_hours=c.get("sleep_hours"),
                soreness=c.get("soreness"),
                note=c.get("note"),
            )
        frame = store.activities_frame(athlete.id)
        return SampleAthlete(
            activities=frame,
            athlete=athlete,
            strength=tuple(store.list_strength(athlete.id)),
            checkins=tuple(store.list_checkins(athlete.id)),
            files=len(report.rows),
            duplicates=len(report.rows) - len(frame),
            ingest_s=time.perf_counter() - started,
        )
    finally:
        store.dispose()


def season_weeks() -> list[tuple[date, date]]:
    """(week_start, as_of) of every week planned: data weeks as of their own start, later weeks
    as of the day after the data ends."""
    data_end = FIRST_WEEK + timedelta(weeks=DATA_WEEKS)
    starts = [FIRST_WEEK + timedelta(weeks=i) for i in range(DATA_WEEKS + WEEKS_AFTER)]
    return [(s, min(s, data_end)) for s in starts]


def plan_season(sample: SampleAthlete) -> list[WeekPlan]:
    return [
        plan_for(
            sample.activities,
            sample.athlete,
            sample.strength,
            sample.checkins,
            week_start=start,
            as_of=as_of,
        )
        for start, as_of in season_weeks()
    ]


def weekday_of(d: date | None) -> str:
    return "—" if d is None else f"{d:%a}".lower()


def table_row(plan: WeekPlan) -> dict[str, str]:
    """One line of the coach's table."""
    i, t = plan.inputs, plan.totals
    change = t.change_vs_last_week_pct
    rules = dict.fromkeys(r.rule for r in plan.rationale)
    return {
        "week": plan.week_start.isoformat(),
        "phase": plan.phase,
        "LR": (i.long_run_day or "—")[:3],
        "hard": ",".join(d[:3] for d in i.hard_days) or "—",
        "heavy": weekday_of(plan.heavy_leg_day),
        "hvy sets": str(t.heavy_sets),
        "sets": str(t.sets),
        "chg %": "—" if change is None else f"{change:+.0f}",
        "ACWR": "—" if i.acwr is None else f"{i.acwr:.2f}",
        "novel D−": ",".join(f"{d:%m-%d}" for d in i.novel_descent_dates) or "—",
        "rules": " ".join(rules),
    }


def print_table(plans: Sequence[WeekPlan]) -> None:
    rows = [table_row(p) for p in plans]
    cols = list(rows[0])
    width = {c: max(len(c), *(len(r[c]) for r in rows)) for c in cols}
    print("  ".join(c.ljust(width[c]) for c in cols))
    for r in rows:
        print("  ".join(r[c].ljust(width[c]) for c in cols))


def print_full(plan: WeekPlan) -> None:
    print(f"\n=== week of {plan.week_start} (as of {plan.as_of}): {plan.phase}, heavy ", end="")
    print(f"{weekday_of(plan.heavy_leg_day)} ===")
    for s in plan.sessions:
        items = ", ".join(f"{e.name} {e.sets}×{e.reps or f'{e.seconds}s'}" for e in s.exercises)
        print(f"  {s.date} {s.kind:<10} {items}" + (f"  [{s.note}]" if s.note else ""))
    for r in plan.rationale:
        print(f"  [{r.rule}] {r.text}")


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--workers", type=int, default=2, help="parse processes (0: inline)")
    parser.add_argument("--full", type=date.fromisoformat, nargs="*", default=list(INTERESTING))
    args = parser.parse_args(argv)
    with tempfile.TemporaryDirectory() as tmp:
        sample = load_sample(Path(tmp), workers=args.workers)
    started = time.perf_counter()
    plans = plan_season(sample)
    plan_s = time.perf_counter() - started
    print(
        f"ingested {sample.files} files → {len(sample.activities)} activities "
        f"({sample.duplicates} duplicate) in {sample.ingest_s:.1f} s; "
        f"planned {len(plans)} weeks in {plan_s:.2f} s ({1000 * plan_s / len(plans):.0f} ms/week)\n"
    )
    print_table(plans)
    for plan in plans:
        if plan.week_start in args.full:
            print_full(plan)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
