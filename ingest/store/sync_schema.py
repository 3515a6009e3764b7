"""The folder-sync tables: folders, the per-file ledger, runs, and the cross-process locks.

Registered on ``ingest.store.schema.Base.metadata`` (the Alembic environment imports this module);
migration 0002 creates them. Only ``ingest.store.ledger`` reads or writes these rows.
"""

from __future__ import annotations

import datetime as dt

from sqlalchemy import (
    BigInteger,
    Float,
    ForeignKey,
    Index,
    Integer,
    String,
    Text,
    UniqueConstraint,
)
from sqlalchemy.orm import Mapped, mapped_column

from ingest.store.schema import Base

# Ledger statuses. "pending": seen, not settled yet. "ingesting": chosen for reading in a run that
# has not recorded the outcome yet (after a crash, the next run reads it again; the store's
# content-hash check makes that idempotent). The rest are final until the file changes.
FINAL_STATUSES = ("ingested", "duplicate", "failed", "skipped")
STATUSES = ("pending", "ingesting", *FINAL_STATUSES)


class SyncFolder(Base):
    __tablename__ = "sync_folders"
    __table_args__ = (UniqueConstraint("athlete_id", "path"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    athlete_id: Mapped[int] = mapped_column(ForeignKey("athletes.id", ondelete="CASCADE"))
    path: Mapped[str] = mapped_column(String(1024))
    settle_s: Mapped[float] = mapped_column(Float)
    created_at: Mapped[dt.datetime]


class SyncBinding(Base):
    """Which athlete a configured sync folder belongs to: resolved from the configured name once,
    when that configuration was first loaded, and kept (migration 0005). A later rename of any
    athlete changes nothing; a configuration naming someone else for the folder rebinds it."""

    __tablename__ = "sync_bindings"

    path: Mapped[str] = mapped_column(String(1024), primary_key=True)  # the folder's real path
    athlete_id: Mapped[int] = mapped_column(ForeignKey("athletes.id", ondelete="CASCADE"))
    configured_name: Mapped[str] = mapped_column(String(200))  # as the configuration spelled it
    name_key: Mapped[str] = mapped_column(String(200))  # athletes.name_key of that name
    bound_at: Mapped[dt.datetime]


class SyncFile(Base):
    __tablename__ = "sync_files"
    __table_args__ = (
        UniqueConstraint("folder_id", "rel_path"),
        Index("ix_sync_files_folder_status", "folder_id", "status"),
    )

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    folder_id: Mapped[int] = mapped_column(ForeignKey("sync_folders.id", ondelete="CASCADE"))
    rel_path: Mapped[str] = mapped_column(String(2048))  # "a/b.fit", "export.zip!activities/1.fit"
    size: Mapped[int] = mapped_column(BigInteger)
    mtime_ns: Mapped[int] = mapped_column(BigInteger)
    crc32: Mapped[int | None] = mapped_column(BigInteger)  # zip members: the archive's CRC-32
    stable_since: Mapped[float] = mapped_column(Float)  # epoch s this size+mtime was first seen
    sha256: Mapped[str | None] = mapped_column(String(64))  # of the bytes as read
    status: Mapped[str] = mapped_column(String(16))
    reason: Mapped[str | None] = mapped_column(Text)
    activity_id: Mapped[int | None] = mapped_column(
        ForeignKey("activities.id", ondelete="SET NULL")
    )
    parser_version: Mapped[int | None] = mapped_column(Integer)
    updated_at: Mapped[dt.datetime]


class SyncRun(Base):
    __tablename__ = "sync_runs"
    __table_args__ = (Index("ix_sync_runs_folder_started", "folder_id", "started_at"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    folder_id: Mapped[int] = mapped_column(ForeignKey("sync_folders.id", ondelete="CASCADE"))
    holder: Mapped[str] = mapped_column(String(200))
    started_at: Mapped[dt.datetime]
    finished_at: Mapped[dt.datetime | None]
    status: Mapped[str] = mapped_column(String(16))  # running, ok, error
    seen: Mapped[int] = mapped_column(Integer, default=0)
    opened: Mapped[int] = mapped_column(Integer, default=0)
    bytes_read: Mapped[int] = mapped_column(BigInteger, default=0)
    ingested: Mapped[int] = mapped_column(Integer, default=0)
    duplicate: Mapped[int] = mapped_column(Integer, default=0)
    failed: Mapped[int] = mapped_column(Integer, default=0)
    skipped: Mapped[int] = mapped_column(Integer, default=0)
    pending: Mapped[int] = mapped_column(Integer, default=0)
    error: Mapped[str | None] = mapped_column(Text)


class Lock(Base):
    """A named lease: held by ``holder`` until ``expires_at`` (epoch seconds, the database's clock
    on PostgreSQL), renewed by a heartbeat; an expired lease may be taken by anyone."""

    __tablename__ = "locks"

    name: Mapped[str] = mapped_column(String(200), primary_key=True)
    holder: Mapped[str] = mapped_column(String(200))
    expires_at: Mapped[float] = mapped_column(Float)
    acquired_at: Mapped[float] = mapped_column(Float)
