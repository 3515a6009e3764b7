"""A consistent copy of a SQLite database while legday runs: SQLite's online backup API copies
every page under one read transaction (writers in WAL mode go on; the copy is the database as of
one commit), then ``PRAGMA quick_check`` reads the copy back."""

from __future__ import annotations

import contextlib
import os
import sqlite3
from pathlib import Path

from sqlalchemy import make_url


class SnapshotError(RuntimeError):
    """The copy could not be made or does not check out."""


def sqlite_path(url: str) -> Path | None:
    """The database file of a SQLite URL; None for another database (or an in-memory one)."""
    parsed = make_url(url)
    if parsed.get_backend_name() != "sqlite" or parsed.database in (None, "", ":memory:"):
        return None
    return Path(parsed.database)


def snapshot_sqlite(source: Path, target: Path) -> list[str]:
    """Copy ``source`` to ``target`` (a new file, mode 0600); returns the SHA-256 of every raw
    file the copy's activities refer to (what a backup must carry with it)."""
    if not source.is_file():
        raise SnapshotError(f"no database at {source}")
    fd = os.open(target, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    os.close(fd)
    try:
        with (
            _closing(sqlite3.connect(source, timeout=30)) as src,
            _closing(sqlite3.connect(target)) as dst,
        ):
            src.backup(dst)
            dst.execute("PRAGMA journal_mode = DELETE")  # one self-contained file
            check = dst.execute("PRAGMA quick_check").fetchone()
            if not check or check[0] != "ok":
                raise SnapshotError(f"the copy of {source} does not check out: {check}")
            query = "SELECT DISTINCT sha256 FROM activities ORDER BY sha256"
            return [row[0] for row in dst.execute(query)]
    except sqlite3.Error as error:
        target.unlink(missing_ok=True)
        raise SnapshotError(f"cannot copy {source}: {error}") from error
    except BaseException:
        target.unlink(missing_ok=True)
        raise


def _closing(conn: sqlite3.Connection) -> contextlib.closing[sqlite3.Connection]:
    """``sqlite3.Connection`` as a context manager commits; this one closes."""
    return contextlib.closing(conn)
