"""Export archives — a Strava bulk export, a Garmin Connect account export, any zip of activity
files — read one way for every entry point (``legday ingest``, the upload API, the folder sync).

Every member is accounted for: ``read`` (an activity file: FIT, GPX or TCX, gzipped or not, with
the export's ``activities.csv`` name and type when there is one), ``skip`` (with the reason: the
index itself, a file that is no activity, a macOS resource fork) or ``fail`` (with the reason: a
name that escapes the archive, an encrypted member, one declaring or inflating past the cap, a
zip nested deeper than one level). Garmin Connect's account export keeps the uploaded FIT files
in zips inside the zip: one level of nesting is opened (in memory, bounded, under the same caps
and the same ``../`` refusal); a zip inside that is refused with the reason. Nothing is ever
extracted to disk; all members of one archive together inflate to at most its budget.

A member's path is its name in the archive, and ``outer.zip!inner.fit`` for a nested member.
"""

from __future__ import annotations

import io
import zipfile
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import PurePosixPath
from typing import Literal

from ingest.errors import IngestError
from ingest.sync.scan import INDEX_NAME, is_temporary, kind_of
from ingest.sync.strava_export import MAX_INDEX_BYTES, ActivityHint, lookup, parse_index

MEMBER_SEP = "!"  # "export.zip!activities/123.fit.gz"
ZIP_MAGIC = (b"PK\x03\x04", b"PK\x05\x06")  # a zip with members, an empty zip
Action = Literal["read", "skip", "fail"]
SKIP_REASONS = {
    "index": "Strava export index: used for activity names and types",
    "other": "not an activity file (.fit, .gpx, .tcx, each optionally .gz, or .zip)",
    "macos": "macOS resource fork, not a file of the export",
    "temporary": "a temporary file",
}
NESTED_TOO_DEEP = "a zip inside a zip inside the export: only one level of nesting is read"
# A member's path (with its nested zip's, ``outer.zip!inner.fit``) past this is refused with the
# reason, never stored or shown (issue 14, finding 2): a zip may name a member with 65,535 bytes.
MAX_MEMBER_PATH = 1024


def is_zip(data: bytes) -> bool:
    return data[:4] in ZIP_MAGIC


@dataclass
class Budget:
    """What all members of one archive may still inflate to, together."""

    remaining: int

    def take(self, size: int) -> None:
        self.remaining -= size


@dataclass(frozen=True)
class Member:
    """One member of an export, and what to do with it."""

    path: str  # the name in the archive; "nested.zip!name" inside a nested zip
    size: int  # declared inflated size
    crc: int
    action: Action
    reason: str | None = None  # why it is skipped or failed
    hint: ActivityHint | None = None  # what activities.csv says of it
    loader: Callable[[], bytes] | None = None  # read members only

    def load(self) -> bytes:
        """The member's inflated bytes (bounded by the caps); IngestError when past them."""
        if self.loader is None:
            raise IngestError(self.reason or "not read", kind="unreadable")
        return self.loader()


def unsafe_member_name(name: str) -> str | None:
    """Why a member name is unsafe (escapes the archive root), or None when it is fine."""
    posix = name.replace("\\", "/")
    if posix.startswith("/") or (len(posix) > 1 and posix[1] == ":"):
        return "member name is an absolute path"
    if ".." in PurePosixPath(posix).parts:
        return "member name escapes the archive (../)"
    if "\x00" in posix:
        return "member name contains a NUL byte"
    return None


def too_long(path: str) -> str | None:
    """Why a member's path is refused for its length, or None."""
    if len(path) <= MAX_MEMBER_PATH:
        return None
    return f"member name is {len(path)} characters long, more than the {MAX_MEMBER_PATH} read"


def read_member(archive: zipfile.ZipFile, name: str, limit: int) -> bytes:
    """A member's inflated bytes, read with a bound: IngestError when it inflates past ``limit``."""
    try:
        with archive.open(name) as stream:
            data = stream.read(limit + 1)
    except (zipfile.BadZipFile, OSError, EOFError, NotImplementedError, RuntimeError) as error:
        raise IngestError(f"unreadable zip member: {error}", kind="unreadable") from None
    if len(data) > limit:
        raise IngestError(f"member inflates to more than {limit} bytes", kind="too_large")
    return data


def members(
    archive: zipfile.ZipFile, *, max_inflated: int, budget: Budget, nested: bool = False
) -> Iterator[Member]:
    """Every member of ``archive`` with its action; nested zips opened one level deep (``nested``
    says this archive is itself one). Raises nothing for a bad member; a member that cannot be
    listed is a failed one."""
    infos = [info for info in archive.infolist() if not info.is_dir()]
    hints = _hints(archive, infos)
    for info in infos:
        yield from _member(archive, info, max_inflated, budget, nested, hints)


