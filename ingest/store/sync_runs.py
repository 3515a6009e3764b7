"""The folder sync's runs and leases in the database: a ``sync_runs`` row per run (its counts, its
end and any error), and the ``locks`` rows that keep one runner per folder.

On the store's engine: writes on SQLite begin with ``BEGIN IMMEDIATE`` (the store's
``legday_write`` option), each method is one transaction. A lease is a ``locks`` row taken
atomically (insert-if-absent, or update-if-expired); it holds across processes and, on
PostgreSQL, across hosts, whose clock it reads so hosts need not agree.
"""

from __future__ import annotations

import os
import socket
import time
from datetime import UTC, datetime
from typing import Any

from sqlalchemy import Connection, RowMapping, delete, or_, select, text, update
from sqlalchemy.dialects import postgresql, sqlite

from ingest.store import Store
from ingest.store.sync_schema import Lock, SyncRun
from ingest.store.text import MAX_REASON, display_text

HOLDER_CHARS = 200  # sync_runs.holder, locks.holder
RUN_COUNTS = (
    "seen",
    "opened",
    "bytes_read",
    "ingested",
    "duplicate",
    "failed",
    "skipped",
    "pending",
)


def new_holder() -> str:
    """This process's lease-holder name: host, pid and a nonce (for same-host stale detection)."""
    host = socket.gethostname()[: HOLDER_CHARS - 30]
    return f"{host}:{os.getpid()}:{os.urandom(4).hex()}"


def now_utc() -> datetime:
    return datetime.now(UTC).replace(tzinfo=None)


def dialect_insert(conn: Connection, table: Any) -> Any:
    dialect = postgresql if conn.dialect.name == "postgresql" else sqlite
    return dialect.insert(table)


class RunStore:
    """A folder's runs (``start_run``/``finish_run``) and leases (``try_lock``, ``renew``,
    ``release``)."""

    def __init__(self, store: Store):
        self.engine = store.engine
        self._write_engine = store.engine.execution_options(legday_write=True)

    # --- runs ------------------------------------------------------------------------------------

    def start_run(self, folder_id: int, holder: str) -> int:
        with self._write_engine.begin() as conn:
            run_id = conn.scalar(
                dialect_insert(conn, SyncRun)
                .values(
                    folder_id=folder_id,
                    holder=holder,
                    started_at=now_utc(),
                    status="running",
                    **dict.fromkeys(RUN_COUNTS, 0),
                )
                .returning(SyncRun.id)
            )
        assert run_id is not None
        return int(run_id)

    def finish_run(
        self, run_id: int, status: str, counts: dict[str, int], error: str | None = None
    ) -> None:
        values = {k: counts.get(k, 0) for k in RUN_COUNTS}
        with self._write_engine.begin() as conn:
            conn.execute(
                update(SyncRun)
                .where(SyncRun.id == run_id)
                .values(
                    status=status, finished_at=now_utc(), error=display_text(error, MAX_REASON),
                    **values,
                )
            )  # fmt: skip

    # --- leases ----------------------------------------------------------------------------------

    def _clock(self, conn: Connection) -> float:
        if conn.dialect.name == "postgresql":
            return float(conn.scalar(text("SELECT extract(epoch FROM clock_timestamp())")))
        return time.time()

    def try_lock(self, name: str, holder: str, ttl_s: float) -> bool:
        """Take the lease ``name`` unless someone else holds an unexpired one. A holder on this
        host whose process is gone is stale at once; elsewhere, staleness is the expiry."""
        with self._write_engine.begin() as conn:
            now = self._clock(conn)
            fresh = {"holder": holder, "expires_at": now + ttl_s, "acquired_at": now}
            taken = conn.execute(
                dialect_insert(conn, Lock)
                .values(name=name, **fresh)
                .on_conflict_do_nothing(index_elements=["name"])
            ).rowcount
            if taken == 1:
                return True
            current = conn.scalar(select(Lock.holder).where(Lock.name == name))
            stale = or_(Lock.expires_at < now, Lock.holder == holder)
            if current is not None and _dead_here(current):
                stale = or_(stale, Lock.holder == current)
            result = conn.execute(update(Lock).where(Lock.name == name, stale).values(**fresh))
            return result.rowcount == 1

    def renew(self, name: str, holder: str, ttl_s: float) -> bool:
        """Extend the lease; False when it is no longer ours (it expired and was taken)."""
        with self._write_engine.begin() as conn:
            now = self._clock(conn)
            result = conn.execute(
                update(Lock)
                .where(Lock.name == name, Lock.holder == holder)
                .values(expires_at=now + ttl_s)
            )
            return result.rowcount == 1

    def release(self, name: str, holder: str) -> None:
        with self._write_engine.begin() as conn:
            conn.execute(delete(Lock).where(Lock.name == name, Lock.holder == holder))


def _dead_here(holder: str) -> bool:
    """Whether ``holder`` names a process on this host that no longer exists."""
    host, _, rest = holder.partition(":")
    pid_text = rest.partition(":")[0]
    if host != socket.gethostname() or not pid_text.isdigit():
        return False
    try:
        os.kill(int(pid_text), 0)
    except ProcessLookupError:
        return True
    except PermissionError:
        return False
    return False


def run_dict(run: RowMapping) -> dict[str, Any]:
    return {
        "id": run["id"],
        "started_at": iso_utc(run["started_at"]),
        "finished_at": iso_utc(run["finished_at"]),
        "status": run["status"],
        "error": run["error"],
        **{k: run[k] for k in RUN_COUNTS},
    }


def iso_utc(value: datetime | None) -> str | None:
    if value is None:
        return None
    return (value.replace(tzinfo=UTC) if value.tzinfo is None else value).isoformat()
