"""Which athlete each configured sync folder belongs to (``sync_bindings``): read, bind, list.

A binding is written when a configuration naming the folder is first loaded (``ingest.sync.binding``
decides when), keyed by the folder's real path; afterwards the folder's runs use the athlete id,
never the name again.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, datetime

from sqlalchemy import Connection, select
from sqlalchemy.dialects import postgresql, sqlite

from ingest.store import Store
from ingest.store.athletes import name_key
from ingest.store.sync_schema import SyncBinding, SyncFolder

MAX_FOLDER_PATH = 1024  # sync_bindings.path, sync_folders.path


@dataclass(frozen=True)
class Binding:
    path: str
    athlete_id: int
    configured_name: str
    name_key: str
    settle_s: float | None = None  # from the folder's sync_folders row, when it has run


def _insert(conn: Connection) -> postgresql.Insert | sqlite.Insert:
    dialect = postgresql if conn.dialect.name == "postgresql" else sqlite
    return dialect.insert(SyncBinding)


class BindingStore:
    def __init__(self, store: Store):
        self.engine = store.engine
        self._write_engine = store.engine.execution_options(legday_write=True)

    def binding(self, path: str) -> Binding | None:
        query = select(
            SyncBinding.path, SyncBinding.athlete_id, SyncBinding.configured_name,
            SyncBinding.name_key,
        ).where(SyncBinding.path == path)  # fmt: skip
        with self.engine.connect() as conn:
            row = conn.execute(query).first()
        return None if row is None else Binding(*row)

    def bind(self, path: str, athlete_id: int, configured_name: str) -> Binding:
        """Bind the folder at ``path`` to the athlete (replacing any earlier binding)."""
        key = name_key(configured_name)
        values = {
            "athlete_id": athlete_id,
            "configured_name": configured_name[:200],
            "name_key": key,
            "bound_at": datetime.now(UTC).replace(tzinfo=None),
        }
        with self._write_engine.begin() as conn:
            stmt = _insert(conn).values(path=path, **values)
            conn.execute(stmt.on_conflict_do_update(index_elements=["path"], set_=values))
        return Binding(path, athlete_id, configured_name[:200], key)

    def bound_to(self, athlete_id: int) -> list[Binding]:
        """The athlete's bound folders, with the settle time of their last run when they had one."""
        query = (
            select(
                SyncBinding.path, SyncBinding.athlete_id, SyncBinding.configured_name,
                SyncBinding.name_key, SyncFolder.settle_s,
            )
            .outerjoin(
                SyncFolder,
                (SyncFolder.path == SyncBinding.path)
                & (SyncFolder.athlete_id == SyncBinding.athlete_id),
            )
            .where(SyncBinding.athlete_id == athlete_id)
            .order_by(SyncBinding.path)
        )  # fmt: skip
        with self.engine.connect() as conn:
            return [Binding(*row) for row in conn.execute(query)]
