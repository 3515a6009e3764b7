"""Alembic environment. Runs against ``config.attributes["connection"]`` when the store passes one,
else against ``sqlalchemy.url`` / ``LEGDAY_DATABASE_URL``.

Later tables (e.g. folder sync) go into ``ingest.store.schema`` (or a module imported by it), so
``target_metadata`` below sees them and ``alembic revision --autogenerate`` can write the migration.
"""

from __future__ import annotations

import os

from alembic import context
from sqlalchemy import Connection, create_engine

import ingest.store.sync_schema  # noqa: F401  (registers the folder-sync tables on Base.metadata)
from ingest.store.schema import Base

config = context.config
target_metadata = Base.metadata


def _run(connection: Connection) -> None:
    context.configure(
        connection=connection,
        target_metadata=target_metadata,
        render_as_batch=connection.dialect.name == "sqlite",  # SQLite ALTER goes through copies
        compare_type=True,
    )
    with context.begin_transaction():
        context.run_migrations()


def run_migrations_offline() -> None:
    context.configure(
        url=config.get_main_option("sqlalchemy.url") or os.environ.get("LEGDAY_DATABASE_URL"),
        target_metadata=target_metadata,
        literal_binds=True,
        dialect_opts={"paramstyle": "named"},
    )
    with context.begin_transaction():
        context.run_migrations()


def run_migrations_online() -> None:
    connection = config.attributes.get("connection")
    if connection is not None:
        _run(connection)
        return
    url = config.get_main_option("sqlalchemy.url") or os.environ.get("LEGDAY_DATABASE_URL")
    if not url:
        raise SystemExit("set sqlalchemy.url or LEGDAY_DATABASE_URL")
    engine = create_engine(url)
    with engine.begin() as conn:
        _run(conn)
    engine.dispose()


if context.is_offline_mode():
    run_migrations_offline()
else:
    run_migrations_online()
