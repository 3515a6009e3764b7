"""An athlete's data as one zip they can keep, read with any tool, or import into another legday
(``legday export``; ``api.portability.importer`` reads it back).

The archive::

    manifest.json       format "legday-export", version, legday's version, when, the counts
    profile.json        the profile (name, time zone, week start, races, heart-rate figures, …)
    activities.json     every activity's summary (the API's fields) and its raw file's name here
    activities.csv      the same, one row per activity (descent by grade in four columns)
    strength_log.json   every strength-log entry, with whatever fields the store records
    strength_log.csv    one row per set
    checkins.json       sleep hours, soreness, notes
    checkins.csv
    raw/                the original files (FIT, GPX, TCX; stored inflated), named by local date
                        and the name they were uploaded with

Raw files come through the store's blob API (``store.blobs.get``), so this does not depend on how
the raw files are kept on disk. Records are written generically (every field of the store's record
but the athlete's id): fields the strength log gains later are exported without a change here.
Written to a temporary file beside the target and renamed: never half an archive.
"""

from __future__ import annotations

import csv
import dataclasses
import io
import json
import os
import re
import tempfile
import zipfile
from collections.abc import Callable, Iterable, Sequence
from datetime import UTC, date, datetime
from pathlib import Path
from typing import Any

from ingest.store import AthleteRecord, Store

FORMAT = "legday-export"
VERSION = 1
GRADES = ("0-5", "5-10", "10-20", "20+")
_UNSAFE = re.compile(r"[^A-Za-z0-9._-]+")
INTERNAL = frozenset({"athlete_id", "summary"})  # ids of this install, and the parser's scratch


def jsonable(value: Any) -> Any:
    """Dates and times as ISO 8601, tuples as lists, nested dataclasses as dicts."""
    if isinstance(value, datetime | date):
        return value.isoformat()
    if dataclasses.is_dataclass(value) and not isinstance(value, type):
        return jsonable(dataclasses.asdict(value))
    if isinstance(value, dict):
        return {str(k): jsonable(v) for k, v in value.items()}
    if isinstance(value, list | tuple | set | frozenset):
        return [jsonable(v) for v in value]
    return value


def record_dict(record: Any, drop: Iterable[str] = INTERNAL) -> dict[str, Any]:
    """Every field of a store record but ``drop``, JSON-ready."""
    skip = set(drop)
    return {
        f.name: jsonable(getattr(record, f.name))
        for f in dataclasses.fields(record)
        if f.name not in skip
    }


def raw_name(local_date: date, file_name: str, fmt: str, taken: set[str]) -> str:
    """``raw/2026-09-08_intervals.fit``: readable, safe in any file system, unique."""
    stem = Path(file_name).name
    for suffix in (".gz", ".GZ"):
        stem = stem.removesuffix(suffix)  # stored inflated
    stem = _UNSAFE.sub("_", stem).strip("._") or "activity"
    if not stem.lower().endswith(f".{fmt.lower()}"):
        stem = f"{stem}.{fmt.lower()}"
    name = f"raw/{local_date.isoformat()}_{stem}"
    base, n = name, 1
    while name in taken:
        n += 1
        root, dot, ext = base.rpartition(".")
        name = f"{root}_{n}{dot}{ext}"
    taken.add(name)
    return name


def _csv(rows: Sequence[dict[str, Any]], first: Sequence[str] = ()) -> str:
    columns = list(first)
    for row in rows:
        columns += [k for k in row if k not in columns]
    out = io.StringIO()
    writer = csv.DictWriter(out, columns, extrasaction="ignore", lineterminator="\n")
    writer.writeheader()
    for row in rows:
        writer.writerow({k: _cell(v) for k, v in row.items()})
    return out.getvalue()


def _cell(value: Any) -> Any:
    if isinstance(value, dict | list):
        return json.dumps(value, ensure_ascii=False)
    return "" if value is None else value


def export_athlete(
    store: Store,
    athlete: AthleteRecord,
    out: Path,
    *,
    legday_version: str,
    now: datetime | None = None,
    progress: Callable[[int, int], None] | None = None,
) -> dict[str, int]:
    """Write ``athlete``'s archive to ``out`` (which must not exist); returns the counts."""
    activities = store.list_activities(athlete.id)
    strength = store.list_strength(athlete.id)
    checkins = store.list_checkins(athlete.id)
    profile = {k: v for k, v in jsonable(athlete.profile_dict()).items() if k != "id"}
    counts = {
        "activities": len(activities),
        "strength_log": len(strength),
        "checkins": len(checkins),
    }
    tick = progress or (lambda done, total: None)
    fd, tmp = tempfile.mkstemp(prefix=".legday-export-", suffix=".zip", dir=out.parent)
    try:
        with os.fdopen(fd, "wb") as fh, zipfile.ZipFile(fh, "w", zipfile.ZIP_DEFLATED) as archive:
            taken: set[str] = set()
            rows = []
            for done, activity in enumerate(activities):
                tick(done, len(activities))
                name = raw_name(activity.local_date, activity.file_name, activity.format, taken)
                archive.writestr(name, store.blobs.get(activity.sha256))
                rows.append({**activity.to_dict(), "raw": name})
            tick(len(activities), len(activities))
            strength_rows = [record_dict(e) for e in strength]
            checkin_rows = [record_dict(c) for c in checkins]
            documents = {
                "profile.json": profile,
                "activities.json": rows,
                "strength_log.json": strength_rows,
                "checkins.json": checkin_rows,
            }
            for member, document in documents.items():
                text = json.dumps(document, indent=2, ensure_ascii=False)
                archive.writestr(member, text + "\n")
            archive.writestr("activities.csv", _csv([_flat_activity(r) for r in rows]))
            archive.writestr("strength_log.csv", _csv(_sets(strength_rows)))
            archive.writestr("checkins.csv", _csv(checkin_rows))
            manifest = {
                "format": FORMAT,
                "version": VERSION,
                "legday": legday_version,
                "exported_at": (now or datetime.now(UTC)).isoformat(),
                "athlete": athlete.name,
                "counts": counts,
            }
            archive.writestr("manifest.json", json.dumps(manifest, indent=2) + "\n")
            fh.flush()
            os.fsync(fh.fileno())
        os.replace(tmp, out)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise
    return counts


def _flat_activity(row: dict[str, Any]) -> dict[str, Any]:
    flat = {k: v for k, v in row.items() if k != "descent_by_grade_m"}
    grades = row.get("descent_by_grade_m") or {}
    for grade in GRADES:
        flat[f"descent_{grade}_pct_m"] = grades.get(grade)
    return flat


def _sets(entries: Sequence[dict[str, Any]]) -> list[dict[str, Any]]:
    """One CSV row per set: the entry's own fields (date, exercise, …) then the set's."""
    rows = []
    for entry in entries:
        own = {k: v for k, v in entry.items() if k != "sets"}
        for number, one in enumerate(entry.get("sets") or [], start=1):
            rows.append({**own, "set": number, **(one if isinstance(one, dict) else {})})
    return rows
