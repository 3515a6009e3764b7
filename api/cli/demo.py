"""``legday demo``: the sample athlete's 12 weeks ingested (idempotently), the weekly table, and the
plan for the week after the sample history ends."""

from __future__ import annotations

import argparse
import json
import tempfile
import zipfile
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import date, timedelta
from pathlib import Path
from typing import TYPE_CHECKING, Any

from api.cli import args as types
from api.cli.context import EXIT_FAILED_FILES, Cli, CliError, Subparsers, shell_quote
from api.cli.ingest import print_report, run_ingest
from api.cli.recommend import make_plan, print_plan, print_weeks

if TYPE_CHECKING:
    from ingest.store import AthleteRecord, Store

# A clone (or an editable install): the generator's output in the repository. An installed wheel:
# the copy the build put in the package (setup.py), the activity files zipped.
SAMPLE_DATA = Path(__file__).resolve().parents[2] / "sample_data"
PACKAGED_SAMPLE = Path(__file__).resolve().parents[1] / "sample_data"
ACTIVITIES, ACTIVITIES_ZIP = "athlete", "athlete.zip"


def register(sub: Subparsers) -> None:
    p = sub.add_parser("demo", help="load the sample athlete and print this week's plan")
    p.add_argument(
        "--sample-data",
        type=types.existing_path,
        default=None,
        metavar="DIR",
        help="the sample athlete (default: the one shipped with legday)",
    )
    p.add_argument("--workers", type=types.count(0, 256), default=None)
    p.set_defaults(handler=demo)


def find_sample(given: Path | None) -> Path:
    """The folder with the sample athlete's profile.json and activities."""
    candidates = [given] if given is not None else [SAMPLE_DATA, PACKAGED_SAMPLE]
    for folder in candidates:
        if (folder / "profile.json").is_file() and (
            (folder / ACTIVITIES).is_dir() or (folder / ACTIVITIES_ZIP).is_file()
        ):
            return folder
    raise CliError(
        f"no sample data at {' or '.join(map(str, candidates))} "
        "(a clone has it in sample_data/; pass --sample-data DIR)"
    )


@contextmanager
def activity_folder(sample: Path) -> Iterator[Path]:
    """The sample's activity files as a folder: as they are in a clone, unzipped from the wheel's
    ``athlete.zip`` into a temporary folder otherwise (same files, same names, same order)."""
    if (sample / ACTIVITIES).is_dir():
        yield sample / ACTIVITIES
        return
    with tempfile.TemporaryDirectory(prefix="legday-demo-") as tmp:
        folder = Path(tmp) / ACTIVITIES
        folder.mkdir()
        with zipfile.ZipFile(sample / ACTIVITIES_ZIP) as archive:
            for member in archive.infolist():
                name = Path(member.filename).name  # flat, and never outside the folder
                if member.is_dir() or not name or name.startswith("."):
                    continue
                (folder / name).write_bytes(archive.read(member))
        yield folder


def demo(args: argparse.Namespace, cli: Cli) -> int:
    from api.plans import week_start_of

    sample = find_sample(args.sample_data)
    profile = json.loads((sample / "profile.json").read_text(encoding="utf-8"))
    store = cli.store()
    name = profile.pop("name")
    athlete = store.athlete_by_name(name)
    if athlete is None:
        athlete, _ = store.create_athlete(name, **profile)
        cli.console.print(f"created the sample athlete {name!r}", markup=False, highlight=False)
    else:
        athlete = store.update_athlete(athlete.id, **profile)
    with activity_folder(sample) as folder:
        report = run_ingest(cli, athlete, [folder], workers=args.workers)
    print_report(cli.console, report, list_failures_only=True)
    added = load_logs(store, athlete, sample)
    cli.console.print(
        f"strength log and check-ins: {added} new entries", markup=False, highlight=False
    )
    # The sample history ends on a fixed date: plan the week after it, as of its first day, so the
    # demo reads the same whatever today's date is.
    last = max(a.local_date for a in store.list_activities(athlete.id))
    coming = week_start_of(last + timedelta(days=1), athlete.week_start)
    if coming <= last:
        coming += timedelta(days=7)
    print_weeks(cli, athlete, last, count=12)
    cli.console.print(
        f"the sample history ends {last:%a %d %b %Y}; the plan for the week after it:",
        markup=False,
        highlight=False,
    )
    print_plan(cli, athlete, make_plan(cli, athlete, coming, as_of=coming))
    print_dashboard_hint(cli, athlete.name, args)
    return EXIT_FAILED_FILES if report.failed else 0


def print_dashboard_hint(cli: Cli, name: str, args: argparse.Namespace) -> None:
    """How to open the athlete's dashboard: a token and its sign-in link, from the CLI."""
    flags = f" --data-dir {shell_quote(str(args.data_dir))}" if args.data_dir else ""
    if args.database_url:
        flags += " --database-url …"
    cli.console.print(
        f"\n{name}'s dashboard: start the server (legday{flags} serve), then in another "
        f"terminal print a sign-in link with a new token:\n"
        f"    legday{flags} athletes token {shell_quote(name)}",
        markup=False,
        highlight=False,
        soft_wrap=True,
    )


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
