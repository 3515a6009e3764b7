"""The store: the only module in ``ingest`` that talks SQL. Raw files go to the content-addressed
blob directory, everything else to SQLite (default) or PostgreSQL through SQLAlchemy 2.

Callers get plain frozen dataclasses, never ORM objects. Parsing and metrics happen before a write
transaction starts; a write transaction on SQLite is ``BEGIN IMMEDIATE`` (DESIGN.md, Pitfalls).
"""

from __future__ import annotations

import hashlib
import secrets
from collections.abc import Callable, Iterable, Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, timedelta
from pathlib import Path
from typing import Any, Literal

import pandas as pd
from sqlalchemy import (
    Engine,
    Select,
    create_engine,
    delete,
    event,
    func,
    make_url,
    select,
    update,
)
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from ingest.errors import IngestError
from ingest.measure.summary import MetricsProfile
from ingest.pipeline import PARSER_VERSION, ParsedActivity, parse_activity
from ingest.store import daily_totals as aggregates
from ingest.store import dedup
from ingest.store.blobs import BlobStore
from ingest.store.schema import Activity, Athlete, Base, Checkin, StrengthLog

WEEKDAYS = ("monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday")
PROFILE_FIELDS = (
    "name",
    "timezone",
    "week_start",
    "strategy",
    "strength_days",
    "long_run_day",
    "hard_days",
    "sex",
    "hr_rest",
    "hr_max",
    "lifting_experience",
    "races",
)
# The recommender's activity frame (recommender/types.py ACTIVITY_COLUMNS) plus id and duplicate_of.
FRAME_COLUMNS = (
    "id",
    "start",
    "local_date",
    "sport",
    "duration_s",
    "moving_s",
    "distance_m",
    "ascent_m",
    "descent_m",
    "descent_load_m",
    "km_effort",
    "trimp",
    "avg_hr",
    "max_hr",
    "duplicate_of",
)
SQLITE_BUSY_TIMEOUT_S = 30.0
ACTIVITY_LOCK_CLASS = 0x6C64  # pg_advisory_xact_lock(class, athlete id) for activity writes
API_ACTIVITY_KEYS = (
    "id",
    "utc_offset_s",
    "sport",
    "duration_s",
    "moving_s",
    "distance_m",
    "ascent_m",
    "descent_m",
    "elevation_source",
    "ascent_recomputed_m",
    "descent_recomputed_m",
    "descent_by_grade_m",
    "descent_load_m",
    "km_effort",
    "trimp",
    "avg_hr",
    "max_hr",
    "device",
    "format",
    "sha256",
    "file_name",
    "duplicate_of",
)


