"""The per-athlete storage quota: what an athlete's raw files take on disk (issue 14, finding 5).

Each activity row records the stored (compressed) size of its raw file (``raw_bytes``); a file
two athletes uploaded counts for each. Rows from before migration 0005 are measured on first use.
The check runs inside the upload's write transaction, after the athlete's lock, so two uploads
at once cannot both squeeze under the limit.
"""

from __future__ import annotations

from sqlalchemy import func, select, update
from sqlalchemy.orm import Session

from ingest.store.blobs import BlobStore
from ingest.store.schema import Activity

MiB = 1024 * 1024


class QuotaExceeded(Exception):
    """Storing this file would take the athlete past their storage quota; nothing was stored."""

    def __init__(self, used: int, needed: int, quota: int):
        self.used, self.needed, self.quota = used, needed, quota
        super().__init__(
            f"storage quota exceeded: your raw files take {used / MiB:.1f} MiB of your "
            f"{quota / MiB:.1f} MiB and this file needs {needed / MiB:.1f} MiB more; delete "
            "activities you do not need, or ask the admin to raise LEGDAY_STORAGE_QUOTA_MB"
        )


def used_bytes(session: Session, blobs: BlobStore, athlete_id: int) -> int:
    """The stored size of the athlete's raw files (measuring, and recording, unmeasured rows)."""
    unmeasured = session.execute(
        select(Activity.id, Activity.sha256).where(
            Activity.athlete_id == athlete_id, Activity.raw_bytes.is_(None)
        )
    ).all()
    for activity_id, sha in unmeasured:
        size = blobs.stored_size(sha) if blobs.exists(sha) else 0
        session.execute(update(Activity).where(Activity.id == activity_id).values(raw_bytes=size))
    used = session.scalar(
        select(func.coalesce(func.sum(Activity.raw_bytes), 0)).where(
            Activity.athlete_id == athlete_id
        )
    )
    return int(used or 0)


def check(session: Session, blobs: BlobStore, athlete_id: int, needed: int, quota: int) -> None:
    used = used_bytes(session, blobs, athlete_id)
    if used + needed > quota:
        raise QuotaExceeded(used, needed, quota)
