"""``legday sync DIR --athlete NAME [--every 15m] [--settle 60s] [--once] [--status]``.

Without ``--once`` it runs the sync scheduler as its own process until SIGINT/SIGTERM (for when the
API runs several workers). ``--once`` syncs each folder once, waiting for files that are still
settling and, if another runner holds a folder's lease, for that runner to finish. Without DIR the
folders come from ``LEGDAY_SYNC_FILE`` / ``LEGDAY_SYNC_FOLDERS`` (api.sync_config).

Each folder is bound to its athlete (``ingest.sync.binding``) before anything runs: a folder whose
name has no account, or that is configured for two athletes, is reported and not synced.
"""

from __future__ import annotations

import argparse
import os
import signal
import threading
import time
from pathlib import Path
from typing import TYPE_CHECKING, Any

from api.cli.context import EXIT_FAILED_FILES, EXIT_LOCKED, EXIT_USAGE, Cli, Subparsers

if TYPE_CHECKING:
    from concurrent.futures import Executor

    from rich.console import Console

    from api.sync_config import FolderJob
    from ingest.sync.binding import FolderBinding
    from ingest.sync.job import RunReport


def _duration(text: str) -> float:
    from api.sync_config import parse_duration

    return parse_duration(text)


def register(sub: Subparsers) -> None:
    p = sub.add_parser("sync", help="sync a folder of watch files for an athlete, on a schedule")
    p.add_argument("folder", nargs="?", type=Path, metavar="DIR")
    p.add_argument("--athlete", metavar="NAME")
    p.add_argument("--every", type=_duration, default=None, help="interval (default 15m)")
    p.add_argument("--settle", type=_duration, default=None, help="settle time (default 60s)")
    p.add_argument("--once", action="store_true", help="sync once and exit")
    p.add_argument("--status", action="store_true", help="print folders, counts and failures")
    p.add_argument(
        "--workers", type=int, default=0, help="parser processes (default 0: in this process)"
    )
    p.add_argument(
        "--dask-scheduler",
        metavar="ADDR",
        default=os.environ.get("LEGDAY_DASK_SCHEDULER") or None,
        help="parse on this Dask cluster, e.g. tcp://host:8786 (env LEGDAY_DASK_SCHEDULER)",
    )
    p.set_defaults(handler=cmd_sync)


def cmd_sync(args: argparse.Namespace, cli: Cli) -> int:
    from api.sync_config import SyncConfigError
    from ingest.sync.executors import executor_factory
    from ingest.sync.job import sync_status

    try:
        jobs = _jobs(args)
    except SyncConfigError as error:
        cli.console.print(f"[red]error:[/red] {error}", highlight=False)
        return EXIT_USAGE
    if args.status:
        names = {args.athlete} if args.athlete else {j.athlete for j in jobs}
        for name in sorted(names):
            print_status(cli.console, name, sync_status(cli.store(), cli.athlete(name).id))
        return 0
    if not jobs:
        cli.console.print(
            "[red]error:[/red] no folder: give DIR --athlete NAME, or set LEGDAY_SYNC_FOLDERS",
            highlight=False,
        )
        return EXIT_USAGE
    bound = _bind(cli, jobs)  # a clear error now rather than in the scheduler's log
    refused = len(bound) < len(jobs)
    if not bound:
        return EXIT_USAGE
    # Parsing happens where the flags say (this process, a pool, a Dask cluster); this process
    # alone writes, as for `legday ingest`.
    executor = None
    if args.workers or args.dask_scheduler:
        executor = executor_factory(args.workers, args.dask_scheduler)()
    try:
        if args.once:
            return max(_once(cli, bound, executor), EXIT_USAGE if refused else 0)
        return _forever(cli, [job for job, _ in bound], executor)
    finally:
        if executor is not None:
            executor.shutdown(wait=True)


def _jobs(args: argparse.Namespace) -> list[FolderJob]:
    from api.sync_config import FolderJob, SyncConfigError, from_environment
    from ingest.sync.job import DEFAULT_INTERVAL_S, DEFAULT_SETTLE_S

    interval = DEFAULT_INTERVAL_S if args.every is None else args.every
    settle = DEFAULT_SETTLE_S if args.settle is None else args.settle
    if args.folder is not None:
        if not args.athlete:
            raise SyncConfigError("sync DIR needs --athlete NAME")
        if not args.folder.is_dir() and not args.status:
            raise SyncConfigError(f"not a folder: {args.folder}")
        return [FolderJob(args.folder, args.athlete, interval, settle)]
    jobs = from_environment(os.environ)
    if args.every is not None or args.settle is not None:
        jobs = [
            FolderJob(j.path, j.athlete, args.every or j.interval_s, args.settle or j.settle_s)
            for j in jobs
        ]
    if not args.athlete:
        return jobs
    from ingest.store import name_key

    return [j for j in jobs if name_key(j.athlete) == name_key(args.athlete)]


