"""Bulk ingest (``legday ingest``): files, folders and export archives (``sources``) → parsed in
an executor (a process pool, or a Dask client's executor) → stored one by one by this process,
which does all the writes. One bad file never stops the batch; every file, and every member of an
archive, gets a report row: ingested, duplicate, failed or skipped, with the reason.
"""

from __future__ import annotations

import hashlib
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
from ingest.sync.exports import file_name
from ingest.sync.sources import Item, Sources
from ingest.sync.strava_export import apply_hint

Status = Literal["ingested", "duplicate", "failed", "skipped"]


@dataclass(frozen=True)
class BulkRow:
    path: Path  # the file, or "export.zip!activities/1.fit.gz" for an archive member
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
    """Parse every file and archive member of ``paths`` in an executor made by the factory (a
    process pool by default) and store each result here (``ingest_items``)."""
    sources = Sources(paths, max_bytes, max_inflated)
    factory = executor_factory or factory_for(workers)
    with factory() as executor:
        return ingest_items(
            store, athlete_id, sources, profile, executor,
            progress=progress, max_bytes=max_bytes, max_inflated=max_inflated,
            window=window or 4 * capacity(executor, workers),
            total=lambda: max(sources.seen, len(sources.files)),
        )  # fmt: skip


def ingest_items(
    store: Writer,
    athlete_id: int,
    items: Iterable[Item],
    profile: MetricsProfile,
    executor: Executor,
    *,
    progress: Progress | None = None,
    max_bytes: int = MAX_BYTES,
    max_inflated: int = MAX_INFLATED,
    window: int | None = None,
    total: Callable[[], int] | None = None,
) -> BulkReport:
    """Parse ``items`` in ``executor`` and store each result here, the export's hint applied.
    ``window`` bounds how many are read into memory and in flight at once (default: 4 per
    worker, or per thread of a Dask cluster). The executor is not shut down."""
    started = time.perf_counter()
    parse = partial(parse_activity, profile=profile, max_bytes=max_bytes, max_inflated=max_inflated)
    report = BulkReport()

    def record(row: BulkRow) -> None:
        report.rows.append(row)
        if progress is not None:
            progress(row, len(report.rows), total() if total else len(report.rows))

    in_flight: dict[Future[ParsedActivity], Item] = {}
    limit = window or 4 * capacity(executor)
    pending = iter(items)
    known = partial(_known, store, athlete_id)
    _fill(pending, in_flight, limit, executor, parse, record, known)
    while in_flight:
        future = next(as_completed(in_flight))
        item = in_flight.pop(future)
        record(_store_one(store, athlete_id, item, future))
        _fill(pending, in_flight, limit, executor, parse, record, known)
    report.rows.sort(key=lambda r: str(r.path))
    report.elapsed_s = time.perf_counter() - started
    return report


def _fill(
    pending: Iterator[Item],
    in_flight: dict[Future[ParsedActivity], Item],
    limit: int,
    executor: Executor,
    parse: Callable[..., ParsedActivity],
    record: Callable[[BulkRow], None],
    known: Callable[[Path, bytes], BulkRow | None],
) -> None:
    """Submit items until ``limit`` are in flight; rows known without parsing are recorded."""
    while len(in_flight) < limit:
        item = next(pending, None)
        if item is None:
            return
        if item.settled is not None or item.load is None:
            record(BulkRow(item.path, item.settled or "failed", item.reason))
            continue
        try:
            data = item.load()
        except IngestError as exc:
            record(BulkRow(item.path, "failed", exc.reason))
            continue
        already = known(item.path, data)
        if already is not None:
            record(already)
            continue
        try:
            in_flight[executor.submit(parse, data, file_name(str(item.path)))] = item
        except Exception as exc:  # the pool itself broke (a worker was killed): no parser left
            reason = f"parser pool failed: {type(exc).__name__}: {exc}"
            record(BulkRow(item.path, "failed", reason))


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
    store: Writer, athlete_id: int, item: Item, future: Future[ParsedActivity]
) -> BulkRow:
    path = item.path
    try:
        parsed = future.result()
    except IngestError as exc:
        return BulkRow(path, "failed", exc.reason)
    except Exception as exc:  # a worker that died (BrokenProcessPool, a Dask worker lost, ...)
        return BulkRow(path, "failed", f"parser worker failed: {type(exc).__name__}: {exc}")
    try:
        outcome = store.add_activity(athlete_id, apply_hint(parsed, item.hint))
    except Exception as exc:
        return BulkRow(path, "failed", f"could not store it: {safe_error(exc)}")
    recovered = next((n for n in parsed.summary.notes if n.startswith("recovered:")), None)
    return BulkRow(path, outcome.status, recovered, outcome.activity_id, outcome.duplicate_of)
