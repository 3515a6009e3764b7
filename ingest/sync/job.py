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

import hashlib
import os
import threading
import time
import zipfile
from collections import deque
from collections.abc import Callable, Iterator, Sequence
from concurrent.futures import Executor, Future
from contextlib import contextmanager
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Any

from ingest.errors import IngestError
from ingest.measure.summary import MetricsProfile
from ingest.pipeline import MAX_BYTES, MAX_INFLATED, PARSER_VERSION, ParsedActivity, parse_activity
from ingest.store import Store
from ingest.store.ledger import LedgerRow, SyncStore, new_holder
from ingest.sync import scan
from ingest.sync.strava_export import MAX_INDEX_BYTES, ActivityHint, apply_hint, lookup, parse_index

DEFAULT_INTERVAL_S = 15 * 60.0
DEFAULT_SETTLE_S = 60.0
LOCK_TTL_S = 60.0
BATCH_SIZE = 16
SKIP_REASONS = {
    "symlink": "symbolic link: not followed",
    "other": "not an activity file (.fit, .gpx, .fit.gz, .gpx.gz, .zip)",
    "index": "Strava export index: used for activity names and types",
    "archive": "zip archive: its members are listed one by one",
}
Parse = Callable[..., ParsedActivity]


@dataclass(frozen=True)
class Limits:
    max_bytes: int = MAX_BYTES  # a file (or zip member) as stored
    max_inflated: int = MAX_INFLATED  # after gunzip / unzip of one file
    max_archive_inflated: int = 4 * MAX_INFLATED  # all members of one zip together


@dataclass
class RunReport:
    folder: str
    status: str = "ok"  # ok, locked (another runner has the folder), error
    seen: int = 0
    opened: int = 0
    bytes_read: int = 0
    ingested: int = 0
    duplicate: int = 0
    failed: int = 0
    skipped: int = 0
    pending: int = 0
    seconds: float = 0.0
    error: str | None = None
    failures: list[tuple[str, str]] = field(default_factory=list)

    def counts(self) -> dict[str, int]:
        keys = ("seen", "opened", "bytes_read", "ingested", "duplicate", "failed", "skipped")
        return {k: getattr(self, k) for k in (*keys, "pending")}


class LeaseLost(RuntimeError):
    """Another runner took this folder's lease (ours expired): stop before writing more."""


class FolderReader:
    """The only way the sync reads a user's file; counts opens and bytes (the benchmark's seam)."""

    def __init__(self, root: Path):
        self.root = root
        self.opened = 0
        self.bytes_read = 0

    def read(self, rel_path: str, limit: int) -> bytes:
        self.opened += 1
        data = scan.read_file(self.root, rel_path, limit)
        self.bytes_read += len(data)
        return data

    @contextmanager
    def archive(self, rel_path: str) -> Iterator[zipfile.ZipFile]:
        path = os.path.join(os.path.realpath(self.root), *rel_path.split("/"))
        fd = os.open(path, os.O_RDONLY | getattr(os, "O_NOFOLLOW", 0))
        self.opened += 1
        with os.fdopen(fd, "rb") as raw, zipfile.ZipFile(_Counting(raw, self)) as archive:
            yield archive


class _Counting:
    """A seekable binary file that adds what is read to a FolderReader's byte count."""

    def __init__(self, raw: Any, reader: FolderReader):
        self._raw = raw
        self._reader = reader

    def read(self, n: int = -1) -> bytes:
        data: bytes = self._raw.read(n)
        self._reader.bytes_read += len(data)
        return data

    def __getattr__(self, name: str) -> Any:
        return getattr(self._raw, name)


@dataclass
class _Work:
    """One file or zip member to read: where, what the ledger should remember, how to load it."""

    rel_path: str
    size: int
    mtime_ns: int
    stable_since: float
    load: Callable[[], bytes]
    crc32: int | None = None
    hint: ActivityHint | None = None
    recovering: bool = False  # the ledger says "ingesting": a run stopped before its outcome


