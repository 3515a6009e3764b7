"""What a sync folder holds: which paths are candidates, when a file has settled, how to read it.

Read-only: nothing here writes, moves, renames or deletes a file in the user's folder.

- The walk is recursive and never follows a symbolic link (to a file or a directory); a path whose
  real location is outside the folder is skipped. Temporary names (``*.part``, ``*.tmp``,
  ``*.crdownload``, ``.*``, ``*~``, ``~$*``, ``#*#`` …) and hidden directories are ignored.
- Settling (``settled``): a file is read only once its size and mtime have not changed for
  ``settle_s`` seconds. Either its mtime is already at least ``settle_s`` old when we see it, or an
  earlier observation (the ledger's ``stable_since``, kept across runs) saw the same size and mtime
  at least ``settle_s`` seconds ago.
- Zip archives: ``exports`` (member by member, never extracted, for every entry point).
"""

from __future__ import annotations

import os
import stat
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import BinaryIO, Literal

from ingest.errors import IngestError

Kind = Literal["activity", "archive", "index", "other", "symlink"]

ACTIVITY_SUFFIXES = (".fit", ".gpx", ".tcx", ".fit.gz", ".gpx.gz", ".tcx.gz")
ARCHIVE_SUFFIXES = (".zip",)
INDEX_NAME = "activities.csv"  # a Strava bulk export's list of activities
TEMP_SUFFIXES = (
    ".part", ".partial", ".tmp", ".temp", ".crdownload", ".download", ".opdownload",
    ".filepart", ".swp", ".swx", ".!ut", ".!qb", ".icloud", ".lock",
)  # fmt: skip
OPEN_FLAGS = os.O_RDONLY | getattr(os, "O_NOFOLLOW", 0) | getattr(os, "O_NONBLOCK", 0)


@dataclass(frozen=True)
class Entry:
    """A path in a sync folder as ``lstat`` saw it; ``rel_path`` is POSIX, relative to the root."""

    rel_path: str
    size: int
    mtime_ns: int
    kind: Kind


def is_temporary(name: str) -> bool:
    """A name a downloader, editor or sync client uses while a file is still being written."""
    lower = name.lower()
    return (
        name.startswith((".", "~$", "~"))
        or name.endswith("~")
        or (name.startswith("#") and name.endswith("#"))
        or lower.endswith(TEMP_SUFFIXES)
    )


def kind_of(name: str) -> Kind:
    lower = name.lower()
    if lower.endswith(ACTIVITY_SUFFIXES):
        return "activity"
    if lower.endswith(ARCHIVE_SUFFIXES):
        return "archive"
    if lower == INDEX_NAME:
        return "index"
    return "other"


def walk(root: Path) -> Iterator[Entry]:
    """Every non-temporary regular file (and symbolic link, reported as such) under ``root``."""
    real_root = os.path.realpath(root)
    stack = [real_root]
    while stack:
        directory = stack.pop()
        try:
            with os.scandir(directory) as it:
                entries = sorted(it, key=lambda e: e.name)
        except OSError:
            continue  # unreadable or vanished directory: nothing to report from it
        for dirent in entries:
            if is_temporary(dirent.name):
                continue
            rel = os.path.relpath(dirent.path, real_root).replace(os.sep, "/")
            try:
                st = dirent.stat(follow_symlinks=False)
            except OSError:
                continue
            if stat.S_ISLNK(st.st_mode):
                yield Entry(rel, 0, st.st_mtime_ns, "symlink")
            elif stat.S_ISDIR(st.st_mode):
                if dirent.name != "__MACOSX":
                    stack.append(dirent.path)
            elif stat.S_ISREG(st.st_mode) and inside(real_root, dirent.path):
                yield Entry(rel, st.st_size, st.st_mtime_ns, kind_of(dirent.name))


def inside(real_root: str, path: str) -> bool:
    """Whether ``path``'s real location is under ``real_root`` (a bind mount or a race can lie)."""
    real = os.path.realpath(path)
    return os.path.commonpath([real_root, real]) == real_root


def settled(
    size: int,
    mtime_ns: int,
    *,
    now: float,
    settle_s: float,
    previous: tuple[int, int, float] | None,
) -> tuple[bool, float]:
    """Whether a file of this size and mtime may be read now, and since when it has been stable.

    ``previous`` is (size, mtime_ns, stable_since) from an earlier observation, or None.
    """
    same = previous is not None and previous[:2] == (size, mtime_ns)
    stable_since = previous[2] if same and previous is not None else now
    age = now - mtime_ns / 1e9
    return (age >= settle_s or now - stable_since >= settle_s), stable_since


def open_regular(path: str | Path, *, follow: bool = False) -> BinaryIO:
    """``path`` open for reading, without blocking (a FIFO or device would block a plain open
    forever) and only when it is a regular file; never through a symbolic link unless ``follow``
    (a file the user named). OSError with the reason otherwise."""
    flags = OPEN_FLAGS & ~getattr(os, "O_NOFOLLOW", 0) if follow else OPEN_FLAGS
    fh = os.fdopen(os.open(path, flags), "rb")
    if not stat.S_ISREG(os.fstat(fh.fileno()).st_mode):
        fh.close()
        raise OSError("not a regular file (a FIFO, device or socket)")
    return fh


def read_file(root: Path, rel_path: str, limit: int) -> bytes:
    """At most ``limit`` + 1 bytes of a regular file under ``root``, never via a symbolic link."""
    real_root = os.path.realpath(root)
    path = os.path.join(real_root, *rel_path.split("/"))
    if not inside(real_root, os.path.dirname(path)):
        raise IngestError("path leaves the sync folder", kind="unreadable")
    try:
        fh = open_regular(path)
    except OSError as error:
        reason = error.strerror or str(error)
        raise IngestError(f"cannot open the file: {reason}", kind="unreadable") from None
    with fh:
        return fh.read(limit + 1)
