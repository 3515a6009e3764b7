"""Activities: one parsed file stored in one transaction (raw file + row + daily totals), the
same file or the same run from another source detected, listing and deletion."""

from __future__ import annotations

from collections.abc import Iterable
from datetime import date, datetime, timedelta
from typing import Literal

from sqlalchemy import delete, func, select, update
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from ingest.pipeline import ParsedActivity
from ingest.store import dedup, quota
from ingest.store.activity_records import (
    FILE_NAME_CHARS,
    ActivityRecord,
    IngestOutcome,
    activity_record,
    dedup_key,
    new_key,
    same_file,
    summary_columns,
)
from ingest.store.blob_refs import BlobRefs
from ingest.store.database import naive_utc, within
from ingest.store.schema import Activity, Athlete, StrengthLog
from ingest.store.strength import strength_row
from ingest.store.text import display_text

EXERCISE_CHARS = 100  # strength_log.exercise
ACTIVITY_LOCK_CLASS = 0x6C64  # pg_advisory_xact_lock(class, athlete id) for activity writes


class ActivityStore(BlobRefs):
    def add_activity(self, athlete_id: int, parsed: ParsedActivity) -> IngestOutcome:
        """Store one parsed file in one transaction: the raw file first, then the row.

        The same bytes again: nothing changes, status "duplicate". The same activity from another
        source: stored, marked ``duplicate_of`` the richer one. Any failure leaves no row and no
        raw file that was written for it."""
        created: list[str] = []
        try:
            with self._write() as session:
                self._serialize_athlete_writes(session, athlete_id)
                existing = self._by_sha(session, athlete_id, parsed.sha256)
                if existing is not None:
                    return same_file(existing)
                self._serialize_blob_refs(session, parsed.sha256)  # held until the row commits
                sha, new_blob = self.blobs.put(parsed.content, parsed.sha256)
                if new_blob:
                    created.append(sha)
                stored = self.blobs.stored_size(sha)
                if self.quota_bytes is not None:
                    quota.check(session, self.blobs, athlete_id, stored, self.quota_bytes)
                window = timedelta(seconds=2 * dedup.START_TOLERANCE_S)
                start = naive_utc(parsed.summary.start)
                nearby = session.scalars(
                    select(Activity).where(
                        Activity.athlete_id == athlete_id,
                        Activity.start_utc.between(start - window, start + window),
                    )
                ).all()
                decision = dedup.decide(new_key(parsed), [dedup_key(r) for r in nearby])
                row = Activity(
                    athlete_id=athlete_id,
                    file_name=display_text(parsed.file_name, FILE_NAME_CHARS) or "activity",
                    duplicate_of=decision.duplicate_of,
                    created_at=self._now(),
                    raw_bytes=stored,
                    **summary_columns(parsed),
                )
                session.add(row)
                session.flush()
                if decision.repoint:
                    session.execute(
                        update(Activity)
                        .where(Activity.id.in_(decision.repoint))
                        .values(duplicate_of=row.id)
                    )
                days = {row.local_date} | {r.local_date for r in nearby if r.id in decision.repoint}
                if decision.duplicate_of is None:
                    log_sets(session, row, parsed, self._now(), decision.repoint)
                self._refresh_days(session, athlete_id, days)
                self._touch(session, athlete_id)
                mark_if_stale(session, athlete_id, parsed.profile_version)
                record = activity_record(row)
        except IntegrityError:
            self._forget_blobs(created)
            with self._read() as session:  # a concurrent writer stored the same bytes first
                existing = self._by_sha(session, athlete_id, parsed.sha256)
                if existing is not None:
                    return same_file(existing)
            raise
        except BaseException:
            self._forget_blobs(created)
            raise
        status: Literal["ingested", "duplicate"] = (
            "duplicate" if record.duplicate_of is not None else "ingested"
        )
        return IngestOutcome(status, record.id, record.duplicate_of, record)

    def find_by_sha(self, athlete_id: int, sha256: str) -> ActivityRecord | None:
        """The athlete's activity made from exactly these (inflated) bytes, if any."""
        with self._read() as session:
            row = self._by_sha(session, athlete_id, sha256)
            return None if row is None else activity_record(row)

    @staticmethod
    def _serialize_athlete_writes(session: Session, athlete_id: int) -> None:
        serialize_athlete_writes(session, athlete_id)

    @staticmethod
    def _by_sha(session: Session, athlete_id: int, sha256: str) -> Activity | None:
        return session.scalar(
            select(Activity).where(Activity.athlete_id == athlete_id, Activity.sha256 == sha256)
        )

    def get_activity(self, athlete_id: int, activity_id: int) -> ActivityRecord | None:
        with self._read() as session:
            row = session.get(Activity, activity_id)
            if row is None or row.athlete_id != athlete_id:
                return None
            return activity_record(row)

    def list_activities(
        self,
        athlete_id: int,
        start: date | None = None,
        end: date | None = None,
        *,
        include_duplicates: bool = True,
    ) -> list[ActivityRecord]:
        """Activities whose local date is in [start, end] (inclusive), oldest first."""
        query = select(Activity).where(Activity.athlete_id == athlete_id)
        query = within(query, Activity.local_date, start, end)
        if not include_duplicates:
            query = query.where(Activity.duplicate_of.is_(None))
        query = query.order_by(Activity.start_utc, Activity.id)
        with self._read() as session:
            return [activity_record(r) for r in session.scalars(query)]

    def delete_activity(self, athlete_id: int, activity_id: int) -> bool:
        """Delete one of the athlete's activities (False when it is not theirs or not there).
        Its duplicates get a new primary: the richest of them."""
        with self._write() as session:
            self._serialize_athlete_writes(session, athlete_id)  # as uploads do: no FK races
            row = session.get(Activity, activity_id)
            if row is None or row.athlete_id != athlete_id:
                return False
            sha = row.sha256
            days = {row.local_date}
            dups = session.scalars(select(Activity).where(Activity.duplicate_of == row.id)).all()
            if dups:
                keys = sorted((dedup_key(d) for d in dups), key=dedup.richness, reverse=True)
                new_primary = keys[0].id
                session.execute(
                    update(Activity)
                    .where(Activity.duplicate_of == row.id)
                    .values(duplicate_of=new_primary)
                )
                session.execute(
                    update(Activity).where(Activity.id == new_primary).values(duplicate_of=None)
                )
                days |= {d.local_date for d in dups if d.id == new_primary}
            session.execute(delete(Activity).where(Activity.id == activity_id))
            self._refresh_days(session, athlete_id, days)
            self._touch(session, athlete_id)
        self._forget_blobs([sha])
        return True

    def raw_file(self, athlete_id: int, activity_id: int) -> bytes | None:
        record = self.get_activity(athlete_id, activity_id)
        return None if record is None else self.blobs.get(record.sha256)


