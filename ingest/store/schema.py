"""The database tables as SQLAlchemy 2 typed models; Alembic (ingest/migrations) creates them.

Only ``ingest.store`` uses these classes; nothing outside ``ingest`` should see an ORM object.
Times are stored as UTC (SQLite keeps them naive; the store re-attaches UTC on the way out).
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from sqlalchemy import (
    JSON,
    BigInteger,
    Boolean,
    Date,
    DateTime,
    Float,
    ForeignKey,
    Index,
    Integer,
    MetaData,
    PrimaryKeyConstraint,
    String,
    Text,
    UniqueConstraint,
)
from sqlalchemy import false as sa_false
from sqlalchemy.orm import DeclarativeBase, Mapped, mapped_column

# Deterministic constraint names, so later migrations can drop/alter them on every backend.
NAMING_CONVENTION = {
    "ix": "ix_%(column_0_label)s",
    "uq": "uq_%(table_name)s_%(column_0_N_name)s",
    "ck": "ck_%(table_name)s_%(constraint_name)s",
    "fk": "fk_%(table_name)s_%(column_0_name)s_%(referred_table_name)s",
    "pk": "pk_%(table_name)s",
}


class Base(DeclarativeBase):
    metadata = MetaData(naming_convention=NAMING_CONVENTION)
    type_annotation_map = {  # noqa: RUF012  (SQLAlchemy's class-level configuration)
        dt.datetime: DateTime(timezone=True),
        dict[str, Any]: JSON,
        list[Any]: JSON,
    }


class Athlete(Base):
    __tablename__ = "athletes"
    __table_args__ = (Index("uq_athletes_name_key", "name_key", unique=True),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    name: Mapped[str] = mapped_column(String(200), unique=True)
    # ``athletes.name_key(name)``: names are unique ignoring case and spacing (migration 0005).
    name_key: Mapped[str] = mapped_column(String(200))
    timezone: Mapped[str] = mapped_column(String(64), default="UTC")
    week_start: Mapped[str] = mapped_column(String(16), default="monday")
    strategy: Mapped[str] = mapped_column(String(16), default="separate")
    strength_days: Mapped[list[Any]] = mapped_column(JSON)
    long_run_day: Mapped[str | None] = mapped_column(String(16))
    hard_days: Mapped[list[Any] | None] = mapped_column(JSON)
    sex: Mapped[str | None] = mapped_column(String(16))
    hr_rest: Mapped[float | None] = mapped_column(Float)
    hr_max: Mapped[float | None] = mapped_column(Float)
    lifting_experience: Mapped[str] = mapped_column(String(16), default="novice")
    races: Mapped[list[Any]] = mapped_column(JSON)
    # What the athlete lifts with (migration 0008): null = the default set
    # (``athletes.DEFAULT_EQUIPMENT``), [] = bodyweight only.
    equipment: Mapped[list[Any] | None] = mapped_column(JSON)
    units: Mapped[str] = mapped_column(String(16), default="metric", server_default="metric")
    token_hash: Mapped[str] = mapped_column(String(64), unique=True)
    token_revoked_at: Mapped[dt.datetime | None]
    token_expires_at: Mapped[dt.datetime | None]
    feed_nonce: Mapped[str] = mapped_column(String(64))
    # When migration 0009 gave the athlete a new feed URL (the bare-MAC form retired); else null.
    calendar_url_reissued_at: Mapped[dt.datetime | None]
    created_at: Mapped[dt.datetime]
    # Bumped in the same transaction as any write that can change this athlete's plan or weeks
    # (activities, strength log, check-ins, profile): what the API's plan cache is keyed on.
    data_version: Mapped[int] = mapped_column(Integer, default=0, server_default="0")
    # Bumped when a figure the activity summaries depend on changes (time zone, heart-rate
    # figures, sex): activities computed with another version are recomputed in the background.
    profile_version: Mapped[int] = mapped_column(Integer, default=0, server_default="0")
    # The profile_version every stored summary follows; another value (-1: an activity arrived
    # computed with older figures) means a recomputation is pending.
    derived_version: Mapped[int] = mapped_column(Integer, default=0, server_default="0")


class Activity(Base):
    __tablename__ = "activities"
    __table_args__ = (
        UniqueConstraint("athlete_id", "sha256"),
        Index("ix_activities_athlete_local_date", "athlete_id", "local_date"),
        Index("ix_activities_athlete_start", "athlete_id", "start_utc"),
        Index("ix_activities_athlete_profile", "athlete_id", "profile_version"),
    )

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    athlete_id: Mapped[int] = mapped_column(ForeignKey("athletes.id", ondelete="CASCADE"))
    sha256: Mapped[str] = mapped_column(String(64))
    file_name: Mapped[str] = mapped_column(String(255))
    format: Mapped[str] = mapped_column(String(16))
    start_utc: Mapped[dt.datetime]
    local_date: Mapped[dt.date] = mapped_column(Date)
    utc_offset_s: Mapped[int] = mapped_column(Integer)
    sport: Mapped[str] = mapped_column(String(32))
    duration_s: Mapped[float] = mapped_column(Float)
    moving_s: Mapped[float] = mapped_column(Float)
    distance_m: Mapped[float] = mapped_column(Float)
    ascent_m: Mapped[float] = mapped_column(Float)
    descent_m: Mapped[float] = mapped_column(Float)
    elevation_source: Mapped[str] = mapped_column(String(16))
    ascent_recomputed_m: Mapped[float] = mapped_column(Float)
    descent_recomputed_m: Mapped[float] = mapped_column(Float)
    descent_by_grade: Mapped[dict[str, Any]] = mapped_column(JSON)
    descent_load_m: Mapped[float] = mapped_column(Float)
    km_effort: Mapped[float] = mapped_column(Float)
    trimp: Mapped[float | None] = mapped_column(Float)
    avg_hr: Mapped[float | None] = mapped_column(Float)
    max_hr: Mapped[float | None] = mapped_column(Float)
    device: Mapped[str | None] = mapped_column(String(200))
    duplicate_of: Mapped[int | None] = mapped_column(
        ForeignKey("activities.id", ondelete="SET NULL")
    )
    parser_version: Mapped[int] = mapped_column(Integer)
    # The athlete's profile_version the summary was computed with (local date, TRIMP).
    profile_version: Mapped[int] = mapped_column(Integer, default=0, server_default="0")
    summary: Mapped[dict[str, Any]] = mapped_column(JSON)
    created_at: Mapped[dt.datetime]
    # What the raw file takes on disk (compressed): what the athlete's storage quota counts.
    # Null for rows stored before migration 0005 until the store measures them.
    raw_bytes: Mapped[int | None] = mapped_column(BigInteger)


class StrengthLog(Base):
    """One exercise on one day: a catalogue id (``custom`` false) or the athlete's own name for an
    exercise legday does not know (``custom`` true: shown, drives no rule). ``confirmed``: the
    athlete vouched for a set the log flagged as implausible. ``activity_id``: the strength
    activity (a watch's FIT) the sets were read from; deleting it deletes them."""

    __tablename__ = "strength_log"
    __table_args__ = (
        Index("ix_strength_log_athlete_date", "athlete_id", "date"),
        Index("ix_strength_log_activity_id", "activity_id"),
    )

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    athlete_id: Mapped[int] = mapped_column(ForeignKey("athletes.id", ondelete="CASCADE"))
    date: Mapped[dt.date] = mapped_column(Date)
    exercise: Mapped[str] = mapped_column(String(100))
    sets: Mapped[list[Any]] = mapped_column(JSON)
    created_at: Mapped[dt.datetime]
    custom: Mapped[bool] = mapped_column(Boolean, default=False, server_default=sa_false())
    confirmed: Mapped[bool] = mapped_column(Boolean, default=False, server_default=sa_false())
    activity_id: Mapped[int | None] = mapped_column(ForeignKey("activities.id", ondelete="CASCADE"))


class Checkin(Base):
    """One per athlete and day: a second check-in for a day replaces the first."""

    __tablename__ = "checkins"
    __table_args__ = (
        Index("ix_checkins_athlete_date", "athlete_id", "date"),
        UniqueConstraint("athlete_id", "date"),
    )

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    athlete_id: Mapped[int] = mapped_column(ForeignKey("athletes.id", ondelete="CASCADE"))
    date: Mapped[dt.date] = mapped_column(Date)
    sleep_hours: Mapped[float | None] = mapped_column(Float)
    soreness: Mapped[float | None] = mapped_column(Float)
    note: Mapped[str | None] = mapped_column(Text)


class SkippedSession(Base):
    """A planned strength session the athlete says they skipped (one per athlete and day); the
    dashboard re-plans the rest of the week around a day skipped today."""

    __tablename__ = "skipped_sessions"
    __table_args__ = (UniqueConstraint("athlete_id", "date", name="uq_skipped_sessions_day"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    athlete_id: Mapped[int] = mapped_column(ForeignKey("athletes.id", ondelete="CASCADE"))
    date: Mapped[dt.date] = mapped_column(Date)


class DailyTotal(Base):
    """What the athlete's counted activities (on foot, not duplicates) add up to on one local date;
    kept by ``ingest.store`` in the transaction that changes the activities (``daily_totals``)."""

    __tablename__ = "daily_totals"
    __table_args__ = (PrimaryKeyConstraint("athlete_id", "local_date"),)

    athlete_id: Mapped[int] = mapped_column(ForeignKey("athletes.id", ondelete="CASCADE"))
    local_date: Mapped[dt.date] = mapped_column(Date)
    runs: Mapped[int] = mapped_column(Integer)
    distance_m: Mapped[float] = mapped_column(Float)
    ascent_m: Mapped[float] = mapped_column(Float)
    descent_m: Mapped[float] = mapped_column(Float)
    descent_load_m: Mapped[float] = mapped_column(Float)
    km_effort: Mapped[float] = mapped_column(Float)
    load: Mapped[float] = mapped_column(Float)
    trimp_load: Mapped[float] = mapped_column(Float)
    longest_m: Mapped[float] = mapped_column(Float)
    max_descent_load_m: Mapped[float] = mapped_column(Float)
