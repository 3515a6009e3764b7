"""Configured sync folders → athlete ids, resolved once (issue 14, finding 1).

A configuration names a folder's athlete by name (``LEGDAY_SYNC_FOLDERS``, ``LEGDAY_SYNC_FILE``,
``legday sync DIR --athlete NAME``). Names change — an athlete can rename themself into a name a
configuration still mentions — so a name is looked up once, when a configuration naming the folder
is first loaded, and the answer is kept in ``sync_bindings``; every run after that uses the id.

- Kept binding, same configured name: the bound athlete, whatever anyone is called now.
- No binding, or the configuration now names someone else (ignoring case): the name is looked up
  now; an athlete → bound (and kept); no such athlete → refused, the folder is not synced (a
  later rename into that name does not claim it; creating the account does: the running
  scheduler binds an account created after it looked, ``api.scheduler``; so does reloading the
  configuration).
- Refused as ambiguous: one folder configured for two athletes, or a folder inside another
  athlete's configured folder (its files would reach both); a path longer than the database keeps.
"""

from __future__ import annotations

import os
import shlex
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

from ingest.store import Store, name_key
from ingest.store.sync_bindings import MAX_FOLDER_PATH, BindingStore


@dataclass(frozen=True)
class FolderBinding:
    """One configured folder: the athlete it syncs for, or why it is not synced."""

    path: str  # the folder's real path
    configured: str  # the athlete name the configuration gives
    athlete_id: int | None = None
    refusal: str | None = None
    no_account: bool = False  # refused only because no athlete has the configured name
    note: str | None = None  # e.g. the bound athlete has another name now

    @property
    def bound(self) -> bool:
        return self.athlete_id is not None


def real_path(path: Path | str) -> str:
    return os.path.realpath(os.path.expanduser(str(path)))


def bind_folders(store: Store, wanted: Sequence[tuple[Path | str, str]]) -> list[FolderBinding]:
    """Each ``(folder, athlete name)`` of a configuration, bound or refused, in order."""
    entries = [(real_path(path), name) for path, name in wanted]
    conflicts = _conflicts(entries)
    return [
        FolderBinding(path, name, refusal=conflicts[i])
        if conflicts[i]
        else bind_one(store, path, name)
        for i, (path, name) in enumerate(entries)
    ]


def bind_one(store: Store, path: str, name: str) -> FolderBinding:
    """One folder (already checked against the rest of its configuration)."""
    if len(path) > MAX_FOLDER_PATH:
        return FolderBinding(
            path, name, refusal=f"the folder path is {len(path)} characters long, more than the "
            f"{MAX_FOLDER_PATH} the database keeps",
        )  # fmt: skip
    bindings = BindingStore(store)
    kept = bindings.binding(path)
    if kept is not None and kept.name_key == name_key(name):
        note = _renamed(store, kept.athlete_id, name)
        return FolderBinding(path, name, kept.athlete_id, note=note)
    athlete = store.athlete_by_name(name)
    if athlete is None:
        return FolderBinding(
            path, name, no_account=True,
            refusal=f"no athlete named {name!r}: the folder is not synced until an account with "
            f"that name is created (legday athletes create {shlex.quote(name)})",
        )  # fmt: skip
    note = None
    if kept is not None:
        note = f"was bound to athlete #{kept.athlete_id} as {kept.configured_name!r}: rebound"
    bindings.bind(path, athlete.id, name)
    return FolderBinding(path, name, athlete.id, note=note)


def _renamed(store: Store, athlete_id: int, configured: str) -> str | None:
    athlete = store.get_athlete(athlete_id)
    if athlete is None or name_key(athlete.name) == name_key(configured):
        return None
    return f"athlete #{athlete_id}, configured as {configured!r}, is now named {athlete.name!r}"


def _conflicts(entries: Sequence[tuple[str, str]]) -> list[str | None]:
    """Why each entry is ambiguous with another one, or None."""
    out: list[str | None] = [None] * len(entries)
    for i, (path, name) in enumerate(entries):
        for j, (other, other_name) in enumerate(entries):
            if i == j or name_key(name) == name_key(other_name):
                continue
            if path == other:
                out[i] = f"the folder is configured for another athlete too ({other_name!r})"
            elif _inside(path, other) or _inside(other, path):
                out[i] = (
                    f"the folder and {other} (configured for another athlete, {other_name!r}) "
                    "are one inside the other: their files would reach both"
                )
            if out[i]:
                break
    return out


def _inside(path: str, folder: str) -> bool:
    return os.path.commonpath([path, folder]) == folder
