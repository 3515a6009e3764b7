"""What the store holds, as a whole: counts (``legday info``), the raw files its activities refer
to (backups), the schema revision, and removing an athlete with everything of theirs (an import
that could not finish)."""

from __future__ import annotations

from typing import Any

from sqlalchemy import delete, func, select

from ingest.store.activities import serialize_athlete_writes
from ingest.store.blob_refs import BlobRefs
from ingest.store.schema import Activity, Athlete, Checkin, StrengthLog
from ingest.store.sync_schema import SyncFolder


class InventoryStore(BlobRefs):
    def counts(self) -> dict[str, int]:
        """Rows per kind: athletes, activities (and of them, counted primaries), raw files,
        strength-log entries, check-ins, sync folders."""
        with self._read() as session:

            def count(table: Any) -> int:
                return int(session.scalar(select(func.count()).select_from(table)) or 0)

            return {
                "athletes": count(Athlete),
                "activities": count(Activity),
                "duplicates": int(
                    session.scalar(select(func.count()).where(Activity.duplicate_of.is_not(None)))
                    or 0
                ),
                "raw_files": int(
                    session.scalar(select(func.count(func.distinct(Activity.sha256)))) or 0
                ),
                "strength_log": count(StrengthLog),
                "checkins": count(Checkin),
                "sync_folders": count(SyncFolder),
            }

    def raw_file_hashes(self, athlete_id: int | None = None) -> list[str]:
        """The SHA-256 of every raw file an activity (of one athlete, or anyone's) refers to."""
        query = select(Activity.sha256).distinct()
        if athlete_id is not None:
            query = query.where(Activity.athlete_id == athlete_id)
        with self._read() as session:
            return sorted(session.scalars(query))

    def schema_revision(self) -> str | None:
        """The Alembic revision the database is at (None: no schema yet)."""
        from alembic.runtime.migration import MigrationContext

        with self.engine.connect() as conn:
            heads = MigrationContext.configure(conn).get_current_heads()
        return ",".join(sorted(heads)) or None

    def delete_athlete(self, athlete_id: int) -> bool:
        """The athlete and everything of theirs (activities, logs, check-ins, sync folders, by the
        foreign keys' cascade), then the raw files nobody else's activity refers to (counted and
        unlinked as a delete of one activity does: never under an upload reusing them)."""
        theirs = select(Activity.sha256).where(Activity.athlete_id == athlete_id)
        with self._write() as session:
            serialize_athlete_writes(session, athlete_id)  # as uploads and deletes do
            shas = set(session.scalars(theirs))
            result = session.execute(delete(Athlete).where(Athlete.id == athlete_id))
            gone = getattr(result, "rowcount", 0)
        self._forget_blobs(sorted(shas))
        return bool(gone)