def _bind(cli: Cli, jobs: list[FolderJob]) -> list[tuple[FolderJob, FolderBinding]]:
    """The jobs bound to an athlete; each refusal printed (that folder is not synced)."""
    from rich.markup import escape

    from ingest.sync.binding import bind_folders

    found = bind_folders(cli.store(), [(j.path, j.athlete) for j in jobs])
    bound = []
    for job, binding in zip(jobs, found, strict=True):
        if binding.refusal:
            cli.console.print(
                f"[red]error:[/red] {escape(str(job.path))}: {escape(binding.refusal)}",
                highlight=False,
            )
            continue
        if binding.note:
            cli.console.print(f"{escape(str(job.path))}: {escape(binding.note)}", highlight=False)
        bound.append((job, binding))
    return bound


def _once(cli: Cli, bound: list[tuple[FolderJob, FolderBinding]], executor: Executor | None) -> int:
    from ingest.sync.job import LOCK_TTL_S, run_sync

    code = 0
    store = cli.store()
    for job, binding in bound:
        assert binding.athlete_id is not None
        deadline = time.monotonic() + 2 * LOCK_TTL_S
        while True:
            report = run_sync(
                store,
                job.path,
                binding.athlete_id,
                settle_s=job.settle_s,
                wait_for_settle=True,
                executor=executor,
            )
            if report.status != "locked" or time.monotonic() > deadline:
                break
            time.sleep(0.5)
        print_report(cli.console, report)
        if report.status == "locked":
            code = max(code, EXIT_LOCKED)
        elif report.failed:
            code = max(code, EXIT_FAILED_FILES)
    return code


def _forever(cli: Cli, jobs: list[FolderJob], executor: Executor | None) -> int:
    from api.scheduler import SyncScheduler

    stop = threading.Event()
    for signum in (signal.SIGINT, signal.SIGTERM):
        signal.signal(signum, lambda *_: stop.set())
    scheduler = SyncScheduler(
        cli.store(),
        jobs,
        on_report=lambda job, report: print_report(cli.console, report),
        executor=executor,
    )
    scheduler.start()
    cli.console.print(
        "syncing " + ", ".join(f"{j.path} ({j.athlete}, every {j.interval_s:g} s)" for j in jobs),
        highlight=False,
    )
    try:
        stop.wait()
    finally:
        scheduler.shutdown()
    return 0


def print_report(console: Console, report: RunReport) -> None:
    if report.status == "locked":
        console.print(f"{report.folder}: another runner is syncing it", highlight=False)
        return
    console.print(
        f"{report.folder}: {report.ingested} ingested, {report.duplicate} duplicate, "
        f"{report.failed} failed, {report.skipped} skipped, {report.pending} still settling; "
        f"{report.opened} files opened, {report.bytes_read} bytes read in {report.seconds:.1f} s",
        highlight=False,
    )
    for path, reason in report.failures:
        console.print(f"  [red]failed[/red] {path}: {reason}", highlight=False, soft_wrap=True)


def print_status(console: Console, athlete: str, status: dict[str, Any]) -> None:
    from rich.table import Table

    table = Table("folder", "seen", "ingested", "duplicate", "failed", "pending", "last run")
    for folder in status["folders"]:
        c, run = folder["counts"], folder["last_run"]
        last = "never" if run is None else f"{run['started_at']} {run['status']}"
        table.add_row(
            folder["path"], *(str(c[k]) for k in ("seen", "ingested", "duplicate", "failed")),
            str(c["pending"]), last,
        )  # fmt: skip
    table.title = f"sync folders of {athlete}"
    console.print(table)
    for folder in status["folders"]:
        for failure in folder["failures"]:
            console.print(
                f"  [red]failed[/red] {folder['path']}/{failure['path']}: {failure['reason']}",
                highlight=False,
                soft_wrap=True,
            )
