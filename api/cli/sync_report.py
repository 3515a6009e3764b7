"""What ``legday sync`` prints: a run's report (``--once``) and the folders' status (``--status``),
every athlete's or one's, including the configured folders not synced yet."""

from __future__ import annotations

import os
from typing import TYPE_CHECKING, Any

from api.cli.context import Cli

if TYPE_CHECKING:
    from rich.console import Console

    from api.sync_config import FolderJob
    from ingest.store import Store
    from ingest.sync.job import RunReport


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
    owners = _owners(store, jobs)  # each configured folder's athlete id (None: no account)
    if only:
        athletes = [cli.athlete(only)]
    else:
        ids = {f.athlete_id for f in SyncStore(store).folders()}
        athletes = [a for a in store.list_athletes() if a.id in ids]
        known = {a.id for a in athletes}
        for job, owner in zip(jobs, owners, strict=True):
            if owner is None:
                cli.console.print(
                    _failure_line(
                        f"{job.path}: configured for {job.athlete!r}, who is not an athlete here"
                    ),
                    highlight=False,
                    soft_wrap=True,
                )
            elif owner not in known and (athlete := store.get_athlete(owner)) is not None:
                athletes.append(athlete)
                known.add(owner)
    for athlete in athletes:
        status = sync_status(store, athlete.id)
        synced = {os.path.realpath(f["path"]) for f in status["folders"]}
        waiting = [
            str(j.path)
            for j, owner in zip(jobs, owners, strict=True)
            if owner == athlete.id and os.path.realpath(j.path) not in synced
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


def _owners(store: Store, jobs: list[FolderJob]) -> list[int | None]:
    """The athlete each configured folder syncs for, read only: the athlete it is bound to (the
    configuration still names them), else whoever has the configured name (ignoring case)."""
    from ingest.store import name_key
    from ingest.store.sync_bindings import BindingStore
    from ingest.sync.binding import real_path

    bindings = BindingStore(store)
    owners: list[int | None] = []
    for job in jobs:
        kept = bindings.binding(real_path(job.path))
        if kept is not None and kept.name_key == name_key(job.athlete):
            owners.append(kept.athlete_id)
        else:
            athlete = store.athlete_by_name(job.athlete)
            owners.append(None if athlete is None else athlete.id)
    return owners


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
