"""Which folders to sync for which athlete, how often, and how long a file must sit still.

Three sources, first found wins for the folder list: the ``legday sync`` flags (one folder), a
settings file (``LEGDAY_SYNC_FILE``: TOML or JSON), or ``LEGDAY_SYNC_FOLDERS`` (JSON, or the short
form ``NAME=DIR;NAME=DIR``). The athlete name is looked up once, when the folder is first
configured, and the folder stays bound to that athlete's id (``ingest.sync.binding``).
Interval and settle time default to 15 min and 60 s, set globally (``LEGDAY_SYNC_INTERVAL``,
``LEGDAY_SYNC_SETTLE``, or ``interval``/``settle`` at the top of the file) or per folder;
durations are seconds or ``90s``, ``15m``, ``1h``, ``1h30m``.

TOML::

    interval = "15m"
    settle = "60s"
    [[folders]]
    path = "/srv/watch/ana"
    athlete = "ana"
    [[folders]]
    path = "/srv/strava-exports/bo"
    athlete = "bo"
    interval = "1h"
"""

from __future__ import annotations

import json
import tomllib
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from api.durations import DurationError
from api.durations import parse_duration as _parse_duration
from ingest.sync.job import DEFAULT_INTERVAL_S, DEFAULT_SETTLE_S


@dataclass(frozen=True)
class FolderJob:
    path: Path
    athlete: str  # the athlete's name, as configured (bound to an id once: ingest.sync.binding)
    interval_s: float = DEFAULT_INTERVAL_S
    settle_s: float = DEFAULT_SETTLE_S


class SyncConfigError(ValueError):
    """A sync configuration that cannot be used, with what is wrong in it."""


def parse_duration(value: str | float) -> float:
    """Seconds from ``90``, ``"90s"``, ``"15m"``, ``"1h30m"``, ``"500ms"`` (``api.durations``)."""
    try:
        return _parse_duration(value)
    except DurationError as error:
        raise SyncConfigError(str(error)) from None


def parse_folders(text: str, *, interval_s: float, settle_s: float) -> list[FolderJob]:
    """Folders from JSON/TOML (``{"folders": [...]}``, or a bare JSON list), or ``NAME=DIR;…``."""
    stripped = text.strip()
    if not stripped:
        return []
    data: Any
    if stripped[0] in "[{":
        try:
            data = json.loads(stripped)
        except json.JSONDecodeError as error:
            raise SyncConfigError(f"sync folders: invalid JSON ({error})") from None
    elif "=" in stripped and "[" not in stripped and "\n" not in stripped:
        data = []
        for item in filter(None, (s.strip() for s in stripped.split(";"))):
            name, sep, directory = item.partition("=")
            if not sep or not name.strip() or not directory.strip():
                raise SyncConfigError(f"sync folders: expected NAME=DIR, got {item!r}")
            data.append({"athlete": name.strip(), "path": directory.strip()})
    else:
        try:
            data = tomllib.loads(stripped)
        except tomllib.TOMLDecodeError as error:
            raise SyncConfigError(f"sync settings: invalid TOML ({error})") from None
    return _jobs(data, interval_s=interval_s, settle_s=settle_s)


def from_environment(environ: Mapping[str, str]) -> list[FolderJob]:
    """The folders the environment names: ``LEGDAY_SYNC_FILE``, else ``LEGDAY_SYNC_FOLDERS``."""
    interval = parse_duration(environ.get("LEGDAY_SYNC_INTERVAL", DEFAULT_INTERVAL_S))
    settle = parse_duration(environ.get("LEGDAY_SYNC_SETTLE", DEFAULT_SETTLE_S))
    settings_file = environ.get("LEGDAY_SYNC_FILE")
    if settings_file:
        path = Path(settings_file)
        try:
            text = path.read_text(encoding="utf-8")
        except OSError as error:
            raise SyncConfigError(f"cannot read the sync settings {path}: {error}") from None
        return parse_folders(text, interval_s=interval, settle_s=settle)
    return parse_folders(
        environ.get("LEGDAY_SYNC_FOLDERS", ""), interval_s=interval, settle_s=settle
    )


def _jobs(data: Any, *, interval_s: float, settle_s: float) -> list[FolderJob]:
    if isinstance(data, dict):
        interval_s = parse_duration(data.get("interval", interval_s))
        settle_s = parse_duration(data.get("settle", settle_s))
        data = data.get("folders", [])
    if not isinstance(data, list):
        raise SyncConfigError("sync folders: expected a list of {path, athlete}")
    jobs = []
    for item in data:
        if not isinstance(item, dict) or not item.get("path") or not item.get("athlete"):
            raise SyncConfigError(f"sync folder needs a path and an athlete: {item!r}")
        jobs.append(
            FolderJob(
                path=Path(str(item["path"])).expanduser(),
                athlete=str(item["athlete"]),
                interval_s=parse_duration(item.get("interval", interval_s)),
                settle_s=parse_duration(item.get("settle", settle_s)),
            )
        )
        if jobs[-1].interval_s <= 0:
            raise SyncConfigError(f"sync interval must be positive for {item['path']}")
    return jobs
