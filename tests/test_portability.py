"""Your data is yours (issue 16, 5): ``legday export`` from one data directory and ``legday import``
into another give the same plans; the archive is readable without legday; a damaged archive
imports nothing; fields the strength log gains later come across."""

from __future__ import annotations

import csv
import hashlib
import io
import json
import zipfile
from datetime import date
from pathlib import Path
from typing import Any

import pytest

from api.portability.importer import _call
from api.settings import Settings
from ingest.store import Store
from tests.portability_support import (
    activities,
    add_sam,
    legday,
    logs,
    plans,
    sample_files,
)
from tests.store_fixtures import postgres_schema


@pytest.fixture
def source(tmp_path: Path) -> Settings:
    settings = Settings(data_dir=tmp_path / "one")
    store = Store(settings.database_url, settings.data_dir)
    store.upgrade()
    add_sam(store)
    store.dispose()
    return settings


def open_store(settings: Settings) -> Store:
    store = Store(settings.database_url, settings.data_dir)
    store.upgrade()
    return store


def assert_same_athlete(one: Store, other: Store, name: str, as_name: str | None = None) -> None:
    as_name = as_name or name
    assert activities(other, as_name) == activities(one, name)
    assert logs(other, as_name) == logs(one, name)
    assert plans(other, as_name) == plans(one, name)


@pytest.mark.slow
def test_an_export_imported_into_another_data_dir_gives_the_same_plans(
    source: Settings, tmp_path: Path
) -> None:
    archive = tmp_path / "sam.zip"
    code, out = legday(source, "export", "--athlete", "Sam", str(archive))
    assert code == 0, out
    assert "20 activities with their raw files" in out
    other = Settings(data_dir=tmp_path / "two")
    code, out = legday(other, "import", str(archive))
    assert code == 0, out
    assert "imported 'Sam'" in out and "1 duplicates of another" in out
    one, two = open_store(source), open_store(other)
    try:
        assert_same_athlete(one, two, "Sam")
        sam = two.athlete_by_name("Sam")
        assert sam is not None and sam.races == one.athlete_by_name("Sam").races  # type: ignore[union-attr]
    finally:
        one.dispose()
        two.dispose()


@pytest.mark.slow
def test_the_export_is_readable_without_legday(source: Settings, tmp_path: Path) -> None:
    archive = tmp_path / "sam.zip"
    assert legday(source, "export", "--athlete", "Sam", str(archive))[0] == 0
    assert archive.stat().st_mode & 0o077 == 0  # health data: not readable by others
    with zipfile.ZipFile(archive) as z:
        names = set(z.namelist())
        assert {"manifest.json", "profile.json", "activities.json", "activities.csv",
                "strength_log.json", "strength_log.csv", "checkins.json",
                "checkins.csv"} <= names  # fmt: skip
        manifest = json.loads(z.read("manifest.json"))
        assert manifest["format"] == "legday-export" and manifest["athlete"] == "Sam"
        rows = json.loads(z.read("activities.json"))
        originals = {p.name: p.read_bytes() for p in sample_files()}
        assert len(rows) == len(originals) == 20
        for row in rows:
            raw = z.read(row["raw"])
            assert hashlib.sha256(raw).hexdigest() == row["sha256"]
            assert raw == originals[row["file_name"]]  # the file as it was uploaded
            assert row["raw"] == f"raw/{row['local_date']}_{row['file_name']}"
        table = list(csv.DictReader(io.StringIO(z.read("activities.csv").decode())))
        assert [r["sha256"] for r in table] == [r["sha256"] for r in rows]
        assert float(table[0]["distance_m"]) == rows[0]["distance_m"]
        strength = json.loads(z.read("strength_log.json"))
        sets = list(csv.DictReader(io.StringIO(z.read("strength_log.csv").decode())))
        assert len(sets) == sum(len(e["sets"]) for e in strength) > 0
        assert {"date", "exercise", "set", "reps", "load_kg"} <= set(sets[0])
        profile = json.loads(z.read("profile.json"))
        assert profile["timezone"] == "Europe/Zurich" and profile["races"]


