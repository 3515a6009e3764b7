"""Files to read, in batches: ledger rows marked ``ingesting``, bytes read, parsed (inline or in an
executor, pipelined), each stored in its own transaction, then the batch's ledger outcomes."""

from __future__ import annotations

import hashlib
from collections import deque
from collections.abc import Sequence
from concurrent.futures import Future
from dataclasses import replace

from sqlalchemy.exc import DataError, IntegrityError

from ingest.errors import IngestError
from ingest.pipeline import PARSER_VERSION, ParsedActivity
from ingest.store import QuotaExceeded
from ingest.store.ledger import LedgerRow
from ingest.store.text import safe_error
from ingest.sync.exports import file_name
from ingest.sync.lease import LeaseLost
from ingest.sync.run_state import Run, Work, tell
from ingest.sync.strava_export import apply_hint

_Pending = list[tuple[Work, str | None, Future[ParsedActivity] | IngestError]]
# What one file's values can make the store refuse (a value too long or out of range, a NUL, a
# constraint): that file fails, with the reason; the rest of the batch goes on. Anything else
# (the database gone, a full disk, a lost lease) ends the run, and the next run retries.
PER_FILE_ERRORS = (DataError, IntegrityError, ValueError, ArithmeticError)


def ingest_batches(run: Run, works: Sequence[Work]) -> None:
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


def _start_batch(run: Run, batch: Sequence[Work]) -> _Pending:
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


def _finish_batch(run: Run, pending: _Pending) -> None:
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
            tell(run, work.rel_path, f"failed: {error.reason}")
            continue
        if run.lost.is_set():
            raise LeaseLost("the folder's lease expired and another runner took it")
        try:
            outcome = run.store.add_activity(run.athlete_id, apply_hint(parsed, work.hint))
        except QuotaExceeded as full:  # not the file's fault: read again on every run till it fits
            outcomes.append(replace(base, reason=str(full), parser_version=None))
            run.report.failed += 1
            run.report.failures.append((work.rel_path, str(full)))
            tell(run, work.rel_path, f"failed: {full}")
            continue
        except PER_FILE_ERRORS as error:
            refused = f"could not be stored ({safe_error(error)})"
            outcomes.append(replace(base, reason=refused))
            run.report.failed += 1
            run.report.failures.append((work.rel_path, refused))
            tell(run, work.rel_path, f"failed: {refused}")
            continue
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
        tell(run, work.rel_path, status)
    run.ledger_store.record(run.folder_id, outcomes)


def _submit(run: Run, data: bytes, rel_path: str) -> Future[ParsedActivity] | IngestError:
    kwargs = {"max_bytes": run.limits.max_bytes, "max_inflated": run.limits.max_inflated}
    name = file_name(rel_path)
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
