"""Bulk ingest: many files and folders → parsed in an executor (a process pool, or a Dask client's
executor) → stored one by one by this process, which does all the writes. One bad file never stops
the batch; every file gets a report row."""

from __future__ import annotations

import hashlib
import os
import time
from collections.abc import Callable, Iterable, Iterator
from concurrent.futures import Executor, Future, as_completed
from dataclasses import dataclass, field
from functools import partial
from pathlib import Path
from typing import Literal, Protocol

from ingest.errors import IngestError
from ingest.measure.summary import MetricsProfile
from ingest.pipeline import MAX_BYTES, MAX_INFLATED, ParsedActivity, parse_activity
from ingest.store.text import safe_error
from ingest.sync.executors import ExecutorFactory, InlineExecutor, capacity
from ingest.sync.executors import executor_factory as factory_for
from ingest.sync.executors import process_pool as default_executor

Status = Literal["ingested", "duplicate", "failed"]
TEMP_SUFFIXES = (".tmp", ".part", ".partial", ".crdownload", ".download", ".swp", "~")


@dataclass(frozen=True)
class BulkRow:
    path: Path
    status: Status
    reason: str | None = None
    activity_id: int | None = None
    duplicate_of: int | None = None


@dataclass
class BulkReport:
    rows: list[BulkRow] = field(default_factory=list)
    elapsed_s: float = 0.0

    def count(self, status: Status) -> int:
        return sum(r.status == status for r in self.rows)

    @property
    def failed(self) -> list[BulkRow]:
        return [r for r in self.rows if r.status == "failed"]

    @property
    def files_per_s(self) -> float:
        return len(self.rows) / self.elapsed_s if self.elapsed_s > 0 else 0.0


class _Outcome(Protocol):  # what Store.add_activity returns
    @property
    def status(self) -> Literal["ingested", "duplicate"]: ...
    @property
    def activity_id(self) -> int: ...
    @property
    def duplicate_of(self) -> int | None: ...


class _Known(Protocol):
    @property
    def id(self) -> int: ...


class Writer(Protocol):
    def add_activity(self, athlete_id: int, parsed: ParsedActivity) -> _Outcome: ...
    def find_by_sha(self, athlete_id: int, sha256: str) -> _Known | None: ...


Progress = Callable[[BulkRow, int, int], None]  # (row, done, total)
__all__ = ["ExecutorFactory", "InlineExecutor", "default_executor", "ingest_paths"]


def is_temp_name(name: str) -> bool:
    return name.startswith((".", "~$")) or name.lower().endswith(TEMP_SUFFIXES)


def expand_paths(paths: Iterable[Path]) -> list[Path]:
    """Files as given, and every regular file under the given folders (recursive, no symlinked
    folders), skipping hidden and temporary names; sorted, each once."""
    found: dict[Path, None] = {}
    for path in map(Path, paths):
        if path.is_dir():
            for root, dirs, files in os.walk(path):
                dirs[:] = sorted(d for d in dirs if not d.startswith("."))
                for name in sorted(files):
                    if not is_temp_name(name):
                        found.setdefault(Path(root) / name, None)
        else:
            found.setdefault(path, None)
    return sorted(found)


def ingest_paths(
    store: Writer,
    athlete_id: int,
    paths: Iterable[Path],
    profile: MetricsProfile,
    *,
    workers: int | None = None,
    executor_factory: ExecutorFactory | None = None,
    progress: Progress | None = None,
    max_bytes: int = MAX_BYTES,
    max_inflated: int = MAX_INFLATED,
    window: int | None = None,
) -> BulkReport:
    """Parse every file in an executor and store each result here. ``window`` bounds how many
    files are read into memory and in flight at once (default: 4 per worker, or per thread of a
    Dask cluster)."""
    started = time.perf_counter()
    files = expand_paths(paths)
    factory = executor_factory or factory_for(workers)
    parse = partial(parse_activity, profile=profile, max_bytes=max_bytes, max_inflated=max_inflated)
    report = BulkReport()

    def record(row: BulkRow) -> None:
        report.rows.append(row)
        if progress is not None:
            progress(row, len(report.rows), len(files))

    with factory() as executor:
        in_flight: dict[Future[ParsedActivity], Path] = {}
        limit = window or 4 * capacity(executor, workers)
        pending = iter(files)
        known = partial(_known, store, athlete_id)
        _fill(pending, in_flight, limit, executor, parse, max_bytes, record, known)
        while in_flight:
            future = next(as_completed(in_flight))
            path = in_flight.pop(future)
            record(_store_one(store, athlete_id, path, future))
            _fill(pending, in_flight, limit, executor, parse, max_bytes, record, known)
    report.rows.sort(key=lambda r: str(r.path))
    report.elapsed_s = time.perf_counter() - started
    return report


def _fill(
    pending: Iterator[Path],
    in_flight: dict[Future[ParsedActivity], Path],
    limit: int,
    executor: Executor,
    parse: Callable[..., ParsedActivity],
    max_bytes: int,
    record: Callable[[BulkRow], None],
    known: Callable[[Path, bytes], BulkRow | None],
) -> None:
    """Submit files until ``limit`` are in flight; files unreadable here are recorded at once."""
    while len(in_flight) < limit:
        path = next(pending, None)
        if path is None:
            return
        try:
            size = path.stat().st_size
            if size > max_bytes:
                raise IngestError(
                    f"file is {size} bytes, more than the {max_bytes} byte limit", kind="too_large"
                )
            data = path.read_bytes()
        except IngestError as exc:
            record(BulkRow(path, "failed", exc.reason))
            continue
        except OSError as exc:
            record(BulkRow(path, "failed", f"cannot read the file: {exc.strerror or exc}"))
            continue
        already = known(path, data)
        if already is not None:
            record(already)
            continue
        try:
            in_flight[executor.submit(parse, data, path.name)] = path
        except Exception as exc:  # the pool itself broke (a worker was killed): no parser left
            record(BulkRow(path, "failed", f"parser pool failed: {type(exc).__name__}: {exc}"))


def _known(store: Writer, athlete_id: int, path: Path, data: bytes) -> BulkRow | None:
    """A file stored before, byte for byte, needs no parsing (gzip: the parser hashes the inflated
    bytes, so those still go through it)."""
    if data[:2] == b"\x1f\x8b":
        return None
    existing = store.find_by_sha(athlete_id, hashlib.sha256(data).hexdigest())
    if existing is None:
        return None
    return BulkRow(path, "duplicate", None, existing.id, existing.id)


def _store_one(
    store: Writer, athlete_id: int, path: Path, future: Future[ParsedActivity]
) -> BulkRow:
    try:
        parsed = future.result()
    except IngestError as exc:
        return BulkRow(path, "failed", exc.reason)
    except Exception as exc:  # a worker that died (BrokenProcessPool, a Dask worker lost, ...)
        return BulkRow(path, "failed", f"parser worker failed: {type(exc).__name__}: {exc}")
    try:
        outcome = store.add_activity(athlete_id, parsed)
    except Exception as exc:
        return BulkRow(path, "failed", f"could not store it: {safe_error(exc)}")
    recovered = next((n for n in parsed.summary.notes if n.startswith("recovered:")), None)
    return BulkRow(path, outcome.status, recovered, outcome.activity_id, outcome.duplicate_of)