@pytest.mark.slow
def test_a_damaged_archive_imports_nothing(source: Settings, tmp_path: Path) -> None:
    archive = tmp_path / "sam.zip"
    assert legday(source, "export", "--athlete", "Sam", str(archive))[0] == 0
    damaged = tmp_path / "damaged.zip"
    with zipfile.ZipFile(archive) as z, zipfile.ZipFile(damaged, "w") as out:
        last = json.loads(z.read("activities.json"))[-1]["raw"]
        for info in z.infolist():
            data = z.read(info)
            out.writestr(info, data[:-10] + b"0123456789" if info.filename == last else data)
    other = Settings(data_dir=tmp_path / "two")
    code, out = legday(other, "import", str(damaged))
    assert code == 2 and "does not match its SHA-256: the archive is damaged" in out, out
    store = open_store(other)
    try:
        assert store.list_athletes() == [] and store.counts()["activities"] == 0
        blobs = other.data_dir / "blobs"
        assert not blobs.exists() or not any(p.is_file() for p in blobs.rglob("*"))
    finally:
        store.dispose()


@pytest.mark.slow
def test_an_import_under_a_taken_name_is_refused_and_name_renames_it(
    source: Settings, tmp_path: Path
) -> None:
    archive = tmp_path / "sam.zip"
    assert legday(source, "export", "--athlete", "Sam", str(archive))[0] == 0
    code, out = legday(source, "import", str(archive))
    assert code == 2 and "an athlete named 'Sam' already exists here" in out and "--name" in out
    code, out = legday(source, "import", str(archive), "--name", "Sam (copy)")
    assert code == 0, out
    store = open_store(source)
    try:
        assert_same_athlete(store, store, "Sam", "Sam (copy)")
    finally:
        store.dispose()


def test_something_else_than_an_export_is_refused_with_the_reason(tmp_path: Path) -> None:
    settings = Settings(data_dir=tmp_path / "data")
    not_zip = tmp_path / "notes.zip"
    not_zip.write_text("hello")
    code, out = legday(settings, "import", str(not_zip))
    assert code == 2 and "cannot read" in out and "as a zip archive" in out
    other = tmp_path / "photos.zip"
    with zipfile.ZipFile(other, "w") as z:
        z.writestr("a.jpg", b"jpeg")
    code, out = legday(settings, "import", str(other))
    assert code == 2 and "not a legday export: no manifest.json" in out


def test_fields_the_store_records_later_are_passed_by_name_and_activity_links_remapped() -> None:
    """What ``add_strength`` will accept after the strength log gains custom names, flags and
    activity links: each is filled from the archive's field of the same name."""
    calls: list[dict[str, Any]] = []

    def add_strength(
        athlete_id: int,
        day: date,
        exercise: str,
        sets: list[dict[str, Any]],
        *,
        custom_name: str | None = None,
        flags: list[str] | None = None,
        activity_id: int | None = None,
    ) -> None:
        calls.append(
            {"athlete_id": athlete_id, "day": day, "exercise": exercise, "sets": sets,
             "custom_name": custom_name, "flags": flags, "activity_id": activity_id}
        )  # fmt: skip

    entry = {
        "id": 9,
        "date": "2026-09-07",
        "exercise": "custom",
        "sets": [{"reps": 5}],
        "custom_name": "Hill bounds [heavy]",
        "flags": ["pain"],
        "activity_id": 41,
        "created_at": "2026-09-07T10:00:00+00:00",
    }
    _call(add_strength, 3, entry, {41: 7})
    assert calls == [
        {
            "athlete_id": 3,
            "day": date(2026, 9, 7),
            "exercise": "custom",
            "sets": [{"reps": 5}],
            "custom_name": "Hill bounds [heavy]",
            "flags": ["pain"],
            "activity_id": 7,
        }
    ]


@pytest.mark.slow
@pytest.mark.postgres
def test_an_export_from_postgresql_imported_into_sqlite_gives_the_same_plans(
    postgres_url: str, tmp_path: Path
) -> None:
    with postgres_schema(postgres_url) as url:
        pg = Settings(data_dir=tmp_path / "pg", database_url=url)
        store = open_store(pg)
        add_sam(store)
        try:
            archive = tmp_path / "sam.zip"
            assert legday(pg, "export", "--athlete", "Sam", str(archive))[0] == 0
            lite = Settings(data_dir=tmp_path / "lite")
            code, out = legday(lite, "import", str(archive))
            assert code == 0, out
            other = open_store(lite)
            try:
                assert_same_athlete(store, other, "Sam")
            finally:
                other.dispose()
        finally:
            store.dispose()
