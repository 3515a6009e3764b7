"""The folder sync job: scan a folder, read what is new and settled, ingest each activity once.

One run, under a lease in the database (one runner per folder, across processes and hosts):

1. walk the folder (``scan``); unchanged paths (same size and mtime as the ledger says) are
   never opened again; a failed file is retried when it changes or the parser version does;
2. a file not yet settled is recorded ``pending`` with the time its size+mtime was first seen, and
   read by a later run (or, with ``wait_for_settle``, by this run after waiting the settle time);
3. files to read are handled in batches: ledger rows marked ``ingesting`` (one transaction), bytes
   read with a bound, parsed by ``ingest.pipeline.parse_activity`` (inline or in an executor), each
   stored by ``Store.add_activity`` (one transaction per file), then the batch's ledger outcomes
   written (one transaction). With an executor the batches overlap: batch k+1 is marked, read
   and submitted before batch k is stored, so the workers parse while this process stores (its
   rows are ``ingesting`` before any of it can be stored). A crash leaves ``ingesting`` rows: the
   next run reads them again and the store's content hash turns the second write into "same
   file", which the ledger records as this path's ingest. So every activity exists exactly once,
   whatever the timing.

Never writes, moves, renames or deletes anything in the folder; deleting a file never deletes its
activity. Zip exports are read member by member, in memory, with bounds.
"""

from __future__ import annotations

import os
import threading
import time
from collections.abc import Callable
from concurrent.futures import Executor
from pathlib import Path
from typing import Any

from ingest.errors import IngestError
from ingest.pipeline import PARSER_VERSION, parse_activity
from ingest.store import Store
from ingest.store.ledger import MAX_REL_PATH, LedgerRow, SyncStore
from ingest.store.sync_bindings import MAX_FOLDER_PATH
from ingest.store.sync_runs import new_holder
from ingest.store.text import safe_error
from ingest.sync import scan
from ingest.sync.archive import ingest_archive
from ingest.sync.batches import ingest_batches
from ingest.sync.lease import Heartbeat
from ingest.sync.reader import FolderReader
from ingest.sync.run_state import (
    SKIP_REASONS,
    Limits,
    Parse,
    Run,
    RunReport,
    Work,
    needs_reading,
)
from ingest.sync.strava_export import MAX_INDEX_BYTES, ActivityHint, lookup, parse_index

__all__ = [
    "DEFAULT_INTERVAL_S",
    "DEFAULT_SETTLE_S",
    "LOCK_TTL_S",
    "Limits",
    "RunReport",
    "run_sync",
    "sync_status",
]

DEFAULT_INTERVAL_S = 15 * 60.0
DEFAULT_SETTLE_S = 60.0
LOCK_TTL_S = 60.0
BATCH_SIZE = 16


def run_sync(
    store: Store,
    folder: Path,
    athlete_id: int,
    *,
    settle_s: float = DEFAULT_SETTLE_S,
    clock: Callable[[], float] = time.time,
    sleep: Callable[[float], None] = time.sleep,
    wait_for_settle: bool = False,
    executor: Executor | None = None,
    limits: Limits | None = None,
    parse: Parse = parse_activity,
    lock_ttl_s: float = LOCK_TTL_S,
    holder: str | None = None,
    batch_size: int = BATCH_SIZE,
    progress: Callable[[str, str], None] | None = None,
) -> RunReport:
    """One sync run over ``folder`` for the athlete. Returns status "locked" without touching the
    folder when another runner holds its lease. Raises nothing for a bad file (it is a ledger
    failure); a database error or a lost lease ends the run with status "error"."""
    started = time.monotonic()
    root = Path(os.path.realpath(folder))
    report = RunReport(folder=str(root))
    if len(str(root)) > MAX_FOLDER_PATH:
        raise ValueError(f"the folder path is longer than {MAX_FOLDER_PATH} characters: {root}")
    athlete = store.get_athlete(athlete_id)
    if athlete is None:
        raise KeyError(f"no athlete with id {athlete_id}")
    ledger_store = SyncStore(store)
    folder_id = ledger_store.ensure_folder(athlete_id, str(root), settle_s)
    holder = holder or new_holder()
    name = f"sync-folder:{folder_id}"
    if not ledger_store.try_lock(name, holder, lock_ttl_s):
        report.status = "locked"
        return report
    lost = threading.Event()
    heartbeat = Heartbeat(ledger_store, name, holder, lock_ttl_s, lost)
    heartbeat.start()
    run_id = ledger_store.start_run(folder_id, holder)
    run = Run(
        store, ledger_store, folder_id, athlete_id, FolderReader(root), athlete.metrics_profile(),
        report, settle_s, clock, limits or Limits(), parse, executor, batch_size, lost, progress,
    )  # fmt: skip
    try:
        passes = 3 if wait_for_settle else 1
        for index in range(passes):
            wait = _one_pass(run)
            if wait is None or index == passes - 1:
                break
            sleep(wait)
        report.opened, report.bytes_read = run.reader.opened, run.reader.bytes_read
        report.seconds = time.monotonic() - started
        ledger_store.finish_run(run_id, "ok", report.counts())
    except BaseException as error:
        report.status, report.error = "error", safe_error(error)  # no SQL in the status
        report.opened, report.bytes_read = run.reader.opened, run.reader.bytes_read
        report.seconds = time.monotonic() - started
        try:
            ledger_store.finish_run(run_id, "error", report.counts(), report.error)
        finally:
            heartbeat.stop()
            ledger_store.release(name, holder)
        raise
    heartbeat.stop()
    ledger_store.release(name, holder)
    return report