def hash_token(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


def _within(query: Select[Any], column: Any, start: date | None, end: date | None) -> Select[Any]:
    """``query`` limited to rows whose ``column`` lies in [start, end]; None leaves a side open."""
    if start is not None:
        query = query.where(column >= start)
    if end is not None:
        query = query.where(column <= end)
    return query


def _utc(value: datetime) -> datetime:
    """SQLite hands datetimes back naive (they were stored as UTC); PostgreSQL tz-aware."""
    return value.replace(tzinfo=UTC) if value.tzinfo is None else value.astimezone(UTC)


def _naive_utc(value: datetime) -> datetime:
    return _utc(value).replace(tzinfo=None)


@dataclass(frozen=True)
class AthleteRecord:
    id: int
    name: str
    timezone: str
    week_start: str
    strategy: str
    strength_days: tuple[str, ...]
    long_run_day: str | None
    hard_days: tuple[str, ...] | None
    sex: str | None
    hr_rest: float | None
    hr_max: float | None
    lifting_experience: str
    races: tuple[dict[str, Any], ...]
    feed_nonce: str
    token_revoked_at: datetime | None
    created_at: datetime
    token_expires_at: datetime | None = None  # None: the token does not expire
    data_version: int = 0  # changes with every write that can change a plan or the weeks

    def metrics_profile(self) -> MetricsProfile:
        sex = self.sex if self.sex in ("male", "female") else None
        return MetricsProfile(
            timezone=self.timezone,
            sex=sex,  # type: ignore[arg-type]
            hr_rest=self.hr_rest,
            hr_max=self.hr_max,
        )

    def profile_dict(self) -> dict[str, Any]:
        """The API profile (DESIGN.md, API v1): id plus every profile field."""
        d: dict[str, Any] = {"id": self.id}
        for name in PROFILE_FIELDS:
            value = getattr(self, name)
            d[name] = list(value) if isinstance(value, tuple) else value
        return d


@dataclass(frozen=True)
class ActivityRecord:
    id: int
    athlete_id: int
    sha256: str
    file_name: str
    format: str
    start: datetime
    local_date: date
    utc_offset_s: int
    sport: str
    duration_s: float
    moving_s: float
    distance_m: float
    ascent_m: float
    descent_m: float
    elevation_source: str
    ascent_recomputed_m: float
    descent_recomputed_m: float
    descent_by_grade_m: dict[str, float]
    descent_load_m: float
    km_effort: float
    trimp: float | None
    avg_hr: float | None
    max_hr: float | None
    device: str | None
    duplicate_of: int | None
    parser_version: int
    summary: dict[str, Any] = field(repr=False)
    created_at: datetime = field(repr=False)

    def to_dict(self) -> dict[str, Any]:
        """The API's activity summary (DESIGN.md, API v1), JSON-ready."""
        d = {k: getattr(self, k) for k in API_ACTIVITY_KEYS}
        d["start"] = self.start.isoformat()
        d["local_date"] = self.local_date.isoformat()
        return d


@dataclass(frozen=True)
class IngestOutcome:
    status: Literal["ingested", "duplicate"]
    activity_id: int
    duplicate_of: int | None
    activity: ActivityRecord


@dataclass(frozen=True)
class StrengthRecord:
    id: int
    athlete_id: int
    date: date
    exercise: str
    sets: tuple[dict[str, Any], ...]
    created_at: datetime


@dataclass(frozen=True)
class CheckinRecord:
    id: int
    athlete_id: int
    date: date
    sleep_hours: float | None
    soreness: float | None
    note: str | None


@dataclass(frozen=True)
class ReprocessReport:
    total: int = 0
    updated: int = 0
    failed: int = 0
    missing_blob: int = 0
    failures: tuple[tuple[int, str], ...] = ()


def _athlete(row: Athlete | Any) -> AthleteRecord:
    """From an ORM row or a Core row of the athletes table (same attribute names)."""
    return AthleteRecord(
        id=row.id,
        name=row.name,
        timezone=row.timezone,
        week_start=row.week_start,
        strategy=row.strategy,
        strength_days=tuple(row.strength_days),
        long_run_day=row.long_run_day,
        hard_days=None if row.hard_days is None else tuple(row.hard_days),
        sex=row.sex,
        hr_rest=row.hr_rest,
        hr_max=row.hr_max,
        lifting_experience=row.lifting_experience,
        races=tuple(row.races),
        feed_nonce=row.feed_nonce,
        token_revoked_at=None if row.token_revoked_at is None else _utc(row.token_revoked_at),
        created_at=_utc(row.created_at),
        token_expires_at=None if row.token_expires_at is None else _utc(row.token_expires_at),
        data_version=row.data_version or 0,
    )


def _activity(row: Activity) -> ActivityRecord:
    return ActivityRecord(
        id=row.id,
        athlete_id=row.athlete_id,
        sha256=row.sha256,
        file_name=row.file_name,
        format=row.format,
        start=_utc(row.start_utc),
        local_date=row.local_date,
        utc_offset_s=row.utc_offset_s,
        sport=row.sport,
        duration_s=row.duration_s,
        moving_s=row.moving_s,
        distance_m=row.distance_m,
        ascent_m=row.ascent_m,
        descent_m=row.descent_m,
        elevation_source=row.elevation_source,
        ascent_recomputed_m=row.ascent_recomputed_m,
        descent_recomputed_m=row.descent_recomputed_m,
        descent_by_grade_m=dict(row.descent_by_grade),
        descent_load_m=row.descent_load_m,
        km_effort=row.km_effort,
        trimp=row.trimp,
        avg_hr=row.avg_hr,
        max_hr=row.max_hr,
        device=row.device,
        duplicate_of=row.duplicate_of,
        parser_version=row.parser_version,
        summary=dict(row.summary),
        created_at=_utc(row.created_at),
    )


def _summary_columns(parsed: ParsedActivity) -> dict[str, Any]:
    s = parsed.summary
    summary = s.to_dict()
    summary["barometric"] = parsed.barometric
    return {
        "sha256": parsed.sha256,
        "format": parsed.format,
        "start_utc": _naive_utc(s.start),
        "local_date": s.local_date,
        "utc_offset_s": int(s.utc_offset_s),
        "sport": s.sport,
        "duration_s": float(s.duration_s),
        "moving_s": float(s.moving_s),
        "distance_m": float(s.distance_m),
        "ascent_m": float(s.ascent_m),
        "descent_m": float(s.descent_m),
        "elevation_source": s.elevation_source,
        "ascent_recomputed_m": float(s.ascent_recomputed_m),
        "descent_recomputed_m": float(s.descent_recomputed_m),
        "descent_by_grade": {k: float(v) for k, v in s.descent_by_grade_m.items()},
        "descent_load_m": float(s.descent_load_m),
        "km_effort": float(s.km_effort),
        "trimp": None if s.trimp is None else float(s.trimp),
        "avg_hr": None if s.avg_hr is None else float(s.avg_hr),
        "max_hr": None if s.max_hr is None else float(s.max_hr),
        "device": s.device,
        "parser_version": parsed.parser_version,
        "summary": summary,
    }


def _dedup_key(row: Activity) -> dedup.DedupKey:
    return dedup.DedupKey(
        id=row.id,
        start=_utc(row.start_utc),
        duration_s=row.duration_s,
        distance_m=row.distance_m,
        format=row.format,
        samples=int(row.summary.get("samples") or 0),
        has_hr=row.avg_hr is not None,
        barometric=row.summary.get("barometric"),
        duplicate_of=row.duplicate_of,
    )


def _new_key(parsed: ParsedActivity) -> dedup.DedupKey:
    s = parsed.summary
    return dedup.DedupKey(
        id=None,
        start=_utc(s.start),
        duration_s=s.duration_s,
        distance_m=s.distance_m,
        format=parsed.format,
        samples=s.samples,
        has_hr=s.avg_hr is not None,
        barometric=parsed.barometric,
    )


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


class Store:
    """Athletes, activities (rows + raw files), strength log and check-ins."""

    def __init__(
        self,
        url: str | None,
        data_dir: Path,
        *,
        blobs: BlobStore | None = None,
        clock: Callable[[], datetime] = lambda: datetime.now(UTC),
    ):
        self.data_dir = Path(data_dir)
        self.data_dir.mkdir(parents=True, exist_ok=True)
        url = url or default_sqlite_url(self.data_dir)
        database = make_url(url).database
        if url.startswith("sqlite") and database and database != ":memory:":
            Path(database).parent.mkdir(parents=True, exist_ok=True)
        self.url = url
        self.blobs = blobs or BlobStore(self.data_dir / "blobs")
        self._clock = clock
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
        return _naive_utc(self._clock())

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
        for statement in aggregates.refresh(athlete_id, days):
            session.execute(statement)

    # --- athletes --------------------------------------------------------------------------------

    def create_athlete(
        self, name: str, *, token_expires_at: datetime | None = None, **profile: Any
    ) -> tuple[AthleteRecord, str]:
        """A new athlete and their bearer token (returned once; only its hash is kept), valid
        until ``token_expires_at`` (None: no expiry)."""
        unknown = set(profile) - set(PROFILE_FIELDS)
        if unknown:
            raise ValueError(f"unknown profile fields: {sorted(unknown)}")
        token = secrets.token_urlsafe(32)
        row = Athlete(
            name=name,
            timezone=profile.get("timezone") or "UTC",
            week_start=profile.get("week_start") or "monday",
            strategy=profile.get("strategy") or "separate",
            strength_days=list(profile.get("strength_days") or WEEKDAYS),
            long_run_day=profile.get("long_run_day"),
            hard_days=_opt_list(profile.get("hard_days")),
            sex=profile.get("sex"),
            hr_rest=profile.get("hr_rest"),
            hr_max=profile.get("hr_max"),
            lifting_experience=profile.get("lifting_experience") or "novice",
            races=list(profile.get("races") or ()),
            token_hash=hash_token(token),
            token_expires_at=None if token_expires_at is None else _naive_utc(token_expires_at),
            feed_nonce=secrets.token_urlsafe(16),
            created_at=self._now(),
        )
        with self._write() as session:
            session.add(row)
            session.flush()
            return _athlete(row), token

    def get_athlete(self, athlete_id: int) -> AthleteRecord | None:
        with self._read() as session:
            row = session.get(Athlete, athlete_id)
            return None if row is None else _athlete(row)

    def athlete_by_name(self, name: str) -> AthleteRecord | None:
        with self._read() as session:
            row = session.scalar(select(Athlete).where(Athlete.name == name))
            return None if row is None else _athlete(row)

    def athlete_by_token_hash(self, token_hash: str) -> AthleteRecord | None:
        """The athlete holding this (unrevoked) token, by the token's SHA-256 (a unique index).

        Every API request asks this, so it reads one Core row (no ORM identity map or session):
        under 50 concurrent clients the ORM lookup was 16 % of the server's samples."""
        query = select(*Athlete.__table__.columns).where(
            Athlete.token_hash == token_hash, Athlete.token_revoked_at.is_(None)
        )
        with self.engine.connect() as conn:
            row = conn.execute(query).first()
        return None if row is None else _athlete(row)

    def list_athletes(self) -> list[AthleteRecord]:
        with self._read() as session:
            return [_athlete(r) for r in session.scalars(select(Athlete).order_by(Athlete.id))]

    def update_athlete(self, athlete_id: int, **changes: Any) -> AthleteRecord:
        unknown = set(changes) - set(PROFILE_FIELDS)
        if unknown:
            raise ValueError(f"unknown profile fields: {sorted(unknown)}")
        with self._write() as session:
            row = session.get(Athlete, athlete_id)
            if row is None:
                raise KeyError(athlete_id)
            for key, value in changes.items():
                if key in ("strength_days", "races"):
                    value = list(value or (WEEKDAYS if key == "strength_days" else ()))
                elif key == "hard_days":
                    value = _opt_list(value)
                setattr(row, key, value)
            row.data_version = Athlete.data_version + 1
            session.flush()
            return _athlete(row)

    def revoke_token(self, athlete_id: int) -> None:
        with self._write() as session:
            session.execute(
                update(Athlete).where(Athlete.id == athlete_id).values(token_revoked_at=self._now())
            )

    def rotate_token(self, athlete_id: int, *, expires_at: datetime | None = None) -> str:
        """A fresh token for the athlete, valid until ``expires_at`` (None: no expiry); the old
        one stops working."""
        token = secrets.token_urlsafe(32)
        expiry = None if expires_at is None else _naive_utc(expires_at)
        with self._write() as session:
            session.execute(
                update(Athlete)
                .where(Athlete.id == athlete_id)
                .values(
                    token_hash=hash_token(token), token_revoked_at=None, token_expires_at=expiry
                )
            )
        return token

    def rotate_feed(self, athlete_id: int) -> AthleteRecord:
        """A new calendar feed nonce: the old feed URL stops working."""
        with self._write() as session:
            row = session.get(Athlete, athlete_id)
            if row is None:
                raise KeyError(athlete_id)
            row.feed_nonce = secrets.token_urlsafe(16)
            session.flush()
            return _athlete(row)

    # --- activities ------------------------------------------------------------------------------

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
                    return _same_file(existing)
                sha, new_blob = self.blobs.put(parsed.content, parsed.sha256)
                if new_blob:
                    created.append(sha)
                window = timedelta(seconds=2 * dedup.START_TOLERANCE_S)
                start = _naive_utc(parsed.summary.start)
                nearby = session.scalars(
                    select(Activity).where(
                        Activity.athlete_id == athlete_id,
                        Activity.start_utc.between(start - window, start + window),
                    )
                ).all()
                decision = dedup.decide(_new_key(parsed), [_dedup_key(r) for r in nearby])
                row = Activity(
                    athlete_id=athlete_id,
                    file_name=parsed.file_name,
                    duplicate_of=decision.duplicate_of,
                    created_at=self._now(),
                    **_summary_columns(parsed),
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
                self._refresh_days(session, athlete_id, days)
                self._touch(session, athlete_id)
                record = _activity(row)
        except IntegrityError:
            self._forget_blobs(created)
            with self._read() as session:  # a concurrent writer stored the same bytes first
                existing = self._by_sha(session, athlete_id, parsed.sha256)
                if existing is not None:
                    return _same_file(existing)
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
            return None if row is None else _activity(row)

    @staticmethod
    def _serialize_athlete_writes(session: Session, athlete_id: int) -> None:
        """On PostgreSQL, one activity write per athlete at a time (a transaction-scoped advisory
        lock): under READ COMMITTED two uploads of the same run from two sources would otherwise
        both find no match and both become primaries. SQLite's BEGIN IMMEDIATE already does this."""
        if session.get_bind().dialect.name == "postgresql":
            session.execute(select(func.pg_advisory_xact_lock(ACTIVITY_LOCK_CLASS, athlete_id)))

    @staticmethod
    def _by_sha(session: Session, athlete_id: int, sha256: str) -> Activity | None:
        return session.scalar(
            select(Activity).where(Activity.athlete_id == athlete_id, Activity.sha256 == sha256)
        )

    def _forget_blobs(self, shas: Iterable[str]) -> None:
        """Remove raw files this call wrote when no activity refers to them."""
        for sha in shas:
            # No commit: this runs after a failed write (a full disk, say), where a read-only
            # transaction must not be given a chance to fail at its commit too.
            with Session(self.engine) as session:
                used = session.scalar(select(func.count()).where(Activity.sha256 == sha))
            if not used:
                self.blobs.delete(sha)

    def get_activity(self, athlete_id: int, activity_id: int) -> ActivityRecord | None:
        with self._read() as session:
            row = session.get(Activity, activity_id)
            if row is None or row.athlete_id != athlete_id:
                return None
            return _activity(row)

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
        query = _within(query, Activity.local_date, start, end)
        if not include_duplicates:
            query = query.where(Activity.duplicate_of.is_(None))
        query = query.order_by(Activity.start_utc, Activity.id)
        with self._read() as session:
            return [_activity(r) for r in session.scalars(query)]

    def delete_activity(self, athlete_id: int, activity_id: int) -> bool:
        """Delete one of the athlete's activities (False when it is not theirs or not there).
        Its duplicates get a new primary: the richest of them."""
        with self._write() as session:
            row = session.get(Activity, activity_id)
            if row is None or row.athlete_id != athlete_id:
                return False
            sha = row.sha256
            days = {row.local_date}
            dups = session.scalars(select(Activity).where(Activity.duplicate_of == row.id)).all()
            if dups:
                keys = sorted((_dedup_key(d) for d in dups), key=dedup.richness, reverse=True)
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

    def activities_frame(
        self, athlete_id: int, *, include_duplicates: bool = False
    ) -> pd.DataFrame:
        """One row per activity for the recommender; duplicates left out unless asked for.

        Reads just the frame's columns (no ORM objects, no JSON columns): the profile of
        GET /v1/recommendation had 59 % of its time in building ActivityRecords here."""
        columns = [
            Activity.start_utc if c == "start" else getattr(Activity, c) for c in FRAME_COLUMNS
        ]
        query = select(*columns).where(Activity.athlete_id == athlete_id)
        if not include_duplicates:
            query = query.where(Activity.duplicate_of.is_(None))
        with self._read() as session:
            rows = session.execute(query.order_by(Activity.start_utc, Activity.id)).all()
        return _frame(pd.DataFrame.from_records(rows, columns=list(FRAME_COLUMNS)))

    def daily_frame(self, athlete_id: int, *, as_of: date) -> pd.DataFrame:
        """The load model's daily frame (every day before ``as_of``) from the daily totals."""
        with self._read() as session:
            rows = session.execute(aggregates.read(athlete_id, as_of)).all()
        return aggregates.daily_frame(rows, as_of=as_of)

    def recompute_daily_totals(self, athlete_id: int | None = None) -> None:
        """Rebuild the daily totals (of one athlete, or everyone's) from the activities."""
        with self._write() as session:
            for statement in aggregates.refresh(athlete_id):
                session.execute(statement)

    # --- strength log and check-ins ---------------------------------------------------------------

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
        query = _within(query, StrengthLog.date, start, end)
        with self._read() as session:
            rows = session.scalars(query.order_by(StrengthLog.date, StrengthLog.id))
            return [_strength(r) for r in rows]

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
        query = _within(query, Checkin.date, start, end)
        with self._read() as session:
            return [_checkin(r) for r in session.scalars(query.order_by(Checkin.date, Checkin.id))]

    # --- reprocess -------------------------------------------------------------------------------

    def reprocess(
        self,
        profile_for: Callable[[AthleteRecord], MetricsProfile] | None = None,
        *,
        parse: Callable[[bytes, str, MetricsProfile], ParsedActivity] = parse_activity,
        only_stale: bool = False,
    ) -> ReprocessReport:
        """Recompute every stored summary from its raw file with the current parser.
        Parsing happens outside any transaction; each activity is updated in its own."""
        with self._read() as session:
            athletes = {r.id: _athlete(r) for r in session.scalars(select(Athlete))}
            query = select(Activity.id, Activity.athlete_id, Activity.sha256, Activity.file_name)
            if only_stale:
                query = query.where(Activity.parser_version != PARSER_VERSION)
            todo = session.execute(query.order_by(Activity.id)).all()
        pick = profile_for or AthleteRecord.metrics_profile
        profiles = {aid: pick(a) for aid, a in athletes.items()}
        updated = failed = missing = 0
        failures: list[tuple[int, str]] = []
        for activity_id, athlete_id, sha, file_name in todo:
            if not self.blobs.exists(sha):
                missing += 1
                failures.append((activity_id, "raw file missing"))
                continue
            try:
                parsed = parse(self.blobs.get(sha), file_name, profiles[athlete_id])
            except IngestError as exc:
                failed += 1
                failures.append((activity_id, str(exc)))
                continue
            columns = _summary_columns(parsed)
            columns.pop("sha256")  # the raw file is the same; the summary is new
            with self._write() as session:
                before = session.scalar(
                    select(Activity.local_date).where(Activity.id == activity_id)
                )
                session.execute(update(Activity).where(Activity.id == activity_id).values(columns))
                days = {columns["local_date"]} | ({before} if before is not None else set())
                self._refresh_days(session, athlete_id, days)
                self._touch(session, athlete_id)
            updated += 1
        self.recompute_daily_totals()  # also repairs totals written by an older legday
        return ReprocessReport(len(todo), updated, failed, missing, tuple(failures))


def _same_file(row: Activity) -> IngestOutcome:
    record = _activity(row)
    return IngestOutcome("duplicate", record.id, record.id, record)


def _opt_list(value: Iterable[Any] | None) -> list[Any] | None:
    return None if value is None else list(value)


def _strength(row: StrengthLog) -> StrengthRecord:
    return StrengthRecord(
        row.id, row.athlete_id, row.date, row.exercise, tuple(row.sets), _utc(row.created_at)
    )


def _checkin(row: Checkin) -> CheckinRecord:
    return CheckinRecord(row.id, row.athlete_id, row.date, row.sleep_hours, row.soreness, row.note)


def activities_to_frame(records: Sequence[ActivityRecord]) -> pd.DataFrame:
    """ActivityRecords → the recommender's frame (FRAME_COLUMNS), with stable dtypes when empty."""
    rows = [{c: getattr(r, c) for c in FRAME_COLUMNS} for r in records]
    return _frame(pd.DataFrame(rows, columns=list(FRAME_COLUMNS)))


def _frame(frame: pd.DataFrame) -> pd.DataFrame:
    """FRAME_COLUMNS with the recommender's dtypes (start tz-aware UTC, dates as objects)."""
    frame["id"] = frame["id"].astype("int64")
    frame["start"] = pd.to_datetime(frame["start"], utc=True)
    frame["local_date"] = frame["local_date"].astype(object)
    frame["sport"] = frame["sport"].astype(object)
    for col in FRAME_COLUMNS[4:-1]:
        frame[col] = pd.to_numeric(frame[col], errors="coerce").astype("float64")
    frame["duplicate_of"] = frame["duplicate_of"].astype("Int64")
    return frame


__all__ = [
    "FRAME_COLUMNS",
    "PROFILE_FIELDS",
    "ActivityRecord",
    "AthleteRecord",
    "Base",
    "CheckinRecord",
    "IngestOutcome",
    "ReprocessReport",
    "Store",
    "StrengthRecord",
    "activities_to_frame",
    "hash_token",
]
