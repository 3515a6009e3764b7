"""The ``legday`` command line: thin handlers over the store, bulk ingest and the recommender.

To add a subcommand: write ``_add_<name>(sub)`` that registers its arguments and
``handler=_cmd_<name>``, and call it from ``build_parser()``. A handler takes the parsed arguments
and a ``Cli`` (settings, console, store) and returns the exit code.
"""

from __future__ import annotations

import argparse
import json
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, timedelta
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo

from rich.console import Console
from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeElapsedColumn
from rich.table import Table
from sqlalchemy.exc import SQLAlchemyError

from api.cli.render import render_plan
from api.cli.sync import add_sync
from api.deps import token_expiry
from api.plans import athlete_plan, athlete_weeks, week_start_of
from api.settings import Settings
from ingest.store import AthleteRecord, Store
from ingest.sync.bulk import BulkReport, BulkRow, ingest_paths
from ingest.sync.executors import executor_factory

SAMPLE_DATA = Path(__file__).resolve().parents[2] / "sample_data"
EXIT_FAILED_FILES = 1
EXIT_USAGE = 2


class CliError(Exception):
    """A user error: printed without a traceback, exit code 2."""


@dataclass
class Cli:
    settings: Settings
    console: Console
    clock: Callable[[], datetime] = field(default=lambda: datetime.now(UTC))
    _store: Store | None = None

    def store(self, *, upgrade: bool = True) -> Store:
        """The store named by the settings, its schema brought up to date (explicitly, here)."""
        if self._store is None:
            try:
                self._store = Store(self.settings.database_url, self.settings.data_dir)
                if upgrade:
                    self._store.upgrade()
            except (OSError, SQLAlchemyError) as exc:  # full disk, no permission, server down
                self._store = None
                reason = getattr(exc, "orig", None) or exc
                raise CliError(
                    f"cannot open the store at {_redacted(self.settings)}: {reason}"
                ) from exc
        return self._store

    def athlete(self, name: str) -> AthleteRecord:
        athlete = self.store().athlete_by_name(name)
        if athlete is None:
            raise CliError(f"no athlete named {name!r}; create one: legday athletes create {name}")
        return athlete

    def today(self, athlete: AthleteRecord) -> date:
        return self.clock().astimezone(ZoneInfo(athlete.timezone)).date()

    def close(self) -> None:
        if self._store is not None:
            self._store.dispose()


Handler = Callable[[argparse.Namespace, Cli], int]


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="legday", description="Trail-running watch files in, the week's strength plan out."
    )
    parser.add_argument("--data-dir", type=Path, help="data directory (env LEGDAY_DATA_DIR)")
    parser.add_argument("--database-url", help="database URL (env LEGDAY_DATABASE_URL)")
    sub = parser.add_subparsers(dest="command", required=True, metavar="COMMAND")
    _add_ingest(sub)
    _add_athletes(sub)
    _add_reprocess(sub)
    _add_db(sub)
    _add_demo(sub)
    _add_recommend(sub)
    add_sync(sub)
    _add_serve(sub)
    return parser


def _add_serve(sub: Any) -> None:
    p = sub.add_parser("serve", help="run the API, the dashboard and the folder-sync scheduler")
    p.add_argument("--host", help="listen address (env LEGDAY_HOST, default 127.0.0.1)")
    p.add_argument("--port", type=int, help="listen port (env LEGDAY_PORT, default 8000)")
    p.add_argument("--parse-workers", type=int, default=2, help="parser processes (0: threads)")
    p.add_argument(
        "--workers",
        type=int,
        default=1,
        help="API worker processes on the port (more than 1: no scheduler, run `legday sync`)",
    )
    p.add_argument(
        "--no-scheduler",
        action="store_true",
        help="never run the folder-sync scheduler here (`legday sync` runs it)",
    )
    p.add_argument("--no-access-log", action="store_true", help="no line per request")
    p.set_defaults(handler=_cmd_serve)


def _cmd_serve(args: argparse.Namespace, cli: Cli) -> int:
    import os

    from api.app import serve
    from api.sync_config import from_environment

    jobs = () if args.no_scheduler else from_environment(os.environ)
    if args.workers > 1 and jobs:
        raise CliError(
            f"--workers {args.workers} would run the sync scheduler in every worker: run "
            "`legday sync` as its own process and start the API with --no-scheduler"
        )
    cli.store()  # brings the schema up to date, explicitly, before the server starts
    cli.close()
    overrides = {k: v for k, v in (("host", args.host), ("port", args.port)) if v is not None}
    settings = cli.settings.model_copy(update=overrides)
    serve(
        settings,
        parse_workers=args.parse_workers,
        sync_jobs=jobs,
        workers=max(1, args.workers),
        access_log=not args.no_access_log,
    )
    return 0


