"""The folder sync's rows: folders, the file ledger (one row per path or zip member, keyed by a
bounded ``ledger_key``) and each folder's status; runs and leases are ``sync_runs.RunStore``'s.

The store's companion for the sync tables, on the store's engine: writes on SQLite begin with
``BEGIN IMMEDIATE`` (the store's ``legday_write`` option), each method is one transaction.
"""

from __future__ import annotations

import hashlib
from collections.abc import Iterable
from dataclasses import asdict, dataclass
from typing import Any

from sqlalchemy import func, select, update

from ingest.store.sync_runs import (
    RunStore,
    dialect_insert,
    iso_utc,
    now_utc,
    run_dict,
)
from ingest.store.sync_schema import SyncFile, SyncFolder, SyncRun
from ingest.store.text import MAX_REASON, display_text, storable

MAX_REL_PATH = 2048  # sync_files.rel_path


def ledger_key(rel_path: str) -> str:
    """The ledger's key for a path: the path itself when a text column can hold it; else (longer
    than ``MAX_REL_PATH``, or a file name that is not valid UTF-8) a storable form of it with a
    hash of the real path, so distinct paths keep distinct rows."""
    clean = storable(rel_path)
    if clean == rel_path and len(rel_path) <= MAX_REL_PATH:
        return rel_path
    digest = hashlib.sha256(rel_path.encode("utf-8", "surrogatepass")).hexdigest()[:16]
    return f"{clean[: MAX_REL_PATH - 18]}…#{digest}"


class Ledger(dict[str, "LedgerRow"]):
    """A folder's ledger rows by key; ``get`` takes the path as the walk or the archive names it."""

    def get(self, rel_path: str, default: LedgerRow | None = None) -> LedgerRow | None:  # type: ignore[override]
        return super().get(ledger_key(rel_path), default)


@dataclass(frozen=True)
class LedgerRow:
    """What the ledger knows of one path (or zip member) of a sync folder."""

    rel_path: str
    size: int
    mtime_ns: int
    stable_since: float
    status: str
    crc32: int | None = None
    sha256: str | None = None
    reason: str | None = None
    activity_id: int | None = None
    parser_version: int | None = None


@dataclass(frozen=True)
class FolderRow:
    id: int
    athlete_id: int
    path: str
    settle_s: float


class SyncStore(RunStore):
    """Folders, the file ledger and the status of a folder (runs and leases: ``RunStore``)."""

    # --- folders ---------------------------------------------------------------------------------

    def ensure_folder(self, athlete_id: int, path: str, settle_s: float) -> int:
        with self._write_engine.begin() as conn:
            stmt = dialect_insert(conn, SyncFolder).values(
                athlete_id=athlete_id, path=path, settle_s=settle_s, created_at=now_utc()
            )
            conn.execute(stmt.on_conflict_do_nothing(index_elements=["athlete_id", "path"]))
            conn.execute(
                update(SyncFolder)
                .where(SyncFolder.athlete_id == athlete_id, SyncFolder.path == path)
                .values(settle_s=settle_s)
            )
            folder_id = conn.scalar(
                select(SyncFolder.id).where(
                    SyncFolder.athlete_id == athlete_id, SyncFolder.path == path
                )
            )
        assert folder_id is not None
        return int(folder_id)

    def folders(self, athlete_id: int | None = None) -> list[FolderRow]:
        query = select(SyncFolder.id, SyncFolder.athlete_id, SyncFolder.path, SyncFolder.settle_s)
        if athlete_id is not None:
            query = query.where(SyncFolder.athlete_id == athlete_id)
        with self.engine.connect() as conn:
            return [FolderRow(*row) for row in conn.execute(query.order_by(SyncFolder.id))]

    # --- ledger ----------------------------------------------------------------------------------

    def ledger(self, folder_id: int) -> Ledger:
        cols = [getattr(SyncFile, name) for name in LedgerRow.__dataclass_fields__]
        with self.engine.connect() as conn:
            rows = conn.execute(select(*cols).where(SyncFile.folder_id == folder_id))
            return Ledger({row.rel_path: LedgerRow(*row) for row in rows})

    def record(self, folder_id: int, rows: Iterable[LedgerRow]) -> None:
        """Insert or update these ledger rows, all in one transaction (each path as its
        ``ledger_key``, each reason bounded)."""
        values = [
            {**asdict(r), "rel_path": ledger_key(r.rel_path), "folder_id": folder_id,
             "reason": display_text(r.reason, MAX_REASON), "updated_at": now_utc()}
            for r in rows
        ]  # fmt: skip
        if not values:
            return
        with self._write_engine.begin() as conn:
            stmt = dialect_insert(conn, SyncFile)
            changed = {k: stmt.excluded[k] for k in values[0] if k not in ("folder_id", "rel_path")}
            upsert = stmt.on_conflict_do_update(
                index_elements=["folder_id", "rel_path"], set_=changed
            )
            conn.execute(upsert, values)

    def claimed(self, activity_ids: Iterable[int]) -> set[int]:
        """Which of these activities a ledger row (any folder) already records as ingested."""
        ids = list(set(activity_ids))
        if not ids:
            return set()
        with self.engine.connect() as conn:
            query = select(SyncFile.activity_id).where(
                SyncFile.activity_id.in_(ids), SyncFile.status == "ingested"
            )
            return {int(a) for a in conn.scalars(query) if a is not None}

    # --- status ----------------------------------------------------------------------------------

    def status(self, athlete_id: int, *, max_failures: int = 200) -> dict[str, Any]:
        """Folders with their counts, failures (with reasons) and last run, for the API and CLI."""
        folders = []
        with self.engine.connect() as conn:
            for folder in self.folders(athlete_id):
                counts = dict.fromkeys(("ingested", "duplicate", "failed", "skipped"), 0)
                counts.update({"pending": 0, "ingesting": 0})
                by_status = conn.execute(
                    select(SyncFile.status, func.count())
                    .where(SyncFile.folder_id == folder.id)
                    .group_by(SyncFile.status)
                )
                for status, n in by_status:
                    counts[status] = int(n)
                failures = conn.execute(
                    select(SyncFile.rel_path, SyncFile.reason, SyncFile.updated_at)
                    .where(SyncFile.folder_id == folder.id, SyncFile.status == "failed")
                    .order_by(SyncFile.rel_path)
                    .limit(max_failures)
                )
                run = conn.execute(
                    select(SyncRun.__table__)
                    .where(SyncRun.folder_id == folder.id)
                    .order_by(SyncRun.started_at.desc(), SyncRun.id.desc())
                    .limit(1)
                ).first()
                folders.append(
                    {
                        "id": folder.id,
                        "path": folder.path,
                        "settle_s": folder.settle_s,
                        "counts": {"seen": sum(counts.values()), **counts},
                        "failures": [
                            {"path": p, "reason": r, "at": iso_utc(at)} for p, r, at in failures
                        ],
                        "last_run": None if run is None else run_dict(run._mapping),
                    }
                )
        return {"folders": folders}
