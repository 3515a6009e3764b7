"""The state of one sync run over one folder: its limits, its report, the files it has to read
(``Work``) and what decides whether a ledger row must be read again."""

from __future__ import annotations

import threading
from collections.abc import Callable
from concurrent.futures import Executor
from dataclasses import dataclass, field

from ingest.measure.summary import MetricsProfile
from ingest.pipeline import MAX_BYTES, MAX_INFLATED, PARSER_VERSION, ParsedActivity
from ingest.store import Store
from ingest.store.ledger import LedgerRow, SyncStore
from ingest.sync.reader import FolderReader
from ingest.sync.strava_export import ActivityHint

SKIP_REASONS = {
    "symlink": "symbolic link: not followed",
    "other": "not an activity file (.fit, .gpx, .tcx, each optionally .gz, or .zip)",
    "index": "Strava export index: used for activity names and types",
    "archive": "zip archive: its members are listed one by one",
}
Parse = Callable[..., ParsedActivity]


@dataclass(frozen=True)
class Limits:
    max_bytes: int = MAX_BYTES  # a file (or zip member) as stored
    max_inflated: int = MAX_INFLATED  # after gunzip / unzip of one file
    max_archive_inflated: int = 4 * MAX_INFLATED  # all members of one zip together


@dataclass
class RunReport:
    folder: str
    status: str = "ok"  # ok, locked (another runner has the folder), error
    seen: int = 0
    opened: int = 0
    bytes_read: int = 0
    ingested: int = 0
    duplicate: int = 0
    failed: int = 0
    skipped: int = 0
    pending: int = 0
    seconds: float = 0.0
    error: str | None = None
    failures: list[tuple[str, str]] = field(default_factory=list)

    def counts(self) -> dict[str, int]:
        keys = ("seen", "opened", "bytes_read", "ingested", "duplicate", "failed", "skipped")
        return {k: getattr(self, k) for k in (*keys, "pending")}


@dataclass
class Work:
    """One file or zip member to read: where, what the ledger should remember, how to load it."""

    rel_path: str
    size: int
    mtime_ns: int
    stable_since: float
    load: Callable[[], bytes]
    crc32: int | None = None
    hint: ActivityHint | None = None
    recovering: bool = False  # the ledger says "ingesting": a run stopped before its outcome


@dataclass
class Run:
    """The state of one run over one folder."""

    store: Store
    ledger_store: SyncStore
    folder_id: int
    athlete_id: int
    reader: FolderReader
    profile: MetricsProfile
    report: RunReport
    settle_s: float
    clock: Callable[[], float]
    limits: Limits
    parse: Parse
    executor: Executor | None
    batch_size: int
    lost: threading.Event
    progress: Callable[[str, str], None] | None = None
    hints: dict[str, dict[str, ActivityHint]] = field(default_factory=dict)


def needs_reading(row: LedgerRow | None, size: int, mtime_ns: int, crc: int | None) -> bool:
    if row is None or row.status in ("pending", "ingesting"):
        return True
    if (row.size, row.mtime_ns, row.crc32) != (size, mtime_ns, crc):
        return True
    return row.status == "failed" and row.parser_version != PARSER_VERSION


def tell(run: Run, rel_path: str, what: str) -> None:
    if run.progress is not None:
        run.progress(rel_path, what)
