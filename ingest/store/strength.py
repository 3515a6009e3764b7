"""The strength log: what the athlete lifted, a day and an exercise at a time."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date, datetime
from typing import Any

from sqlalchemy import select

from ingest.store.database import Database, utc, within
from ingest.store.schema import StrengthLog


@dataclass(frozen=True)
class StrengthRecord:
    id: int
    athlete_id: int
    date: date
    exercise: str
    sets: tuple[dict[str, Any], ...]
    created_at: datetime


class StrengthStore(Database):
    def add_strength(
        self, athlete_id: int, day: date, exercise: str, sets: Sequence[dict[str, Any]]
    ) -> StrengthRecord:
        row = StrengthLog(
            athlete_id=athlete_id,
            date=day,
            exercise=exercise,
            sets=[dict(s) for s in sets],
            created_at=self._now(),
        )
        with self._write() as session:
            session.add(row)
            self._touch(session, athlete_id)
            session.flush()
            return _strength(row)

    def list_strength(
        self, athlete_id: int, start: date | None = None, end: date | None = None
    ) -> list[StrengthRecord]:
        query = select(StrengthLog).where(StrengthLog.athlete_id == athlete_id)
        query = within(query, StrengthLog.date, start, end)
        with self._read() as session:
            rows = session.scalars(query.order_by(StrengthLog.date, StrengthLog.id))
            return [_strength(r) for r in rows]


def _strength(row: StrengthLog) -> StrengthRecord:
    return StrengthRecord(
        row.id, row.athlete_id, row.date, row.exercise, tuple(row.sets), utc(row.created_at)
    )
