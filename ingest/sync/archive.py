"""A zip export read member by member (never extracted, bounded): each member a ledger row of its
own, its Strava ``activities.csv`` hint applied."""

from __future__ import annotations

import zipfile
from collections.abc import Callable, Sequence
from dataclasses import replace

from ingest.errors import IngestError
from ingest.pipeline import PARSER_VERSION
from ingest.store.ledger import MAX_REL_PATH, LedgerRow
from ingest.sync import scan
from ingest.sync.batches import ingest_batches
from ingest.sync.run_state import SKIP_REASONS, Run, Work, needs_reading
from ingest.sync.strava_export import MAX_INDEX_BYTES, ActivityHint, lookup, parse_index


def ingest_archive(run: Run, work: Work) -> None:
    """Read a zip member by member (never extracted); each member is a ledger row of its own."""
    rel = work.rel_path
    done = LedgerRow(rel, work.size, work.mtime_ns, work.stable_since, "skipped")
    try:
        with run.reader.archive(rel) as archive:
            members = list(scan.members(archive, max_inflated=run.limits.max_inflated))
            ledger = run.ledger_store.ledger(run.folder_id)
            refused: list[LedgerRow] = []
            todo: list[Work] = []
            budget = [run.limits.max_archive_inflated]
            indexes = [m.name for m in members if m.kind == "index" and m.refusal is None]
            for member in members:
                path = scan.member_path(rel, member.name)
                row = ledger.get(path)
                if member.kind == "index" or not needs_reading(row, member.size, 0, member.crc):
                    continue
                refusal = member.refusal
                if refusal is None and len(path) > MAX_REL_PATH:
                    refusal = (
                        f"member name is {len(member.name)} characters long: the ledger keeps "
                        f"paths of up to {MAX_REL_PATH}"
                    )
                if refusal is not None:
                    refused.append(
                        LedgerRow(path, member.size, 0, work.stable_since, "failed",
                                  member.crc, None, refusal, None, PARSER_VERSION)
                    )  # fmt: skip
                    continue
                todo.append(
                    Work(path, member.size, 0, work.stable_since,
                          _member_loader(run, archive, member.name, budget), member.crc,
                          _member_hint(run, archive, rel, member.name, indexes),
                          row is not None and row.status == "ingesting")
                )  # fmt: skip
            run.report.failed += len(refused)
            run.report.failures.extend((r.rel_path, r.reason or "") for r in refused)
            run.ledger_store.record(run.folder_id, refused)
            ingest_batches(run, todo)
            done = replace(done, reason=f"{SKIP_REASONS['archive']} ({len(members)} members)")
    except (zipfile.BadZipFile, OSError) as error:
        reason = f"not a readable zip file: {error}"
        done = replace(done, status="failed", reason=reason, parser_version=PARSER_VERSION)
        run.report.failed += 1
        run.report.failures.append((rel, reason))
    run.ledger_store.record(run.folder_id, [done])


def _member_loader(
    run: Run, archive: zipfile.ZipFile, name: str, budget: list[int]
) -> Callable[[], bytes]:
    def load() -> bytes:
        if budget[0] <= 0:
            raise IngestError("the archive inflates past its total limit", kind="too_large")
        data = scan.read_member(archive, name, min(run.limits.max_inflated, budget[0]))
        budget[0] -= len(data)
        return data

    return load


def _member_hint(
    run: Run, archive: zipfile.ZipFile, rel: str, name: str, indexes: Sequence[str]
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
