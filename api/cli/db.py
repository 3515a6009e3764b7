"""``legday db upgrade`` and ``legday reprocess``: the database's schema and its derived data."""

from __future__ import annotations

import argparse
import logging
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager

from api.cli.context import EXIT_FAILED_FILES, Cli, Subparsers

log = logging.getLogger("legday.reprocess")
LOG_EVERY_S = 10.0  # without a terminal (systemd, cron): a progress line at most this often


def register(sub: Subparsers) -> None:
    p = sub.add_parser("reprocess", help="recompute every summary from the stored raw files")
    p.add_argument("--stale-only", action="store_true", help="only older parser versions")
    p.set_defaults(handler=reprocess)
    p = sub.add_parser("db", help="database maintenance")
    actions = p.add_subparsers(dest="action", required=True, metavar="ACTION")
    actions.add_parser("upgrade", help="apply the Alembic migrations").set_defaults(handler=upgrade)


def reprocess(args: argparse.Namespace, cli: Cli) -> int:
    store = cli.store(create=False)
    with progress_display(cli, "reprocessing") as tick:
        report = store.reprocess(only_stale=args.stale_only, progress=tick)
    cli.console.print(
        f"reprocessed {report.total}: {report.updated} updated, {report.failed} failed, "
        f"{report.missing_blob} raw files missing",
        markup=False,
        highlight=False,
    )
    for activity_id, reason in report.failures:
        cli.console.print(f"  activity {activity_id}: {reason}", markup=False, soft_wrap=True)
    return EXIT_FAILED_FILES if report.failures else 0


@contextmanager
def progress_display(cli: Cli, what: str) -> Iterator[Callable[[int, int], None]]:
    """A ``tick(done, total)``: a progress bar on a terminal; otherwise an INFO log line every
    ``LOG_EVERY_S`` seconds and at the end (``legday reprocess`` over a large history can run
    for minutes)."""
    if cli.console.is_terminal:
        from rich.progress import (
            BarColumn,
            MofNCompleteColumn,
            Progress,
            TextColumn,
            TimeElapsedColumn,
            TimeRemainingColumn,
        )

        columns = (
            TextColumn(what),
            BarColumn(),
            MofNCompleteColumn(),
            TimeElapsedColumn(),
            TimeRemainingColumn(),
        )
        with Progress(*columns, console=cli.console, transient=True) as bar:
            task = bar.add_task(what, total=None)
            yield lambda done, total: bar.update(task, completed=done, total=total)
        return
    started = last = time.monotonic()

    def tick(done: int, total: int) -> None:
        nonlocal last
        now = time.monotonic()
        if done == total or now - last >= LOG_EVERY_S:
            last = now
            log.info("%s: %d of %d done, %.0f s", what, done, total, now - started)

    yield tick


def upgrade(args: argparse.Namespace, cli: Cli) -> int:
    cli.store(upgrade=True)
    cli.console.print(
        f"database is at the latest schema ({cli.redacted_url()})", markup=False, highlight=False
    )
    return 0
