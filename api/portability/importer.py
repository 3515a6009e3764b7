"""``legday import``: an archive written by ``legday export`` (``api.portability.export``) into this
install, as a new athlete.

The raw files are parsed again by this legday (so the summaries are this version's, as after
``legday reprocess``) and stored in the order the exporting install stored them; the strength log
and check-ins are written through the store's own ``add_strength``/``add_checkin``, each field of
the archive passed to the parameter of the same name (``date`` to ``day``; an activity id through
the map of old ids to new), so fields the store gains later come across without a change here.

All or nothing: the archive's documents are read and checked before anything is written; each raw
file is checked against its SHA-256 (within the size limits) as it is read; if anything fails
part-way (a damaged member, a full disk), the new athlete is removed again with all of theirs. A
raw file this legday cannot parse is reported, as ``legday ingest`` would, and the rest imported.
"""

from __future__ import annotations

import hashlib
import inspect
import json
import zipfile
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date, datetime
from pathlib import Path
from typing import Any

from api.plain_text import refused_in_name
from api.portability.export import FORMAT, VERSION
from ingest.errors import IngestError
from ingest.pipeline import ParsedActivity, parse_activity
from ingest.store import AthleteRecord, NameTaken, Store
from ingest.store.athlete_record import PROFILE_FIELDS
from ingest.store.athletes import NAME_CHARS

MAX_DOCUMENT = 64 * 1024 * 1024  # one JSON member of the archive


class ArchiveError(ValueError):
    """The archive cannot be imported, and why; nothing was written."""


@dataclass
class ImportReport:
    athlete: AthleteRecord
    token: str
    activities: int = 0
    duplicates: int = 0
    strength_log: int = 0
    checkins: int = 0
    failed: list[tuple[str, str]] = field(default_factory=list)


def _document(archive: zipfile.ZipFile, name: str, default: Any = None) -> Any:
    try:
        info = archive.getinfo(name)
    except KeyError:
        if default is not None:
            return default
        raise ArchiveError(f"not a legday export: no {name} in the archive") from None
    if info.file_size > MAX_DOCUMENT:
        raise ArchiveError(f"{name} is {info.file_size} bytes, more than {MAX_DOCUMENT}")
    try:
        return json.loads(archive.read(info))
    except (ValueError, zipfile.BadZipFile) as error:
        raise ArchiveError(f"{name} is damaged: {error}") from None


def _raw(archive: zipfile.ZipFile, name: str, sha256: str, limit: int) -> bytes:
    try:
        info = archive.getinfo(name)
    except KeyError:
        raise ArchiveError(f"the archive lacks the raw file {name}") from None
    if info.file_size > limit:
        raise ArchiveError(f"{name} is {info.file_size} bytes, more than the {limit} limit")
    with archive.open(info) as fh:
        data = fh.read(limit + 1)
    if len(data) > limit:
        raise ArchiveError(f"{name} is larger than the {limit} byte limit")
    if hashlib.sha256(data).hexdigest() != sha256:
        raise ArchiveError(f"{name} does not match its SHA-256: the archive is damaged")
    return data


def read_archive(path: Path) -> tuple[dict[str, Any], zipfile.ZipFile]:
    """The manifest and the open archive, after checking it is an export this legday reads."""
    try:
        archive = zipfile.ZipFile(path)
    except (zipfile.BadZipFile, OSError) as error:
        raise ArchiveError(f"cannot read {path} as a zip archive: {error}") from None
    try:
        manifest = _document(archive, "manifest.json")
        if not isinstance(manifest, dict) or manifest.get("format") != FORMAT:
            raise ArchiveError(f"{path} is not a legday export (no {FORMAT!r} manifest)")
        if not isinstance(manifest.get("version"), int) or manifest["version"] > VERSION:
            raise ArchiveError(
                f"{path} is export format version {manifest.get('version')!r}; this legday "
                f"reads up to version {VERSION}: upgrade legday"
            )
    except BaseException:
        archive.close()
        raise
    return manifest, archive


