"""A zip export in a synced folder, read through ``exports`` (the path every entry point shares):
each member a ledger row of its own — read (its ``activities.csv`` hint applied), skipped or
failed with the reason — and nothing extracted."""

from __future__ import annotations

import zipfile
from dataclasses import replace

from ingest.pipeline import PARSER_VERSION
from ingest.store.ledger import MAX_REL_PATH, LedgerRow
from ingest.sync.batches import ingest_batches
from ingest.sync.exports import Budget, member_path, members
from ingest.sync.run_state import SKIP_REASONS, Run, Work, needs_reading


def ingest_archive(run: Run, work: Work) -> None:
    """Read a zip member by member (never extracted); each member is a ledger row of its own."""
    rel = work.rel_path
    done = LedgerRow(rel, work.size, work.mtime_ns, work.stable_since, "skipped")
    try:
        with run.reader.archive(rel) as archive:
            budget = Budget(run.limits.max_archive_inflated)
            listed = list(members(archive, max_inflated=run.limits.max_inflated, budget=budget))
            ledger = run.ledger_store.ledger(run.folder_id)
            settled: list[LedgerRow] = []
            todo: list[Work] = []
            for member in listed:
                path = member_path(rel, member.path)
                row = ledger.get(path)
                if not needs_reading(row, member.size, 0, member.crc):
                    continue
                action, reason = member.action, member.reason
                if action == "read" and len(path) > MAX_REL_PATH:
                    action = "fail"
                    reason = (
                        f"member name is {len(member.path)} characters long: the ledger keeps "
                        f"paths of up to {MAX_REL_PATH}"
                    )
                if action == "read":
                    recovering = row is not None and row.status == "ingesting"
                    todo.append(
                        Work(path, member.size, 0, work.stable_since, member.load, member.crc,
                             member.hint, recovering)
                    )  # fmt: skip
                    continue
                status = "failed" if action == "fail" else "skipped"
                settled.append(
                    LedgerRow(path, member.size, 0, work.stable_since, status, member.crc, None,
                              reason, None, PARSER_VERSION)
                )  # fmt: skip
                if status == "failed":
                    run.report.failed += 1
                    run.report.failures.append((path, reason or ""))
                else:
                    run.report.skipped += 1
            run.ledger_store.record(run.folder_id, settled)
            ingest_batches(run, todo)
            done = replace(done, reason=f"{SKIP_REASONS['archive']} ({len(listed)} members)")
    except (zipfile.BadZipFile, OSError) as error:
        reason = f"not a readable zip file: {error}"
        done = replace(done, status="failed", reason=reason, parser_version=PARSER_VERSION)
        run.report.failed += 1
        run.report.failures.append((rel, reason))
    run.ledger_store.record(run.folder_id, [done])
