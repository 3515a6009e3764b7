"""``legday ingest PATH… --athlete NAME``: files, folders and export zips (read the way the sync
and the upload API read them: ``ingest.sync.sources``) parsed in a pool, written here, with a
progress bar and a summary table of every file and archive member; exit 1 when one failed."""

from __future__ import annotations

import argparse
from collections.abc import Sequence
from pathlib import Path
from typing import TYPE_CHECKING

from api.cli import args as types
from api.cli.context import EXIT_FAILED_FILES, Cli, Subparsers

if TYPE_CHECKING:
    from rich.console import Console

    from ingest.store import AthleteRecord
    from ingest.sync.bulk import BulkReport


def register(sub: Subparsers) -> None:
    p = sub.add_parser(
        "ingest",
        help="ingest FIT/GPX/TCX files, folders and export zips (Strava, Garmin) for an athlete",
    )
    p.add_argument("paths", nargs="+", type=types.existing_path, metavar="PATH")
    p.add_argument("--athlete", required=True, metavar="NAME", type=types.name)
    p.add_argument(
        "--workers", type=types.count(0, 256), default=None, help="parser processes (0: in-process)"
    )
    p.add_argument(
        "--dask-scheduler", metavar="ADDR", help="parse on this Dask cluster (tcp://host:8786)"
    )
    p.set_defaults(handler=ingest)


def ingest(args: argparse.Namespace, cli: Cli) -> int:
    athlete = cli.athlete(args.athlete)
    report = run_ingest(
        cli, athlete, args.paths, workers=args.workers, dask_scheduler=args.dask_scheduler
    )
    print_report(cli.console, report)
    return EXIT_FAILED_FILES if report.failed else 0


def run_ingest(
    cli: Cli,
    athlete: AthleteRecord,
    paths: Sequence[Path],
    *,
    workers: int | None,
    dask_scheduler: str | None = None,
) -> BulkReport:
    from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeElapsedColumn

    from ingest.sync.bulk import BulkRow, ingest_paths
    from ingest.sync.executors import executor_factory

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
    from rich.table import Table
    from rich.text import Text

    totals = Table("ingested", "duplicate", "failed", "skipped", "files/s", title="ingest")
    totals.add_row(
        str(report.count("ingested")),
        str(report.count("duplicate")),
        str(report.count("failed")),
        str(report.count("skipped")),
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
        style = {"failed": "red", "duplicate": "yellow", "skipped": "dim"}.get(r.status)
        # Text, not str: a table cell string is Rich markup, and a file name is anything
        table.add_row(Text(str(r.path)), r.status, activity, Text(r.reason or ""), style=style)
    console.print(table)