def log_sets(
    session: Session,
    row: Activity,
    parsed: ParsedActivity,
    now: datetime,
    group: Iterable[int] = (),
) -> int:
    """A strength activity's sets into the strength log, linked to ``row`` (in the caller's
    transaction): unless they are there already, or the same session stored from another file
    (``group``: now ``row``'s duplicates) has them. Returns how many entries were added."""
    if not parsed.strength:
        return 0
    linked = session.scalar(
        select(func.count()).where(StrengthLog.activity_id.in_((row.id, *group)))
    )
    if linked:
        return 0
    for logged in parsed.strength:
        session.add(
            strength_row(
                row.athlete_id,
                row.local_date,
                # a custom name is the watch's (a FIT workout step's): bounded here, as file names
                display_text(logged.exercise, EXERCISE_CHARS) or "Unnamed exercise",
                logged.sets,
                custom=logged.custom,
                created_at=now,
                activity_id=row.id,
            )
        )
    return len(parsed.strength)


def serialize_athlete_writes(session: Session, athlete_id: int) -> None:
    """On PostgreSQL, one activity write per athlete at a time (a transaction-scoped advisory
    lock): under READ COMMITTED two uploads of the same run from two sources would otherwise
    both find no match and both become primaries. SQLite's BEGIN IMMEDIATE already does this."""
    if session.get_bind().dialect.name == "postgresql":
        session.execute(select(func.pg_advisory_xact_lock(ACTIVITY_LOCK_CLASS, athlete_id)))


def mark_if_stale(session: Session, athlete_id: int, profile_version: int) -> None:
    """An activity computed with figures the athlete has since changed: the athlete's derived
    data is pending again (``ingest.store.derived``)."""
    session.execute(
        update(Athlete)
        .where(Athlete.id == athlete_id, Athlete.profile_version != profile_version)
        .values(derived_version=-1)
    )
