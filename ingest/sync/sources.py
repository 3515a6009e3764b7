"""What ``legday ingest`` reads, the way the folder sync and the upload API read it: a file named
on the command line is sniffed by content (a zip is an export archive, read through ``exports``: a
Strava bulk export with its ``activities.csv`` names and types, a Garmin Connect account export
with its nested zips); in a folder, activity files (``.fit``, ``.gpx``, ``.tcx``, each optionally
``.gz``) and ``.zip`` archives are read, a Strava ``activities.csv`` gives the files below it their
names and types and is reported skipped, and any other file is skipped with the reason.

Files are opened as the sync opens them (``scan.open_regular``, issue 14): without blocking, and
read only when they are regular files (a FIFO is a failed file, not a hang); a symbolic link
found in a folder that leads outside it is a failed file, not followed.
"""

from __future__ import annotations

import os
import zipfile
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass
from functools import partial
from pathlib import Path
from typing import BinaryIO, Literal

from ingest.errors import IngestError
from ingest.sync import scan
from ingest.sync.exports import SKIP_REASONS, ZIP_MAGIC, Budget, member_path, members
from ingest.sync.strava_export import MAX_INDEX_BYTES, ActivityHint, lookup, parse_index

Settled = Literal["failed", "skipped"]


@dataclass(frozen=True)
class Item:
    """One file or archive member to parse, or one whose outcome is known without parsing."""

    path: Path
    load: Callable[[], bytes] | None = None
    hint: ActivityHint | None = None
    settled: Settled | None = None  # failed or skipped before any parsing, for ``reason``
    reason: str | None = None


def expand_paths(paths: Iterable[Path]) -> list[tuple[Path, Path | None]]:
    """Files as given (with None), and every regular file under the given folders (recursive, no
    symlinked folders; with the folder), skipping hidden and temporary names; sorted, each once."""
    found: dict[Path, Path | None] = {}
    for path in map(Path, paths):
        if path.is_dir():
            for root, dirs, files in os.walk(path):
                dirs[:] = sorted(d for d in dirs if not d.startswith(".") and d != "__MACOSX")
                for name in sorted(files):
                    if not scan.is_temporary(name):
                        found.setdefault(Path(root) / name, path)
        else:
            found.setdefault(path, None)
    return sorted(found.items())


class Sources:
    """The items of ``paths``, lazily: an archive is opened (from disk, never read whole) when its
    turn comes and stays open while its members are parsed."""

    def __init__(self, paths: Iterable[Path], max_bytes: int, max_inflated: int):
        self.files = expand_paths(paths)
        self.max_bytes = max_bytes
        self.max_inflated = max_inflated
        self.seen = 0  # items found so far (an archive's members count once it is opened)
        self._hints: dict[Path, dict[str, ActivityHint]] = {}

    def __iter__(self) -> Iterator[Item]:
        for path, folder in self.files:
            for item in self._items(path, folder):
                self.seen += 1
                yield item

    def _items(self, path: Path, folder: Path | None) -> Iterator[Item]:
        kind = scan.kind_of(path.name) if folder is not None else "activity"
        if kind in ("index", "other"):
            yield Item(path, settled="skipped", reason=SKIP_REASONS[kind])
            return
        if folder is not None and not scan.inside(os.path.realpath(folder), str(path)):
            reason = "a symbolic link to outside the folder: not followed"
            yield Item(path, settled="failed", reason=reason)
            return
        try:
            with _open(path) as fh:
                magic = fh.read(4)
        except OSError as exc:
            yield Item(path, settled="failed", reason=f"cannot read the file: {_why(exc)}")
            return
        if magic in ZIP_MAGIC:
            yield from self._archive(path)
            return
        yield Item(path, partial(self._read, path), self._hint(path, folder))

    def _read(self, path: Path) -> bytes:
        try:
            with _open(path) as fh:
                size = os.fstat(fh.fileno()).st_size
                if size > self.max_bytes:
                    raise IngestError(
                        f"file is {size} bytes, more than the {self.max_bytes} byte limit",
                        kind="too_large",
                    )
                return fh.read(self.max_bytes + 1)
        except OSError as exc:
            raise IngestError(f"cannot read the file: {_why(exc)}") from None

    def _archive(self, path: Path) -> Iterator[Item]:
        try:
            fh = _open(path)
        except OSError as exc:
            yield Item(path, settled="failed", reason=f"cannot read the file: {_why(exc)}")
            return
        with fh:
            try:
                archive = zipfile.ZipFile(fh)
            except (zipfile.BadZipFile, OSError) as exc:
                yield Item(path, settled="failed", reason=f"not a readable zip file: {exc}")
                return
            with archive:
                yield from archive_items(archive, self.max_inflated, shown_as=str(path))

    def _hint(self, path: Path, folder: Path | None) -> ActivityHint | None:
        """What the nearest ``activities.csv`` above ``path`` says of it (within the folder given
        on the command line, or the file's parent and grandparent when it was named)."""
        limit = len(path.relative_to(folder).parts) if folder is not None else 2
        for directory in list(path.parents)[:limit]:
            index = directory / scan.INDEX_NAME
            if index not in self._hints:
                self._hints[index] = {}
                if index.is_file():
                    try:
                        with index.open("rb") as fh:
                            self._hints[index] = parse_index(fh.read(MAX_INDEX_BYTES))
                    except OSError:
                        pass
            if self._hints[index]:
                return lookup(self._hints[index], path.relative_to(directory).as_posix())
        return None


def archive_items(
    archive: zipfile.ZipFile, max_inflated: int, *, shown_as: str = ""
) -> Iterator[Item]:
    """Every member of an export archive as an item (``exports.members``), named
    ``shown_as!member`` (or the member's path alone); all members within 4 × ``max_inflated``."""
    budget = Budget(4 * max_inflated)
    for member in members(archive, max_inflated=max_inflated, budget=budget):
        shown = Path(member_path(shown_as, member.path) if shown_as else member.path)
        if member.action == "read":
            yield Item(shown, member.load, member.hint)
        else:
            settled: Settled = "failed" if member.action == "fail" else "skipped"
            yield Item(shown, settled=settled, reason=member.reason)


def _open(path: Path) -> BinaryIO:
    """A file to ingest, opened as the sync opens one (``scan.open_regular``): without blocking
    and only when it is a regular file; a symbolic link is followed (the walk above keeps links
    found in a folder to that folder)."""
    return scan.open_regular(path, follow=True)


def _why(exc: OSError) -> str:
    return exc.strerror or str(exc)