def import_archive(
    store: Store,
    path: Path,
    *,
    name: str | None = None,
    max_inflated: int,
    token_expires_at: datetime | None = None,
    parse: Callable[..., ParsedActivity] = parse_activity,
    progress: Callable[[int, int], None] | None = None,
) -> ImportReport:
    manifest, archive = read_archive(path)
    with archive:
        profile = _document(archive, "profile.json")
        activities = _document(archive, "activities.json", [])
        strength = _document(archive, "strength_log.json", [])
        checkins = _document(archive, "checkins.json", [])
        if not isinstance(profile, dict):
            raise ArchiveError("profile.json is not an object")
        fields = {k: v for k, v in profile.items() if k in PROFILE_FIELDS}
        athlete_name = name or fields.pop("name", None) or manifest.get("athlete")
        fields.pop("name", None)
        if not isinstance(athlete_name, str) or not athlete_name.strip():
            raise ArchiveError("the archive names no athlete: give --name NAME")
        athlete_name = athlete_name.strip()
        bad = refused_in_name(athlete_name)
        if bad is not None or len(athlete_name) > NAME_CHARS:
            why = "is too long" if bad is None else f"holds control characters ({bad!a})"
            raise ArchiveError(
                f"the archive's athlete name {athlete_name[:100]!r} {why}: give --name NAME"
            )
        taken = store.athlete_by_name(athlete_name)  # names compare ignoring case and spacing
        if taken is not None:
            raise ArchiveError(_taken(athlete_name, taken.name))
        _check_profile(fields)
        members = set(archive.namelist())
        for row in activities:
            if not isinstance(row, dict) or not {"raw", "sha256"} <= set(row):
                raise ArchiveError(f"activities.json: an entry lacks raw or sha256: {row!r}")
            if str(row["raw"]) not in members:
                raise ArchiveError(f"the archive lacks the raw file {row['raw']}")
        try:
            athlete, token = store.create_athlete(
                athlete_name, token_expires_at=token_expires_at, **fields
            )
        except NameTaken as race:  # created meanwhile
            raise ArchiveError(_taken(athlete_name, race.holder)) from None
        report = ImportReport(athlete, token)
        tick = progress or (lambda done, total: None)
        try:
            ids: dict[Any, int] = {}
            for done, row in enumerate(activities):
                tick(done, len(activities))
                data = _raw(archive, str(row["raw"]), str(row["sha256"]), max_inflated)
                file_name = str(row.get("file_name") or Path(str(row["raw"])).name)
                try:
                    one = parse(
                        data,
                        file_name,
                        athlete.metrics_profile(),
                        max_bytes=max_inflated,
                        max_inflated=max_inflated,
                    )
                except IngestError as error:
                    report.failed.append((file_name, str(error)))
                    continue
                outcome = store.add_activity(athlete.id, one)
                ids[row.get("id")] = outcome.activity_id
                report.activities += 1
                report.duplicates += outcome.duplicate_of is not None
            tick(len(activities), len(activities))
            for entry in strength:
                _call(store.add_strength, athlete.id, entry, ids)
                report.strength_log += 1
            for entry in checkins:
                _call(store.add_checkin, athlete.id, entry, ids)
                report.checkins += 1
        except BaseException:
            store.delete_athlete(athlete.id)
            raise
    report.athlete = store.get_athlete(athlete.id) or athlete
    return report


def _taken(name: str, holder: str) -> str:
    same = "" if holder == name else f" ({holder!r}: names are compared ignoring case)"
    return (
        f"an athlete named {name!r} already exists here{same}: import under another name "
        "with --name NEW"
    )


def _check_profile(fields: dict[str, Any]) -> None:
    """The profile as the API would accept it (a time zone this machine knows, weekdays, …);
    the archive's values are what is stored."""
    from pydantic import ValidationError

    from api.schemas.profile import ProfilePatch

    known = {k: v for k, v in fields.items() if k in ProfilePatch.model_fields}
    try:
        ProfilePatch.model_validate(known)
    except ValidationError as error:
        problems = "; ".join(f"{'.'.join(map(str, e['loc']))}: {e['msg']}" for e in error.errors())
        raise ArchiveError(f"profile.json: {problems}") from None


def _call(method: Callable[..., Any], athlete_id: int, entry: Any, ids: dict[Any, int]) -> Any:
    """``method(athlete_id, …)`` with each of its parameters taken from the entry's field of the
    same name (``day`` from ``date``); dates parsed, activity ids mapped to this install's."""
    if not isinstance(entry, dict):
        raise ArchiveError(f"an entry is not an object: {entry!r}")
    kwargs: dict[str, Any] = {}
    for parameter in list(inspect.signature(method).parameters.values())[1:]:
        key = parameter.name
        source = "date" if key == "day" and "day" not in entry else key
        if source not in entry:
            if parameter.default is inspect.Parameter.empty:
                raise ArchiveError(f"an entry lacks {source!r}: {entry!r}")
            continue
        kwargs[key] = _value(key, str(parameter.annotation), entry[source], ids)
    return method(athlete_id, **kwargs)


def _value(key: str, annotation: str, value: Any, ids: dict[Any, int]) -> Any:
    if value is None:
        return None
    if key.endswith("activity_id"):
        return ids.get(value)
    if key.endswith("activity_ids"):
        return [ids[v] for v in value if v in ids]
    if "datetime" in annotation and isinstance(value, str):
        return datetime.fromisoformat(value)
    if (key in ("day", "date") or "date" in annotation) and isinstance(value, str):
        return date.fromisoformat(value)
    return value
