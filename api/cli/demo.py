"""``legday demo``: the sample athlete's 12 weeks ingested (idempotently), the weekly table, and the
plan for the week after the sample history ends."""

from __future__ import annotations

import argparse
import json
from datetime import date, timedelta
from pathlib import Path
from typing import TYPE_CHECKING, Any

from api.cli.context import EXIT_FAILED_FILES, Cli, CliError, Subparsers
from api.cli.ingest import print_report, run_ingest
from api.cli.recommend import make_plan, print_plan, print_weeks

if TYPE_CHECKING:
    from ingest.store import AthleteRecord, Store

SAMPLE_DATA = Path(__file__).resolve().parents[2] / "sample_data"


def register(sub: Subparsers) -> None:
    p = sub.add_parser("demo", help="load the sample athlete and print this week's plan")
    p.add_argument("--sample-data", type=Path, default=SAMPLE_DATA)
    p.add_argument("--workers", type=int, default=None)
    p.set_defaults(handler=demo)


def demo(args: argparse.Namespace, cli: Cli) -> int:
    from api.plans import week_start_of

    sample: Path = args.sample_data
    if not (sample / "profile.json").is_file():
        raise CliError(f"no sample data at {sample} (run from a clone, or pass --sample-data DIR)")
    profile = json.loads((sample / "profile.json").read_text(encoding="utf-8"))
    store = cli.store()
    name = profile.pop("name")
    athlete = store.athlete_by_name(name)
    if athlete is None:
        athlete, _ = store.create_athlete(name, **profile)
        cli.console.print(f"created the sample athlete {name!r}", highlight=False)
    else:
        athlete = store.update_athlete(athlete.id, **profile)
    report = run_ingest(cli, athlete, [sample / "athlete"], workers=args.workers)
    print_report(cli.console, report, list_failures_only=True)
    added = load_logs(store, athlete, sample)
    cli.console.print(f"strength log and check-ins: {added} new entries", highlight=False)
    # The sample history ends on a fixed date: plan the week after it, as of its first day, so the
    # demo reads the same whatever today's date is.
    last = max(a.local_date for a in store.list_activities(athlete.id))
    coming = week_start_of(last + timedelta(days=1), athlete.week_start)
    if coming <= last:
        coming += timedelta(days=7)
    print_weeks(cli, athlete, last, count=12)
    cli.console.print(
        f"the sample history ends {last:%a %d %b %Y}; the plan for the week after it:",
        highlight=False,
    )
    print_plan(cli, athlete, make_plan(cli, athlete, coming, as_of=coming))
    return EXIT_FAILED_FILES if report.failed else 0


def load_logs(store: Store, athlete: AthleteRecord, sample: Path) -> int:
    """The sample strength log and check-ins, skipping entries already there (idempotent)."""
    added = 0
    strength = _entries(sample / "strength_log.json")
    have = {(e.date, e.exercise) for e in store.list_strength(athlete.id)}
    for e in strength:
        key = (date.fromisoformat(e["date"]), e["exercise"])
        if key not in have:
            store.add_strength(athlete.id, key[0], key[1], e["sets"])
            have.add(key)
            added += 1
    seen = {c.date for c in store.list_checkins(athlete.id)}
    for c in _entries(sample / "checkins.json"):
        day = date.fromisoformat(c["date"])
        if day not in seen:
            store.add_checkin(
                athlete.id,
                day,
                sleep_hours=c.get("sleep_hours"),
                soreness=c.get("soreness"),
                note=c.get("note"),
            )
            seen.add(day)
            added += 1
    return added


def _entries(path: Path) -> list[dict[str, Any]]:
    if not path.is_file():
        return []
    data = json.loads(path.read_text(encoding="utf-8"))
    entries: list[dict[str, Any]] = data["entries"] if isinstance(data, dict) else data
    return entries