def _member(
    archive: zipfile.ZipFile,
    info: zipfile.ZipInfo,
    max_inflated: int,
    budget: Budget,
    nested: bool,
    hints: dict[str, dict[str, ActivityHint]],
) -> Iterator[Member]:
    name = info.filename
    base = name.replace("\\", "/").rsplit("/", 1)[-1]
    declared = (name, info.file_size, info.CRC)
    refusal = unsafe_member_name(name) or too_long(name)
    kind = kind_of(base)
    if refusal is None and ("__MACOSX/" in name or base.startswith("._")):
        yield Member(*declared, "skip", SKIP_REASONS["macos"])
        return
    if refusal is None and is_temporary(base):
        yield Member(*declared, "skip", SKIP_REASONS["temporary"])
        return
    if refusal is None and kind in ("index", "other"):
        yield Member(*declared, "skip", SKIP_REASONS[kind])
        return
    if refusal is None and info.flag_bits & 0x1:
        refusal = "member is encrypted"
    if refusal is None and info.file_size > max_inflated:
        refusal = f"member declares {info.file_size} bytes, more than the {max_inflated} limit"
    if refusal is None and kind == "archive" and nested:
        refusal = NESTED_TOO_DEEP
    if refusal is not None:
        yield Member(*declared, "fail", refusal)
        return
    if kind == "archive":
        yield from _nested(archive, info, max_inflated, budget)
        return
    loader = _loader(archive, name, max_inflated, budget)
    yield Member(*declared, "read", hint=_hint(hints, name), loader=loader)


def _nested(
    archive: zipfile.ZipFile, info: zipfile.ZipInfo, max_inflated: int, budget: Budget
) -> Iterator[Member]:
    """The members of a zip inside the export (Garmin Connect's uploaded files), or one failed
    member when it cannot be opened."""
    try:
        data = _loader(archive, info.filename, max_inflated, budget)()
        inner = zipfile.ZipFile(io.BytesIO(data))
    except (IngestError, zipfile.BadZipFile, OSError) as error:
        reason = error.reason if isinstance(error, IngestError) else f"not a readable zip: {error}"
        yield Member(info.filename, info.file_size, info.CRC, "fail", reason)
        return
    # left open: its members' loaders read from it later (it is bytes in memory, counted in the
    # archive's budget, and goes when the last loader does)
    for member in members(inner, max_inflated=max_inflated, budget=budget, nested=True):
        path = f"{info.filename}{MEMBER_SEP}{member.path}"
        refusal = too_long(path) if member.action == "read" else None
        if refusal is not None:
            yield Member(path, member.size, member.crc, "fail", refusal)
            continue
        yield Member(
            path,
            member.size,
            member.crc,
            member.action,
            member.reason,
            member.hint,
            member.loader,
        )


def _loader(
    archive: zipfile.ZipFile, name: str, max_inflated: int, budget: Budget
) -> Callable[[], bytes]:
    def load() -> bytes:
        if budget.remaining <= 0:
            raise IngestError("the archive inflates past its total limit", kind="too_large")
        data = read_member(archive, name, min(max_inflated, budget.remaining))
        budget.take(len(data))
        return data

    return load


def _hints(
    archive: zipfile.ZipFile, infos: list[zipfile.ZipInfo]
) -> dict[str, dict[str, ActivityHint]]:
    """Each safe ``activities.csv`` of the archive, parsed, by the folder it sits in."""
    found: dict[str, dict[str, ActivityHint]] = {}
    for info in infos:
        name = info.filename
        if kind_of(name.rsplit("/", 1)[-1]) == "index" and unsafe_member_name(name) is None:
            try:
                found[name[: -len(INDEX_NAME)]] = parse_index(
                    read_member(archive, name, MAX_INDEX_BYTES)
                )
            except IngestError:
                found[name[: -len(INDEX_NAME)]] = {}
    return found


def _hint(hints: dict[str, dict[str, ActivityHint]], name: str) -> ActivityHint | None:
    """The hint of the nearest index above ``name``."""
    for prefix in sorted(hints, key=len, reverse=True):
        if name.startswith(prefix):
            return lookup(hints[prefix], name[len(prefix) :])
    return None


def file_name(path: str) -> str:
    """The file name of a path or member path: ``x/e.zip!a/p.zip!b.fit`` -> ``b.fit``."""
    return path.rsplit(MEMBER_SEP, 1)[-1].replace("\\", "/").rsplit("/", 1)[-1]


def member_path(archive_rel: str, member: str) -> str:
    """How a member is named beside the files of a folder: ``x/export.zip!activities/1.fit.gz``."""
    return f"{archive_rel}{MEMBER_SEP}{member}"
