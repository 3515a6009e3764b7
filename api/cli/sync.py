"""``legday sync DIR --athlete NAME [--every 15m] [--settle 60s] [--once] [--status]``.

Without ``--once`` it runs the sync scheduler as its own process until SIGINT/SIGTERM (for when the
API runs several workers). ``--once`` syncs each folder once, waiting for files that are still
settling and, if another runner holds a folder's lease, for that runner to finish. Without DIR the
folders come from ``LEGDAY_SYNC_FILE`` / ``LEGDAY_SYNC_FOLDERS`` (api.sync_config).

Each folder is bound to its athlete (``ingest.sync.binding``) before anything runs: a folder
configured for two athletes is reported and not synced; one whose name has no account is reported
and not synced by ``--once``, while the service waits for the account to be created.
"""

from __future__ import annotations

import argparse
import logging
import os
import signal
import threading
import time
from pathlib import Path
from typing import TYPE_CHECKING

from api.cli import args as types
from api.cli.context import (
    EXIT_FAILED_FILES,
    EXIT_LOCKED,
    EXIT_USAGE,
    Cli,
    CliError,
    Subparsers,
    shell_quote,
)
from api.cli.sync_report import print_report, show_status

if TYPE_CHECKING:
    from concurrent.futures import Executor

    from api.sync_config import FolderJob
    from ingest.sync.binding import FolderBinding

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
    if args.once and not cli.has_database():  # no athlete without a database: create none
        job = jobs[0]
        raise CliError(
            f"{job.path}: no athlete named {job.athlete!r}: the folder is not synced (no legday "
            f"database in {cli.where()} yet; create the account: legday athletes create "
            f"{shell_quote(job.athlete)})"
        )
    # Each folder bound to its athlete (a clear error now rather than in the scheduler's log).
    # A service (no --once) keeps the folders whose name has no account yet: they are synced
    # once it is created (a container's first start).
    bound, waiting = _bind(cli, jobs, wait=not args.once)
    refused = len(bound) + len(waiting) < len(jobs)
    if not bound and not waiting:
        return EXIT_USAGE
    # Parsing happens where the flags say (this process, a pool, a Dask cluster); this process
    # alone writes, as for `legday ingest`.
    executor = None
    if args.workers or args.dask_scheduler:
        executor = executor_factory(args.workers, args.dask_scheduler)()
    try:
        if args.once:
            return max(_once(cli, bound, executor), EXIT_USAGE if refused else 0)
        return _forever(cli, [job for job, _ in bound] + waiting, executor)
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


def _bind(
    cli: Cli, jobs: list[FolderJob], *, wait: bool
) -> tuple[list[tuple[FolderJob, FolderBinding]], list[FolderJob]]:
    """The jobs bound to an athlete, and (with ``wait``) those waiting for their athlete's
    account; each refusal printed (that folder is not synced)."""
    from rich.text import Text

    from ingest.sync.binding import bind_folders

    found = bind_folders(cli.store(), [(j.path, j.athlete) for j in jobs])
    bound, waiting = [], []
    for job, binding in zip(jobs, found, strict=True):
        if binding.no_account and wait:
            waiting.append(job)  # the scheduler logs it, and binds it when the account exists
        elif binding.refusal:
            cli.err.print(
                Text.assemble(("error:", "red"), f" {job.path}: {binding.refusal}"),
                highlight=False, soft_wrap=True,
            )  # fmt: skip
        else:
            if binding.note:
                cli.console.print(Text(f"{job.path}: {binding.note}"), highlight=False)
            bound.append((job, binding))
    return bound, waiting


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
