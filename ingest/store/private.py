"""The data directory is private to its owner (issue 14, finding 8): it holds heart rate, sleep,
soreness notes, raw tracks and the server's secrets. Directories 0700, files 0600, set
explicitly, so the umask of whoever starts legday (often 022: world-readable) does not decide.

SQLite creates the ``-wal``, ``-shm`` and ``-journal`` files with the mode of the database file,
so creating that file 0600 before the first connection covers them; an existing installation's
files are tightened when the store opens them.
"""

from __future__ import annotations

import logging
import os
import stat
from pathlib import Path

DIR_MODE = 0o700
FILE_MODE = 0o600
SQLITE_SIDE_FILES = ("-wal", "-shm", "-journal")
log = logging.getLogger("legday.store")


def private_dir(path: Path) -> Path:
    """``path`` as a directory only its owner can enter (created, or tightened)."""
    path.mkdir(mode=DIR_MODE, parents=True, exist_ok=True)
    tighten(path, DIR_MODE)
    return path


def private_sqlite_file(database: Path) -> None:
    """The SQLite database (created empty if missing) and its side files, owner-only."""
    try:
        fd = os.open(database, os.O_WRONLY | os.O_CREAT, FILE_MODE)
    except OSError:
        return  # unwritable here: the engine's first connection will say why
    os.close(fd)
    for path in (database, *(Path(f"{database}{side}") for side in SQLITE_SIDE_FILES)):
        tighten(path, FILE_MODE)


def tighten(path: Path, mode: int) -> None:
    """Remove every permission beyond ``mode`` from ``path`` (when it exists and is ours)."""
    try:
        current = stat.S_IMODE(path.stat().st_mode)
        if current & ~mode:
            os.chmod(path, current & mode)
    except FileNotFoundError:
        return
    except PermissionError:
        log.warning("cannot make %s private (mode %o): not its owner", path, mode)