def _add_ingest(sub: Any) -> None:
    p = sub.add_parser("ingest", help="ingest FIT/GPX files and folders for an athlete")
    p.add_argument("paths", nargs="+", type=Path, metavar="PATH")
    p.add_argument("--athlete", required=True, metavar="NAME")
    p.add_argument("--workers", type=int, default=None, help="parser processes (0: in-process)")
    p.add_argument(
        "--dask-scheduler", metavar="ADDR", help="parse on this Dask cluster (tcp://host:8786)"
    )
    p.set_defaults(handler=_cmd_ingest)


def _add_athletes(sub: Any) -> None:
    p = sub.add_parser("athletes", help="manage athletes")
    actions = p.add_subparsers(dest="action", required=True, metavar="ACTION")
    create = actions.add_parser("create", help="create an athlete and print their token once")
    create.add_argument("name")
    create.add_argument("--timezone", default="UTC", help="IANA time zone, e.g. Europe/Zurich")
    create.add_argument("--week-start", default="monday", choices=["monday", "saturday", "sunday"])
    create.set_defaults(handler=_cmd_athletes_create)
    listing = actions.add_parser("list", help="list athletes")
    listing.set_defaults(handler=_cmd_athletes_list)


def _add_reprocess(sub: Any) -> None:
    p = sub.add_parser("reprocess", help="recompute every summary from the stored raw files")
    p.add_argument("--stale-only", action="store_true", help="only older parser versions")
    p.set_defaults(handler=_cmd_reprocess)


def _add_db(sub: Any) -> None:
    p = sub.add_parser("db", help="database maintenance")
    actions = p.add_subparsers(dest="action", required=True, metavar="ACTION")
    actions.add_parser("upgrade", help="apply the Alembic migrations").set_defaults(
        handler=_cmd_db_upgrade
    )


def _add_demo(sub: Any) -> None:
    p = sub.add_parser("demo", help="load the sample athlete and print this week's plan")
    p.add_argument("--sample-data", type=Path, default=SAMPLE_DATA)
    p.add_argument("--workers", type=int, default=None)
    p.set_defaults(handler=_cmd_demo)


def _add_recommend(sub: Any) -> None:
    p = sub.add_parser("recommend", help="print an athlete's plan for a week")
    p.add_argument("--athlete", required=True, metavar="NAME")
    p.add_argument("--week", type=date.fromisoformat, help="a date in the week (default: today)")
    p.add_argument("--json", action="store_true", help="print WeekPlan.to_dict() as JSON")
    p.set_defaults(handler=_cmd_recommend)


def main(
    argv: Sequence[str] | None = None,
    *,
    settings: Settings | None = None,
    console: Console | None = None,
    clock: Callable[[], datetime] | None = None,
) -> int:
    args = build_parser().parse_args(argv)
    cli = Cli(_settings(args, settings), console or Console(), clock or (lambda: datetime.now(UTC)))
    try:
        handler: Handler = args.handler
        return handler(args, cli)
    except CliError as exc:
        cli.console.print(f"[red]error:[/red] {exc}", highlight=False)
        return EXIT_USAGE
    finally:
        cli.close()


def _settings(args: argparse.Namespace, given: Settings | None) -> Settings:
    overrides: dict[str, Any] = {}
    if args.data_dir is not None:
        overrides["data_dir"] = args.data_dir
    if args.database_url:
        overrides["database_url"] = args.database_url
    if given is None:
        return Settings(**overrides)
    if not overrides:
        return given
    return Settings(**{**given.model_dump(exclude={"database_url"}), **overrides})


# --- handlers ------------------------------------------------------------------------------------


def _cmd_ingest(args: argparse.Namespace, cli: Cli) -> int:
    athlete = cli.athlete(args.athlete)
    report = run_ingest(
        cli, athlete, args.paths, workers=args.workers, dask_scheduler=args.dask_scheduler
    )
    print_report(cli.console, report)
    return EXIT_FAILED_FILES if report.failed else 0


def _cmd_athletes_create(args: argparse.Namespace, cli: Cli) -> int:
    store = cli.store()
    if store.athlete_by_name(args.name) is not None:
        raise CliError(f"an athlete named {args.name!r} already exists")
    athlete, token = store.create_athlete(
        args.name,
        timezone=args.timezone,
        week_start=args.week_start,
        token_expires_at=token_expiry(cli.settings, cli.clock),
    )
    cli.console.print(f"created athlete {athlete.name!r} (id {athlete.id})", highlight=False)
    cli.console.print("token (shown once, keep it):", highlight=False)
    cli.console.print(token, highlight=False, soft_wrap=True)
    return 0


def _cmd_athletes_list(args: argparse.Namespace, cli: Cli) -> int:
    table = Table("id", "name", "timezone", "week start", title="athletes")
    for a in cli.store().list_athletes():
        table.add_row(str(a.id), a.name, a.timezone, a.week_start)
    cli.console.print(table)
    return 0


