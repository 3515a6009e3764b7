"""``legday sync DIR --athlete NAME [--every 15m] [--settle 60s] [--once] [--status]``.

Without ``--once`` it runs the sync scheduler as its own process until SIGINT/SIGTERM (for when the
API runs several workers). ``--once`` syncs each folder once, waiting for files that are still
settling and, if another runner holds a folder's lease, for that runner to finish. Without DIR the
folders come from ``LEGDAY_SYNC_FILE`` / ``LEGDAY_SYNC_FOLDERS`` (api.sync_config).
"""

from __future__ import annotations

import argparse
import logging
import os
import signal
import threading
import time
from pathlib import Path
from typing import TYPE_CHECKING, Any

from api.cli import args as types
from api.cli.context import EXIT_FAILED_FILES, EXIT_LOCKED, Cli, CliError, Subparsers, shell_quote

if TYPE_CHECKING:
    from concurrent.futures import Executor

    from rich.console import Console

    from api.sync_config import FolderJob
    from ingest.sync.job import RunReport

log = logging.getLogger("legday.sync")


def register(sub: Subparsers) -> None:
    p = sub.add_parser("sync", help="sync a folder of watch files for an athlete, on a schedule")
    p.add_argument("folder", nargs="?", type=Path, metavar="DIR")
    p.add_argument("--athlete", metavar="NAME", type=types.name)
    p.add_argument("--every", type=types.duration, default=None, help="interval (default 15m)")
    p.add_argument("--settle", type=types.settle, default=None, help="settle time (default 60s)")
    p.add_argument("--once", action="store_true", help="sync once and exit")
    p.add_argument(
        "--status",
        action="store_true",
        help="print folders, counts and failures (every athlete's, without --athlete)",
    )
    p.add_argument(
        "--workers",
        type=types.count(0, 256),
        default=0,
        help="parser processes (default 0: in this process)",
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

    try:
        jobs = _jobs(args)
    except SyncConfigError as error:
        raise CliError(str(error)) from None
    if args.status:
        return show_status(cli, jobs, args.athlete)
    if not jobs:
        raise CliError(
            "no folder to sync: give DIR --athlete NAME, or set LEGDAY_SYNC_FILE or "
            "LEGDAY_SYNC_FOLDERS"
        )
    store = cli.store()
    for job in jobs:
        if args.once:
            cli.athlete(job.athlete)  # a clear error now
        elif store.athlete_by_name(job.athlete) is None:
            # A service started before its athlete exists (a container's first start) waits for
            # them: each run looks the name up again and logs it until it is created.
            log.warning(
                "no athlete named %r yet: %s is synced once they exist (legday athletes create %s)",
                job.athlete, job.path, shell_quote(job.athlete),
            )  # fmt: skip
    # Parsing happens where the flags say (this process, a pool, a Dask cluster); this process
    # alone writes, as for `legday ingest`.
    executor = None
    if args.workers or args.dask_scheduler:
        executor = executor_factory(args.workers, args.dask_scheduler)()
    try:
        if args.once:
            return _once(cli, jobs, executor)
        return _forever(cli, jobs, executor)
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
    return [j for j in jobs if not args.athlete or j.athlete == args.athlete]


def _once(cli: Cli, jobs: list[FolderJob], executor: Executor | None) -> int:
    from ingest.sync.job import LOCK_TTL_S, run_sync

    code = 0
    store = cli.store()
    for job in jobs:
        athlete = cli.athlete(job.athlete)
        deadline = time.monotonic() + 2 * LOCK_TTL_S
        while True:
            report = run_sync(
                store,
                job.path,
                athlete.id,
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
    # A long-running service: the scheduler logs one line per run and per failed file.
    scheduler = SyncScheduler(cli.store(), jobs, executor=executor)
    scheduler.start()
    for j in jobs:
        log.info("syncing %s for %r every %g s (settle %g s)", j.path, j.athlete, j.interval_s,
                 j.settle_s)  # fmt: skip
    try:
        stop.wait()
    finally:
        scheduler.shutdown()
    return 0


def print_report(console: Console, report: RunReport) -> None:
    from rich.text import Text

    # Text throughout: folder and file names and reasons are the user's, never Rich markup
    if report.status == "locked":
        console.print(Text(f"{report.folder}: another runner is syncing it"), highlight=False)
        return
    console.print(
        Text(
            f"{report.folder}: {report.ingested} ingested, {report.duplicate} duplicate, "
            f"{report.failed} failed, {report.skipped} skipped, {report.pending} still settling; "
            f"{report.opened} files opened, {report.bytes_read} bytes read "
            f"in {report.seconds:.1f} s"
        ),
        highlight=False,
    )
    for path, reason in report.failures:
        console.print(_failure_line(f"{path}: {reason}"), highlight=False, soft_wrap=True)


def _failure_line(text: str) -> Any:
    from rich.text import Text

    return Text.assemble("  ", ("failed", "red"), " ", text)


def show_status(cli: Cli, jobs: list[FolderJob], only: str | None) -> int:
    """Every athlete's folders (or one athlete's): those the database has synced, and the
    configured ones not synced yet; a line saying there are none rather than nothing."""
    from ingest.store.ledger import SyncStore
    from ingest.sync.job import sync_status

    if not cli.has_database():
        cli.console.print(
            f"no sync folders yet: no legday database in {cli.where()}", markup=False,
            highlight=False,
        )  # fmt: skip
        return 0
    store = cli.store()
    if only:
        athletes = [cli.athlete(only)]
    else:
        ids = {f.athlete_id for f in SyncStore(store).folders()}
        athletes = [a for a in store.list_athletes() if a.id in ids]
        known = {a.name for a in athletes}
        for name in sorted({j.athlete for j in jobs} - known):
            athlete = store.athlete_by_name(name)
            if athlete is None:
                paths = ", ".join(str(j.path) for j in jobs if j.athlete == name)
                cli.console.print(
                    _failure_line(f"{paths}: configured for {name!r}, who is not an athlete here"),
                    highlight=False,
                    soft_wrap=True,
                )
            else:
                athletes.append(athlete)
    for athlete in athletes:
        status = sync_status(store, athlete.id)
        synced = {os.path.realpath(f["path"]) for f in status["folders"]}
        waiting = [
            str(j.path)
            for j in jobs
            if j.athlete == athlete.name and os.path.realpath(j.path) not in synced
        ]
        print_status(cli.console, athlete.name, status, waiting)
    if not athletes and not jobs:
        cli.console.print(
            "no sync folders yet: run legday sync DIR --athlete NAME, or configure "
            "LEGDAY_SYNC_FILE or LEGDAY_SYNC_FOLDERS",
            markup=False,
            highlight=False,
        )
    return 0


def print_status(
    console: Console, athlete: str, status: dict[str, Any], waiting: list[str] | None = None
) -> None:
    from rich.table import Table
    from rich.text import Text

    table = Table("folder", "seen", "ingested", "duplicate", "failed", "pending", "last run")
    for folder in status["folders"]:
        c, run = folder["counts"], folder["last_run"]
        last = "never" if run is None else f"{run['started_at']} {run['status']}"
        table.add_row(
            Text(folder["path"]), *(str(c[k]) for k in ("seen", "ingested", "duplicate", "failed")),
            str(c["pending"]), last,
        )  # fmt: skip
    for path in waiting or ():
        table.add_row(Text(path), "", "", "", "", "", "never (configured)")
    table.title = Text(f"sync folders of {athlete}")
    console.print(table)
    for folder in status["folders"]:
        for failure in folder["failures"]:
            console.print(
                _failure_line(f"{folder['path']}/{failure['path']}: {failure['reason']}"),
                highlight=False,
                soft_wrap=True,
            )