def _one_pass(run: Run) -> float | None:
    """Scan once and ingest what is ready. Returns how long to wait for the soonest pending file
    to settle, or None when nothing is pending."""
    ledger = run.ledger_store.ledger(run.folder_id)
    now = run.clock()
    entries = list(scan.walk(run.reader.root))
    indexes = {e.rel_path for e in entries if e.kind == "index"}
    run.report.seen = len(entries)
    run.report.pending = 0
    bookkeeping: list[LedgerRow] = []
    files: list[Work] = []
    archives: list[Work] = []
    soonest: float | None = None
    for entry in entries:
        row = ledger.get(entry.rel_path)
        if not needs_reading(row, entry.size, entry.mtime_ns, None):
            continue
        previous = None if row is None else (row.size, row.mtime_ns, row.stable_since)
        ready, since = scan.settled(
            entry.size, entry.mtime_ns, now=now, settle_s=run.settle_s, previous=previous
        )
        recovering = row is not None and row.status == "ingesting"
        if not ready and not recovering:
            run.report.pending += 1
            left = since + run.settle_s - now
            soonest = left if soonest is None else min(soonest, left)
            if row is None or previous != (entry.size, entry.mtime_ns, since):
                bookkeeping.append(
                    LedgerRow(entry.rel_path, entry.size, entry.mtime_ns, since, "pending")
                )
            continue
        if entry.kind in ("symlink", "other", "index"):
            reason = SKIP_REASONS[entry.kind]
            bookkeeping.append(
                LedgerRow(
                    entry.rel_path, entry.size, entry.mtime_ns, since, "skipped", reason=reason
                )
            )
            run.report.skipped += 1
            continue
        if len(entry.rel_path) > MAX_REL_PATH:
            bookkeeping.append(_too_long(run, entry.rel_path, entry.size, entry.mtime_ns, since))
            continue
        work = Work(entry.rel_path, entry.size, entry.mtime_ns, since, lambda: b"", None)
        work.recovering = recovering
        if entry.kind == "archive":
            archives.append(work)
        else:
            work.load = _file_loader(run, entry.rel_path, entry.size)
            work.hint = _hint(run, entry.rel_path, indexes)
            files.append(work)
    run.ledger_store.record(run.folder_id, bookkeeping)
    ingest_batches(run, files)
    for archive in archives:
        ingest_archive(run, archive)
    return None if soonest is None else max(0.0, soonest) + 0.05


def _too_long(
    run: Run, rel_path: str, size: int, mtime_ns: int, since: float, crc: int | None = None
) -> LedgerRow:
    """A path longer than the ledger keeps: a failure of that file, with the reason."""
    reason = f"path is {len(rel_path)} characters long, more than the {MAX_REL_PATH} kept"
    run.report.failed += 1
    run.report.failures.append((rel_path, reason))
    return LedgerRow(rel_path, size, mtime_ns, since, "failed", crc, None,
                     f"unreadable: {reason}", None, PARSER_VERSION)  # fmt: skip


def _file_loader(run: Run, rel_path: str, size: int) -> Callable[[], bytes]:
    limit = run.limits.max_bytes

    def load() -> bytes:
        if size > limit:
            raise IngestError(
                f"file is {size} bytes, more than the {limit} limit", kind="too_large"
            )
        data = run.reader.read(rel_path, limit)
        if len(data) > limit:
            raise IngestError(f"file is larger than the {limit} byte limit", kind="too_large")
        return data

    return load


def _hint(run: Run, rel_path: str, indexes: set[str]) -> ActivityHint | None:
    """The export index's hint for a file: from the nearest ``activities.csv`` above it."""
    parts = rel_path.split("/")
    for depth in range(len(parts) - 1, -1, -1):
        index = "/".join([*parts[:depth], scan.INDEX_NAME])
        if index in indexes:
            if index not in run.hints:
                try:
                    run.hints[index] = parse_index(run.reader.read(index, MAX_INDEX_BYTES))
                except IngestError:
                    run.hints[index] = {}
            return lookup(run.hints[index], "/".join(parts[depth:]))
    return None


def sync_status(store: Store, athlete_id: int) -> dict[str, Any]:
    """Folders, counts (seen, ingested, duplicate, failed, …), failures with reasons, last run."""
    status = SyncStore(store).status(athlete_id)
    totals = dict.fromkeys(("seen", "ingested", "duplicate", "failed", "skipped", "pending"), 0)
    for folder in status["folders"]:
        for key in totals:
            totals[key] += folder["counts"].get(key, 0)
    runs = [f["last_run"] for f in status["folders"] if f["last_run"]]
    last = max(runs, key=lambda r: r["started_at"] or "", default=None)
    return {"folders": status["folders"], "counts": totals, "last_run": last}
