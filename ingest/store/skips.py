"""Skipped sessions: the days the athlete said a planned strength session did not happen."""

from __future__ import annotations

from datetime import date

from sqlalchemy import delete, select
from sqlalchemy.exc import IntegrityError

from ingest.store.database import Database, within
from ingest.store.schema import SkippedSession


class SkipStore(Database):
    def skip_session(self, athlete_id: int, day: date) -> bool:
        """Mark ``day`` skipped; False when it already was (idempotent, also when two requests
        race: the unique key keeps one row)."""
        try:
            with self._write() as session:
                found = session.scalar(
                    select(SkippedSession.id).where(
                        SkippedSession.athlete_id == athlete_id, SkippedSession.date == day
                    )
                )
                if found is not None:
                    return False
                session.add(SkippedSession(athlete_id=athlete_id, date=day))
        except IntegrityError:
            return False
        return True

    def unskip_session(self, athlete_id: int, day: date) -> bool:
        """Forget that ``day`` was skipped; False when it was not."""
        with self._write() as session:
            result = session.execute(
                delete(SkippedSession).where(
                    SkippedSession.athlete_id == athlete_id, SkippedSession.date == day
                )
            )
            return bool(getattr(result, "rowcount", 0))

    def list_skips(
        self, athlete_id: int, start: date | None = None, end: date | None = None
    ) -> list[date]:
        query = select(SkippedSession.date).where(SkippedSession.athlete_id == athlete_id)
        query = within(query, SkippedSession.date, start, end)
        with self._read() as session:
            return list(session.scalars(query.order_by(SkippedSession.date)))
