"""Raw activity files, content-addressed: ``<root>/ab/cdef…`` by the SHA-256 of the inflated bytes.

Never stored under the client's file name. Writes are atomic (temporary file in the same directory,
fsync, ``os.replace``) and idempotent: the same bytes twice are one file.

Stored gzip-compressed (level 1: GPX shrinks ~14×, at ~200 MB/s; issue 14, finding 5). Files
written before that are the inflated bytes themselves and are read as they are: an activity file
never starts with the gzip magic (a FIT file starts with its header size, XML with ``<``, a BOM or
white space, and a gzipped upload is stored inflated), so the first two bytes tell them apart.

A writer holds an exclusive ``flock`` on its temporary file until the rename, so a ``.tmp-*`` file
nobody holds is the leftover of a killed writer (SIGKILL, power loss): the first write of a
BlobStore sweeps the whole tree of them, every later write the directory it writes into. A full
disk raises ``StorageFull`` (an ``OSError`` with errno ENOSPC or EDQUOT) and leaves no file behind.
"""

from __future__ import annotations

import errno
import gzip
import hashlib
import os
import re
import tempfile
import time
from pathlib import Path

from ingest.store.private import tighten

try:
    import fcntl
except ImportError:  # pragma: no cover - not POSIX: fall back to the age of the file alone
    fcntl = None  # type: ignore[assignment]

_SHA256 = re.compile(r"^[0-9a-f]{64}$")
TMP_PREFIX = ".tmp-"
STALE_AFTER_S = 1.0  # a temporary file younger than this may be a writer between mkstemp and flock
FULL_ERRNOS = frozenset({errno.ENOSPC, getattr(errno, "EDQUOT", errno.ENOSPC)})
GZIP_MAGIC = b"\x1f\x8b"
COMPRESS_LEVEL = 1


class StorageFull(OSError):
    """No space left for a raw file: the disk (or quota) of the data directory is full."""


def sha256_hex(content: bytes) -> str:
    return hashlib.sha256(content).hexdigest()


class BlobStore:
    """A directory of immutable files keyed by their SHA-256."""

    def __init__(self, root: Path):
        self.root = Path(root)
        self._swept = False

    def path_for(self, sha256: str) -> Path:
        if not _SHA256.match(sha256):
            raise ValueError(f"not a SHA-256 hex digest: {sha256!r}")
        return self.root / sha256[:2] / sha256[2:]

    def exists(self, sha256: str) -> bool:
        return self.path_for(sha256).is_file()

    def get(self, sha256: str) -> bytes:
        """The inflated bytes (a file written before compression is returned as it is)."""
        stored = self.path_for(sha256).read_bytes()
        return gzip.decompress(stored) if stored[:2] == GZIP_MAGIC else stored

    def stored_size(self, sha256: str) -> int:
        """What the file takes on disk (compressed, or as an older file was written)."""
        return self.path_for(sha256).stat().st_size

    def put(self, content: bytes, sha256: str | None = None) -> tuple[str, bool]:
        """Store ``content`` (compressed); return its SHA-256 and whether this call created the
        file."""
        digest = sha256_hex(content)
        if sha256 is not None and sha256 != digest:
            raise ValueError("content does not match the SHA-256 it was given")
        path = self.path_for(digest)
        if not self._swept:
            self._swept = True
            self.root.mkdir(mode=0o700, parents=True, exist_ok=True)
            tighten(self.root, 0o700)
            self.sweep_temporary()
        if path.is_file():
            return digest, False
        try:
            path.parent.mkdir(mode=0o700, parents=True, exist_ok=True)  # under a 0700 root
            self.sweep_temporary(path.parent)
            self._write(path, gzip.compress(content, compresslevel=COMPRESS_LEVEL, mtime=0))
        except OSError as error:
            if error.errno in FULL_ERRNOS and not isinstance(error, StorageFull):
                raise StorageFull(
                    error.errno, f"no space left for the raw file in {self.root}"
                ) from error
            raise
        _fsync_dir(path.parent)
        return digest, True

    def delete(self, sha256: str) -> None:
        self.path_for(sha256).unlink(missing_ok=True)

    def sweep_temporary(self, directory: Path | None = None) -> int:
        """Delete the ``.tmp-*`` files of writers that died; returns how many. Under ``directory``
        (one level) or, by default, the whole store."""
        where = directory or self.root
        pattern = f"{TMP_PREFIX}*" if directory is not None else f"*/{TMP_PREFIX}*"
        removed = 0
        for tmp in where.glob(pattern):
            if _abandoned(tmp):
                tmp.unlink(missing_ok=True)
                removed += 1
        return removed

    @staticmethod
    def _write(path: Path, content: bytes) -> None:
        fd, tmp = tempfile.mkstemp(prefix=TMP_PREFIX, dir=path.parent)
        try:
            with os.fdopen(fd, "wb") as fh:
                if fcntl is not None:
                    fcntl.flock(fh.fileno(), fcntl.LOCK_EX)  # "alive" until closed, after replace
                fh.write(content)
                fh.flush()
                os.fsync(fh.fileno())
                os.replace(tmp, path)
        except BaseException:
            Path(tmp).unlink(missing_ok=True)
            raise


def _abandoned(tmp: Path) -> bool:
    """A temporary file no live writer holds, and old enough not to be one about to take it."""
    try:
        if time.time() - tmp.stat().st_mtime < STALE_AFTER_S:
            return False
        if fcntl is None:
            return time.time() - tmp.stat().st_mtime > 3600
        fd = os.open(tmp, os.O_RDONLY)
    except FileNotFoundError:
        return False
    try:
        fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
    except BlockingIOError:
        return False  # a writer is alive and holds it
    finally:
        os.close(fd)  # releases our lock, if we took it
    return True


def _fsync_dir(directory: Path) -> None:
    try:
        fd = os.open(directory, os.O_RDONLY)
    except OSError:  # pragma: no cover - platforms without directory handles
        return
    try:
        os.fsync(fd)
    finally:
        os.close(fd)
