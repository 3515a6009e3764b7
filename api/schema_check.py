"""Refuse to serve a database Alembic has not brought to head."""

from __future__ import annotations

from ingest.store import Store


class SchemaNotCurrent(RuntimeError):
    pass


def check_schema(store: Store) -> None:
    """Refuse to serve a database Alembic has not brought to head (``legday db upgrade`` does)."""
    from alembic.runtime.migration import MigrationContext
    from alembic.script import ScriptDirectory

    from ingest.store.migrations import alembic_config

    heads = set(ScriptDirectory.from_config(alembic_config()).get_heads())
    with store.engine.connect() as conn:
        current = set(MigrationContext.configure(conn).get_current_heads())
    if current != heads:
        raise SchemaNotCurrent(
            f"the database schema is at {sorted(current) or 'nothing'}, not {sorted(heads)}: "
            "run `legday db upgrade`"
        )
