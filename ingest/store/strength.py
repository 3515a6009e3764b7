"""The strength log: what the athlete lifted, a day and an exercise at a time.

``exercise`` is a catalogue id, or the athlete's own name when ``custom`` (the API resolves names
before they get here). Entries read from a strength activity carry its ``activity_id`` and go when
it goes; ``ActivityStore.add_activity`` writes them in the activity's transaction."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date, datetime
from typing import Any

from sqlalchemy import select

from ingest.store.database import Database, utc, within
from ingest.store.schema import StrengthLog

EDITABLE = ("date", "exercise", "sets", "custom", "confirmed")


@dataclass(frozen=True)
class StrengthRecord:
    id: int
    athlete_id: int
    date: date
    exercise: str
    sets: tuple[dict[str, Any], ...]
    created_at: datetime
    custom: bool = False
    confirmed: bool = False
    activity_id: int | None = None


class StrengthStore(Database):
    def add_strength(
        self,
        athlete_id: int,
        day: date,
        exercise: str,
        sets: Sequence[dict[str, Any]],
        *,
        custom: bool = False,
        confirmed: bool = False,
    ) -> StrengthRecord:
        row = strength_row(athlete_id, day, exercise, sets, custom=custom, created_at=self._now())
        row.confirmed = confirmed
        with self._write() as session:
            session.add(row)
            self._touch(session, athlete_id)
            session.flush()
            return _strength(row)

    def get_strength(self, athlete_id: int, entry_id: int) -> StrengthRecord | None:
        with self._read() as session:
            row = session.get(StrengthLog, entry_id)
            return None if row is None or row.athlete_id != athlete_id else _strength(row)

    def update_strength(
        self, athlete_id: int, entry_id: int, changes: dict[str, Any]
    ) -> StrengthRecord | None:
        """Change any of ``EDITABLE`` of one of the athlete's entries (None: not theirs)."""
        unknown = set(changes) - set(EDITABLE)
        if unknown:
            raise ValueError(f"not editable: {sorted(unknown)}")
        with self._write() as session:
            row = session.get(StrengthLog, entry_id)
            if row is None or row.athlete_id != athlete_id:
                return None
            for name, value in changes.items():
                setattr(row, name, [dict(s) for s in value] if name == "sets" else value)
            self._touch(session, athlete_id)
            session.flush()
            return _strength(row)

    def delete_strength(self, athlete_id: int, entry_id: int) -> bool:
        with self._write() as session:
            row = session.get(StrengthLog, entry_id)
            if row is None or row.athlete_id != athlete_id:
                return False
            session.delete(row)
            self._touch(session, athlete_id)
            return True

    def list_strength(
        self,
        athlete_id: int,
        start: date | None = None,
        end: date | None = None,
        *,
        exercise: str | None = None,
        activity_id: int | None = None,
    ) -> list[StrengthRecord]:
        """The athlete's entries in [start, end], oldest first (and in the order logged)."""
        query = select(StrengthLog).where(StrengthLog.athlete_id == athlete_id)
        query = within(query, StrengthLog.date, start, end)
        if exercise is not None:
            query = query.where(StrengthLog.exercise == exercise)
        if activity_id is not None:
            query = query.where(StrengthLog.activity_id == activity_id)
        with self._read() as session:
            rows = session.scalars(query.order_by(StrengthLog.date, StrengthLog.id))
            return [_strength(r) for r in rows]


def strength_row(
    athlete_id: int,
    day: date,
    exercise: str,
    sets: Sequence[dict[str, Any]],
    *,
    custom: bool,
    created_at: datetime,
    activity_id: int | None = None,
) -> StrengthLog:
    """A new strength-log row (the caller adds it to its session)."""
    return StrengthLog(
        athlete_id=athlete_id,
        date=day,
        exercise=exercise,
        sets=[dict(s) for s in sets],
        created_at=created_at,
        custom=custom,
        confirmed=False,
        activity_id=activity_id,
    )


def _strength(row: StrengthLog) -> StrengthRecord:
    return StrengthRecord(
        row.id,
        row.athlete_id,
        row.date,
        row.exercise,
        tuple(row.sets),
        utc(row.created_at),
        custom=bool(row.custom),
        confirmed=bool(row.confirmed),
        activity_id=row.activity_id,
    )
