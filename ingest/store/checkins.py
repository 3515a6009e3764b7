"""Check-ins: the athlete's morning sleep hours, soreness and note."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from sqlalchemy import select

from ingest.store.database import Database, within
from ingest.store.schema import Checkin


@dataclass(frozen=True)
class CheckinRecord:
    id: int
    athlete_id: int
    date: date
    sleep_hours: float | None
    soreness: float | None
    note: str | None


class CheckinStore(Database):
    def add_checkin(
        self,
        athlete_id: int,
        day: date,
        *,
        sleep_hours: float | None = None,
        soreness: float | None = None,
        note: str | None = None,
    ) -> CheckinRecord:
        row = Checkin(
            athlete_id=athlete_id, date=day, sleep_hours=sleep_hours, soreness=soreness, note=note
        )
        with self._write() as session:
            session.add(row)
            self._touch(session, athlete_id)
            session.flush()
            return _checkin(row)

    def list_checkins(
        self, athlete_id: int, start: date | None = None, end: date | None = None
    ) -> list[CheckinRecord]:
        query = select(Checkin).where(Checkin.athlete_id == athlete_id)
        query = within(query, Checkin.date, start, end)
        with self._read() as session:
            return [_checkin(r) for r in session.scalars(query.order_by(Checkin.date, Checkin.id))]


def _checkin(row: Checkin) -> CheckinRecord:
    return CheckinRecord(row.id, row.athlete_id, row.date, row.sleep_hours, row.soreness, row.note)
