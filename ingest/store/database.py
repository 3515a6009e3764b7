"""The database under the store: engine set-up (SQLite pragmas, ``BEGIN IMMEDIATE`` for writes),
sessions, Alembic upgrades, and what every aggregate's writes share (data version, daily totals).

Each aggregate (athletes, activities, strength log, check-ins, ...) is a mixin over ``Database``
in a module of its own; ``ingest.store.Store`` puts them together. Callers get plain frozen
dataclasses, never ORM objects. Parsing and metrics happen before a write transaction starts
(DESIGN.md, Pitfalls).
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Iterator
from contextlib import contextmanager
from datetime import UTC, date, datetime
from pathlib import Path
from typing import Any

from sqlalchemy import Engine, Select, create_engine, event, make_url, update
from sqlalchemy.orm import Session

from ingest.store import daily_totals
from ingest.store.blobs import BlobStore
from ingest.store.private import private_dir, private_sqlite_file
from ingest.store.schema import Athlete

SQLITE_BUSY_TIMEOUT_S = 30.0


def within(query: Select[Any], column: Any, start: date | None, end: date | None) -> Select[Any]:
    """``query`` limited to rows whose ``column`` lies in [start, end]; None leaves a side open."""
    if start is not None:
        query = query.where(column >= start)
    if end is not None:
        query = query.where(column <= end)
    return query


def utc(value: datetime) -> datetime:
    """SQLite hands datetimes back naive (they were stored as UTC); PostgreSQL tz-aware."""
    return value.replace(tzinfo=UTC) if value.tzinfo is None else value.astimezone(UTC)


def naive_utc(value: datetime) -> datetime:
    return utc(value).replace(tzinfo=None)


def default_sqlite_url(data_dir: Path) -> str:
    return f"sqlite:///{Path(data_dir).resolve() / 'legday.db'}"


def _make_engine(url: str) -> Engine:
    # The API runs sync routes on up to 40 threads: a pool smaller than that opened and closed
    # an overflow connection (and, on SQLite, ran its PRAGMAs) on many requests under load.
    if not url.startswith("sqlite"):
        return create_engine(url, pool_pre_ping=True, pool_size=10, max_overflow=10)
    engine = create_engine(
        url, connect_args={"timeout": SQLITE_BUSY_TIMEOUT_S}, pool_size=20, max_overflow=30
    )

    @event.listens_for(engine, "connect")
    def _on_connect(dbapi_conn: Any, _record: Any) -> None:
        dbapi_conn.isolation_level = None  # pysqlite must not BEGIN by itself; we do, below
        cur = dbapi_conn.cursor()
        cur.execute(f"PRAGMA busy_timeout = {int(SQLITE_BUSY_TIMEOUT_S * 1000)}")
        cur.execute("PRAGMA journal_mode = WAL")
        cur.execute("PRAGMA synchronous = NORMAL")
        cur.execute("PRAGMA foreign_keys = ON")
        cur.close()

    @event.listens_for(engine, "begin")
    def _on_begin(conn: Any) -> None:
        write = conn.get_execution_options().get("legday_write", False)
        conn.exec_driver_sql("BEGIN IMMEDIATE" if write else "BEGIN")

    return engine


class Database:
    """Engine, sessions and clock: what the aggregates' mixins share."""

    def __init__(
        self,
        url: str | None,
        data_dir: Path,
        *,
        blobs: BlobStore | None = None,
        clock: Callable[[], datetime] = lambda: datetime.now(UTC),
        quota_bytes: int | None = None,
    ):
        self.data_dir = private_dir(Path(data_dir))  # 0700 whatever the umask (finding 8)
        url = url or default_sqlite_url(self.data_dir)
        database = make_url(url).database
        if url.startswith("sqlite") and database and database != ":memory:":
            parent = Path(database).parent
            if not parent.exists():
                private_dir(parent)
            private_sqlite_file(Path(database))  # 0600, and so its -wal and -shm
        self.url = url
        self.blobs = blobs or BlobStore(self.data_dir / "blobs")
        self._clock = clock
        self.quota_bytes = quota_bytes  # raw-file storage per athlete (None: no quota)
        self.engine = _make_engine(url)
        # Same pool; its connections begin with BEGIN IMMEDIATE on SQLite.
        self._write_engine = self.engine.execution_options(legday_write=True)

    # --- plumbing --------------------------------------------------------------------------------

    def upgrade(self, revision: str = "head") -> None:
        """Bring the schema to ``revision`` with Alembic. Called explicitly, never on import."""
        from alembic import command

        from ingest.store.migrations import alembic_config

        cfg = alembic_config()
        with self._write_engine.begin() as conn:
            cfg.attributes["connection"] = conn
            command.upgrade(cfg, revision)

    def dispose(self) -> None:
        self.engine.dispose()

    @contextmanager
    def _write(self) -> Iterator[Session]:
        with Session(self._write_engine, expire_on_commit=False) as session, session.begin():
            yield session

    @contextmanager
    def _read(self) -> Iterator[Session]:
        with Session(self.engine) as session, session.begin():
            yield session

    def _now(self) -> datetime:
        return naive_utc(self._clock())

    @staticmethod
    def _touch(session: Session, athlete_id: int) -> None:
        """A new data version for the athlete, in the transaction that changes their data."""
        session.execute(
            update(Athlete)
            .where(Athlete.id == athlete_id)
            .values(data_version=Athlete.data_version + 1)
        )

    @staticmethod
    def _refresh_days(session: Session, athlete_id: int, days: Iterable[date]) -> None:
        """Recompute the athlete's daily totals of ``days`` from their activities (flushed)."""
        session.flush()
        for statement in daily_totals.refresh(athlete_id, days):
            session.execute(statement)

    def recompute_daily_totals(self, athlete_id: int | None = None) -> None:
        """Rebuild the daily totals (of one athlete, or everyone's) from the activities."""
        with self._write() as session:
            for statement in daily_totals.refresh(athlete_id):
                session.execute(statement)