def _cmd_reprocess(args: argparse.Namespace, cli: Cli) -> int:
    report = cli.store().reprocess(only_stale=args.stale_only)
    cli.console.print(
        f"reprocessed {report.total}: {report.updated} updated, {report.failed} failed, "
        f"{report.missing_blob} raw files missing",
        highlight=False,
    )
    for activity_id, reason in report.failures:
        cli.console.print(f"  activity {activity_id}: {reason}", highlight=False, soft_wrap=True)
    return EXIT_FAILED_FILES if report.failures else 0


def _cmd_db_upgrade(args: argparse.Namespace, cli: Cli) -> int:
    cli.store(upgrade=True)
    cli.console.print(f"database is at the latest schema ({_redacted(cli.settings)})")
    return 0


def _cmd_demo(args: argparse.Namespace, cli: Cli) -> int:
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
    render_plan(cli.console, athlete, make_plan(cli, athlete, coming, as_of=coming).to_dict())
    return EXIT_FAILED_FILES if report.failed else 0


def _cmd_recommend(args: argparse.Namespace, cli: Cli) -> int:
    athlete = cli.athlete(args.athlete)
    day = args.week or cli.today(athlete)
    if args.json:
        plan = make_plan(cli, athlete, day)
        # raw text, no rich wrapping or markup: pipeable into jq
        cli.console.file.write(json.dumps(plan.to_dict(), indent=2, ensure_ascii=False) + "\n")
        return 0
    print_plan(cli, athlete, day)
    return 0


# --- the pieces the handlers share ---------------------------------------------------------------


def run_ingest(
    cli: Cli,
    athlete: AthleteRecord,
    paths: Sequence[Path],
    *,
    workers: int | None,
    dask_scheduler: str | None = None,
) -> BulkReport:
    columns = (TextColumn("ingesting"), BarColumn(), MofNCompleteColumn(), TimeElapsedColumn())
    with Progress(*columns, console=cli.console, transient=True) as progress:
        task = progress.add_task("ingest", total=None)

        def tick(row: BulkRow, done: int, total: int) -> None:
            progress.update(task, completed=done, total=total)

        return ingest_paths(
            cli.store(),
            athlete.id,
            paths,
            athlete.metrics_profile(),
            workers=workers,
            executor_factory=executor_factory(workers, dask_scheduler),
            progress=tick,
            max_bytes=cli.settings.max_upload_bytes,
            max_inflated=cli.settings.max_inflated_bytes,
        )


def print_report(console: Console, report: BulkReport, *, list_failures_only: bool = False) -> None:
    totals = Table("ingested", "duplicate", "failed", "files/s", title="ingest")
    totals.add_row(
        str(report.count("ingested")),
        str(report.count("duplicate")),
        str(report.count("failed")),
        f"{report.files_per_s:.1f}",
    )
    console.print(totals)
    rows = report.failed if list_failures_only else report.rows
    if not rows:
        return
    table = Table("file", "status", "activity", "reason or note", title="files")
    for r in rows:
        activity = "" if r.activity_id is None else str(r.activity_id)
        if r.duplicate_of is not None and r.duplicate_of != r.activity_id:
            activity += f" (duplicate of {r.duplicate_of})"
        style = {"failed": "red", "duplicate": "yellow"}.get(r.status)
        table.add_row(str(r.path), r.status, activity, r.reason or "", style=style)
    console.print(table)


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


def make_plan(cli: Cli, athlete: AthleteRecord, day: date, *, as_of: date | None = None) -> Any:
    """The recommender's WeekPlan for the week holding ``day``, as of ``as_of`` (default today)."""
    return athlete_plan(cli.store(), athlete, day, as_of or cli.today(athlete))


def print_plan(cli: Cli, athlete: AthleteRecord, day: date) -> None:
    render_plan(cli.console, athlete, make_plan(cli, athlete, day).to_dict())


def print_weeks(cli: Cli, athlete: AthleteRecord, day: date, *, count: int = 6) -> None:
    weeks = athlete_weeks(cli.store(), athlete, end=day, count=count)
    table = Table("week", "km", "ascent m", "descent m", "D−eff m", "runs", "ACWR", title="weeks")
    for w in weeks:
        acwr = "" if w["acwr"] is None else f"{w['acwr']:.2f}"
        table.add_row(
            str(w["week_start"]),
            f"{w['distance_km']:.1f}",
            f"{w['ascent_m']:.0f}",
            f"{w['descent_m']:.0f}",
            f"{w['descent_load_m']:.0f}",
            str(w["runs"]),
            acwr,
        )
    cli.console.print(table)


def _redacted(settings: Settings) -> str:
    url = settings.database_url
    return url.split("@")[-1] if "@" in url else url
