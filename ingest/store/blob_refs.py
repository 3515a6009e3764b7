"""References to raw files: an upload adds one, a delete drops one, and the raw file goes when the
last is gone (issue 14, finding 3). Shared by the activities (delete, a failed write) and the
inventory (removing an athlete with everything of theirs)."""

from __future__ import annotations

import logging
from collections.abc import Iterable

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from ingest.store.database import Database
from ingest.store.schema import Activity

BLOB_LOCK_CLASS = 0x6C62  # pg_advisory_xact_lock(class, key of the SHA-256) for raw-file refs
log = logging.getLogger("legday.store")


class BlobRefs(Database):
    @staticmethod
    def _serialize_blob_refs(session: Session, sha256: str) -> None:
        """On PostgreSQL, one transaction at a time may add or drop references to a raw file:
        an upload reusing a file holds this until its row commits, so a delete's count of the
        file's references (``_forget_blobs``) waits for it. SQLite's write lock does this."""
        if session.get_bind().dialect.name == "postgresql":
            key = int(sha256[:8], 16) - 2**31  # a signed 32-bit key
            session.execute(select(func.pg_advisory_xact_lock(BLOB_LOCK_CLASS, key)))

    def _forget_blobs(self, shas: Iterable[str]) -> None:
        """Remove raw files no activity refers to (after a delete, or a failed write that created
        them). The count and the unlink happen in one write transaction that no upload reusing
        the file can overlap (SQLite's write lock; on PostgreSQL the file's advisory lock, which
        an upload holds from reusing the file until its row commits). A failure here leaves the
        file: an unreferenced file costs disk, a missing one loses an activity's raw data."""
        for sha in shas:
            try:
                with self._write() as session:
                    self._serialize_blob_refs(session, sha)
                    used = session.scalar(select(func.count()).where(Activity.sha256 == sha))
                    if not used:
                        self.blobs.delete(sha)
            except Exception:
                log.warning("raw file %s kept: could not check its references", sha, exc_info=True)
