"""Real processes for the hardening tests: ``legday serve`` with a chosen environment (database URL,
sync folders, data dir on a small tmpfs), restartable and killable by its pid; a fresh PostgreSQL
database created and dropped; the store's consistency checked from the outside."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
import uuid
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path

import httpx2
from sqlalchemy import create_engine, make_url, select, text

from ingest.store import Store
from ingest.store.schema import Activity
from tests.conftest import ROOT
from tests.serve_support import free_port


@dataclass
class Served:
    """One ``legday serve`` process (restartable on the same port, data dir and database)."""

    data_dir: Path
    log: Path
    env: dict[str, str]
    port: int = field(default_factory=free_port)
    process: subprocess.Popen[bytes] | None = None

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    def start(self, timeout_s: float = 60.0, parse_workers: int = 2) -> None:
        command = [sys.executable, "-m", "api", "serve", "--port", str(self.port)]
        with self.log.open("ab") as out:
            self.process = subprocess.Popen(
                [*command, "--parse-workers", str(parse_workers)],
                cwd=ROOT,
                env=self.env,
                stdout=out,
                stderr=subprocess.STDOUT,
                start_new_session=True,  # its parse workers are its process group: killed with it
            )
        deadline = time.monotonic() + timeout_s
        while True:
            if self.process.poll() is not None:
                raise RuntimeError(
                    f"legday serve exited {self.process.returncode}:\n{self.output()}"
                )
            try:
                if httpx2.get(f"{self.url}/healthz", timeout=1).status_code == 200:
                    return
            except httpx2.TransportError:
                pass
            if time.monotonic() > deadline:
                raise RuntimeError(f"legday serve did not answer:\n{self.output()}")
            time.sleep(0.1)

    def kill(self) -> None:
        """SIGKILL the server and its parse workers (its process group), and reap it."""
        assert self.process is not None
        os.killpg(self.process.pid, signal.SIGKILL)
        self.process.wait()

    def stop(self) -> None:
        if self.process is None or self.process.poll() is not None:
            return
        self.process.terminate()
        try:
            self.process.wait(timeout=15)
        except subprocess.TimeoutExpired:
            self.kill()

    def admin_token(self) -> str:
        return (self.data_dir / "admin_token").read_text().strip()

    def output(self) -> str:
        return self.log.read_text(errors="replace") if self.log.exists() else ""


@contextmanager
def served(
    tmp_path: Path,
    *,
    data_dir: Path | None = None,
    database_url: str = "",
    extra_env: dict[str, str] | None = None,
    parse_workers: int = 2,
) -> Iterator[Served]:
    """A migrated store, then ``legday serve`` over it; stopped (by pid) afterwards."""
    data_dir = data_dir or tmp_path / "legday-data"
    store = Store(database_url or None, data_dir)
    store.upgrade()
    store.dispose()
    env = {k: v for k, v in os.environ.items() if not k.startswith("LEGDAY_")}
    env |= {"LEGDAY_DATA_DIR": str(data_dir), "PYTHONUNBUFFERED": "1", "PYTHONPATH": str(ROOT)}
    if database_url:
        env["LEGDAY_DATABASE_URL"] = database_url
    env |= extra_env or {}
    server = Served(data_dir, tmp_path / f"serve-{uuid.uuid4().hex[:6]}.log", env)
    try:
        server.start(parse_workers=parse_workers)
        yield server
    finally:
        server.stop()


@contextmanager
def fresh_postgres_database(url: str) -> Iterator[str]:
    """``CREATE DATABASE legday_conc_<random>`` next to ``url``'s; its URL; dropped afterwards."""
    name = f"legday_conc_{uuid.uuid4().hex[:10]}"
    admin = create_engine(url, isolation_level="AUTOCOMMIT")
    with admin.connect() as conn:
        conn.execute(text(f'CREATE DATABASE "{name}"'))
    try:
        yield make_url(url).set(database=name).render_as_string(hide_password=False)
    finally:
        with admin.connect() as conn:
            conn.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
        admin.dispose()


@dataclass(frozen=True)
class Consistency:
    activities: int
    distinct_sha: int
    missing_blobs: list[str]
    orphan_blobs: list[str]
    temporary_files: list[str]
    half_rows: list[int]


def check_store(store: Store) -> Consistency:
    """Every activity row against the blob directory: rows without their raw file (data lost),
    raw files without a row (harmless, reused by the next upload of the same bytes), leftover
    temporary files, and rows missing a column a summary always has."""
    with store.engine.connect() as conn:
        rows = conn.execute(
            select(Activity.id, Activity.sha256, Activity.summary, Activity.distance_m)
        ).all()
    blobs = {
        p.parent.name + p.name
        for p in store.blobs.root.glob("*/*")
        if p.is_file() and not p.name.startswith(".tmp-")
    }
    shas = {r.sha256 for r in rows}
    return Consistency(
        activities=len(rows),
        distinct_sha=len(shas),
        missing_blobs=sorted(shas - blobs),
        orphan_blobs=sorted(blobs - shas),
        temporary_files=sorted(str(p) for p in store.blobs.root.glob("*/.tmp-*")),
        half_rows=[r.id for r in rows if not r.summary or r.distance_m is None],
    )


def sqlite_integrity(store: Store) -> str:
    with store.engine.connect() as conn:
        return str(conn.exec_driver_sql("PRAGMA integrity_check").scalar())