@dataclass
class _Run:
    """The state of one run over one folder."""

    store: Store
    ledger_store: SyncStore
    folder_id: int
    athlete_id: int
    reader: FolderReader
    profile: MetricsProfile
    report: RunReport
    settle_s: float
    clock: Callable[[], float]
    limits: Limits
    parse: Parse
    executor: Executor | None
    batch_size: int
    lost: threading.Event
    progress: Callable[[str, str], None] | None = None
    hints: dict[str, dict[str, ActivityHint]] = field(default_factory=dict)


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
    heartbeat = _Heartbeat(ledger_store, name, holder, lock_ttl_s, lost)
    heartbeat.start()
    run_id = ledger_store.start_run(folder_id, holder)
    run = _Run(
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
        report.status, report.error = "error", f"{type(error).__name__}: {error}"
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


def _one_pass(run: _Run) -> float | None:
    """Scan once and ingest what is ready. Returns how long to wait for the soonest pending file
    to settle, or None when nothing is pending."""
    ledger = run.ledger_store.ledger(run.folder_id)
    now = run.clock()
    entries = list(scan.walk(run.reader.root))
    indexes = {e.rel_path for e in entries if e.kind == "index"}
    run.report.seen = len(entries)
    run.report.pending = 0
    bookkeeping: list[LedgerRow] = []
    files: list[_Work] = []
    archives: list[_Work] = []
    soonest: float | None = None
    for entry in entries:
        row = ledger.get(entry.rel_path)
        if not _needs_reading(row, entry.size, entry.mtime_ns, None):
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
        work = _Work(entry.rel_path, entry.size, entry.mtime_ns, since, lambda: b"", None)
        work.recovering = recovering
        if entry.kind == "archive":
            archives.append(work)
        else:
            work.load = _file_loader(run, entry.rel_path, entry.size)
            work.hint = _hint(run, entry.rel_path, indexes)
            files.append(work)
    run.ledger_store.record(run.folder_id, bookkeeping)
    _ingest(run, files)
    for archive in archives:
        _ingest_archive(run, archive)
    return None if soonest is None else max(0.0, soonest) + 0.05


def _needs_reading(row: LedgerRow | None, size: int, mtime_ns: int, crc: int | None) -> bool:
    if row is None or row.status in ("pending", "ingesting"):
        return True
    if (row.size, row.mtime_ns, row.crc32) != (size, mtime_ns, crc):
        return True
    return row.status == "failed" and row.parser_version != PARSER_VERSION


def _file_loader(run: _Run, rel_path: str, size: int) -> Callable[[], bytes]:
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


def _hint(run: _Run, rel_path: str, indexes: set[str]) -> ActivityHint | None:
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


def _ingest_archive(run: _Run, work: _Work) -> None:
    """Read a zip member by member (never extracted); each member is a ledger row of its own."""
    rel = work.rel_path
    done = LedgerRow(rel, work.size, work.mtime_ns, work.stable_since, "skipped")
    try:
        with run.reader.archive(rel) as archive:
            members = list(scan.members(archive, max_inflated=run.limits.max_inflated))
            ledger = run.ledger_store.ledger(run.folder_id)
            refused: list[LedgerRow] = []
            todo: list[_Work] = []
            budget = [run.limits.max_archive_inflated]
            indexes = [m.name for m in members if m.kind == "index" and m.refusal is None]
            for member in members:
                path = scan.member_path(rel, member.name)
                row = ledger.get(path)
                if member.kind == "index" or not _needs_reading(row, member.size, 0, member.crc):
                    continue
                if member.refusal is not None:
                    refused.append(
                        LedgerRow(path, member.size, 0, work.stable_since, "failed",
                                  member.crc, None, member.refusal, None, PARSER_VERSION)
                    )  # fmt: skip
                    continue
                todo.append(
                    _Work(path, member.size, 0, work.stable_since,
                          _member_loader(run, archive, member.name, budget), member.crc,
                          _member_hint(run, archive, rel, member.name, indexes),
                          row is not None and row.status == "ingesting")
                )  # fmt: skip
            run.report.failed += len(refused)
            run.report.failures.extend((r.rel_path, r.reason or "") for r in refused)
            run.ledger_store.record(run.folder_id, refused)
            _ingest(run, todo)
            done = replace(done, reason=f"{SKIP_REASONS['archive']} ({len(members)} members)")
    except (zipfile.BadZipFile, OSError) as error:
        reason = f"not a readable zip file: {error}"
        done = replace(done, status="failed", reason=reason, parser_version=PARSER_VERSION)
        run.report.failed += 1
        run.report.failures.append((rel, reason))
    run.ledger_store.record(run.folder_id, [done])


def _member_loader(
    run: _Run, archive: zipfile.ZipFile, name: str, budget: list[int]
) -> Callable[[], bytes]:
    def load() -> bytes:
        if budget[0] <= 0:
            raise IngestError("the archive inflates past its total limit", kind="too_large")
        data = scan.read_member(archive, name, min(run.limits.max_inflated, budget[0]))
        budget[0] -= len(data)
        return data

    return load


def _member_hint(
    run: _Run, archive: zipfile.ZipFile, rel: str, name: str, indexes: Sequence[str]
) -> ActivityHint | None:
    for index in sorted(indexes, key=len, reverse=True):
        prefix = index[: -len(scan.INDEX_NAME)]
        if name.startswith(prefix):
            key = scan.member_path(rel, index)
            if key not in run.hints:
                try:
                    run.hints[key] = parse_index(scan.read_member(archive, index, MAX_INDEX_BYTES))
                except IngestError:
                    run.hints[key] = {}
            return lookup(run.hints[key], name[len(prefix) :])
    return None


_Pending = list[tuple[_Work, str | None, Future[ParsedActivity] | IngestError]]


def _ingest(run: _Run, works: Sequence[_Work]) -> None:
    """Batches, pipelined when an executor parses: batch k+1 is marked ``ingesting``, read and
    submitted before batch k is stored, so the workers parse while this process stores (inline,
    each batch is parsed at submit time: nothing to overlap)."""
    ahead = 0 if run.executor is None else 1
    started: deque[_Pending] = deque()
    for start in range(0, len(works), run.batch_size):
        started.append(_start_batch(run, works[start : start + run.batch_size]))
        if len(started) > ahead:
            _finish_batch(run, started.popleft())
    while started:
        _finish_batch(run, started.popleft())


def _start_batch(run: _Run, batch: Sequence[_Work]) -> _Pending:
    """Ledger rows marked ``ingesting`` (before anything of the batch can be stored), bytes read,
    parses submitted."""
    if run.lost.is_set():
        raise LeaseLost("the folder's lease expired and another runner took it")
    run.ledger_store.record(
        run.folder_id,
        [LedgerRow(w.rel_path, w.size, w.mtime_ns, w.stable_since, "ingesting", w.crc32)
         for w in batch],
    )  # fmt: skip
    pending: _Pending = []
    for work in batch:
        try:
            data = work.load()
        except IngestError as error:
            pending.append((work, None, error))
            continue
        sha = hashlib.sha256(data).hexdigest()
        pending.append((work, sha, _submit(run, data, work.rel_path)))
    return pending


def _finish_batch(run: _Run, pending: _Pending) -> None:
    """Each parsed file stored (one transaction each), then the batch's ledger outcomes."""
    outcomes: list[LedgerRow] = []
    claimed_now: set[int] = set()
    for work, digest, job in pending:
        base = LedgerRow(work.rel_path, work.size, work.mtime_ns, work.stable_since, "failed",
                         work.crc32, digest, None, None, PARSER_VERSION)  # fmt: skip
        try:
            parsed = job.result() if isinstance(job, Future) else _raise(job)
        except IngestError as error:
            outcomes.append(replace(base, reason=f"{error.kind}: {error.reason}"))
            run.report.failed += 1
            run.report.failures.append((work.rel_path, error.reason))
            _tell(run, work.rel_path, f"failed: {error.reason}")
            continue
        if run.lost.is_set():
            raise LeaseLost("the folder's lease expired and another runner took it")
        outcome = run.store.add_activity(run.athlete_id, apply_hint(parsed, work.hint))
        status, reason = outcome.status, None
        if outcome.duplicate_of == outcome.activity_id:  # the very same bytes were stored before
            mine = work.recovering and outcome.activity_id not in claimed_now
            if mine and not run.ledger_store.claimed([outcome.activity_id]):
                status = "ingested"  # our own write from a run that stopped before its ledger row
            else:
                reason = f"the same file as activity {outcome.activity_id}"
        elif outcome.duplicate_of is not None:
            reason = f"the same activity as {outcome.duplicate_of}, from another file"
        if status == "ingested":
            claimed_now.add(outcome.activity_id)
            run.report.ingested += 1
        else:
            run.report.duplicate += 1
        outcomes.append(
            replace(base, status=status, reason=reason, activity_id=outcome.activity_id)
        )
        _tell(run, work.rel_path, status)
    run.ledger_store.record(run.folder_id, outcomes)


def _submit(run: _Run, data: bytes, rel_path: str) -> Future[ParsedActivity] | IngestError:
    kwargs = {"max_bytes": run.limits.max_bytes, "max_inflated": run.limits.max_inflated}
    name = rel_path.rsplit("/", 1)[-1]
    if run.executor is not None:
        return run.executor.submit(run.parse, data, name, run.profile, **kwargs)
    future: Future[ParsedActivity] = Future()
    try:
        future.set_result(run.parse(data, name, run.profile, **kwargs))
    except IngestError as error:
        return error
    return future


def _raise(error: IngestError) -> ParsedActivity:
    raise error


def _tell(run: _Run, rel_path: str, what: str) -> None:
    if run.progress is not None:
        run.progress(rel_path, what)


class _Heartbeat(threading.Thread):
    """Renews the lease every third of its lifetime; sets ``lost`` when it is no longer ours."""

    def __init__(
        self, ledger: SyncStore, name: str, holder: str, ttl_s: float, lost: threading.Event
    ):
        super().__init__(name=f"lease-{name}", daemon=True)
        self._args = (ledger, name, holder, ttl_s)
        self._lost = lost
        self._stopped = threading.Event()

    def run(self) -> None:
        ledger, name, holder, ttl_s = self._args
        while not self._stopped.wait(ttl_s / 3):
            try:
                if not ledger.renew(name, holder, ttl_s):
                    self._lost.set()
                    return
            except Exception:  # a database hiccup: try again at the next beat
                continue

    def stop(self) -> None:
        self._stopped.set()
        self.join()


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
