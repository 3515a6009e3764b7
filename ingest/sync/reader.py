"""The only way the sync reads a user's file or archive; it counts opens and bytes (the
benchmark's seam)."""

from __future__ import annotations

import os
import zipfile
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

from ingest.sync import scan


class FolderReader:
    """The only way the sync reads a user's file; counts opens and bytes (the benchmark's seam)."""

    def __init__(self, root: Path):
        self.root = root
        self.opened = 0
        self.bytes_read = 0

    def read(self, rel_path: str, limit: int) -> bytes:
        self.opened += 1
        data = scan.read_file(self.root, rel_path, limit)
        self.bytes_read += len(data)
        return data

    @contextmanager
    def archive(self, rel_path: str) -> Iterator[zipfile.ZipFile]:
        """The zip at ``rel_path``, opened as ``scan.read_file`` opens a file: never through a
        symbolic link or from outside the folder, without blocking (a FIFO swapped in after the
        walk would block an open for reading forever), and only if it is a regular file.
        OSError (with the reason) otherwise."""
        real_root = os.path.realpath(self.root)
        path = os.path.join(real_root, *rel_path.split("/"))
        if not scan.inside(real_root, os.path.dirname(path)):
            raise OSError("the archive's path leads outside the sync folder")
        raw = scan.open_regular(path)
        self.opened += 1
        with raw, zipfile.ZipFile(_Counting(raw, self)) as archive:
            yield archive


class _Counting:
    """A seekable binary file that adds what is read to a FolderReader's byte count."""

    def __init__(self, raw: Any, reader: FolderReader):
        self._raw = raw
        self._reader = reader

    def read(self, n: int = -1) -> bytes:
        data: bytes = self._raw.read(n)
        self._reader.bytes_read += len(data)
        return data

    def __getattr__(self, name: str) -> Any:
        return getattr(self._raw, name)
