"""``legday backup OUT`` and the restore docs/backup.md describes (issue 16, 5): a backup restored
into an empty data directory gives the same plans, raw files, secrets and counts; a backup taken
while activities are being written is consistent; on PostgreSQL, the documented pg_dump and
pg_restore with the backup's raw files give the same plans."""

from __future__ import annotations

import hashlib
import json
import shutil
import sqlite3
import subprocess
import threading
from datetime import timedelta
from pathlib import Path

import pytest
from sqlalchemy import make_url

from api.auth import load_admin_token, load_server_secret
from api.settings import Settings
from ingest.store import Store
from tests.conftest import need
from tests.portability_support import activities, add_sam, legday, logs, plans
from tests.store_fixtures import START, make_parsed, postgres_schema


def open_store(settings: Settings) -> Store:
    store = Store(settings.database_url, settings.data_dir)
    store.upgrade()
    return store


def restore(backup: Path, data_dir: Path) -> None:
    """docs/backup.md: copy the backup's contents into the (empty) data directory."""
    shutil.copytree(backup, data_dir, dirs_exist_ok=True)


@pytest.mark.slow
def test_a_backup_restored_into_an_empty_data_dir_gives_the_same_plans(tmp_path: Path) -> None:
    source = Settings(data_dir=tmp_path / "live")
    store = open_store(source)
    add_sam(store)
    admin = load_admin_token(None, source.data_dir).generated
    secret = load_server_secret(source.data_dir)
    before = {"plans": plans(store, "Sam"), "activities": activities(store, "Sam"),
              "logs": logs(store, "Sam"), "counts": store.counts()}  # fmt: skip
    try:
        code, out = legday(source, "backup", str(tmp_path / "backup"))
        assert code == 0, out
        assert "backed up to" in out and "20 raw files" in out, out
    finally:
        store.dispose()
    backup = tmp_path / "backup"
    assert backup.stat().st_mode & 0o777 == 0o700
    for name in ("legday.db", "admin_token", "server_secret"):
        assert (backup / name).stat().st_mode & 0o077 == 0, name
    manifest = json.loads((backup / "BACKUP.json").read_text())
    assert manifest["counts"] == before["counts"] and manifest["missing_raw_files"] == []
    shutil.rmtree(source.data_dir)  # the disk died

    restored = Settings(data_dir=tmp_path / "restored")
    restore(backup, restored.data_dir)
    store = open_store(restored)
    try:
        assert store.counts() == before["counts"]
        assert plans(store, "Sam") == before["plans"]
        assert activities(store, "Sam") == before["activities"]
        assert logs(store, "Sam") == before["logs"]
        for sha in store.raw_file_hashes():  # stored compressed, read back as uploaded
            assert hashlib.sha256(store.blobs.get(sha)).hexdigest() == sha
    finally:
        store.dispose()
    assert load_admin_token(None, restored.data_dir).accepts(str(admin))
    assert load_server_secret(restored.data_dir) == secret  # calendar feed URLs still work
    code, out = legday(restored, "info")
    assert code == 0 and "1 athletes, 20 activities" in out, out


def test_a_backup_taken_while_activities_are_written_is_consistent(tmp_path: Path) -> None:
    """A writer adds activities (each one raw file + row) as fast as it can while the backup
    runs: the copy is one moment of the database, and it has every raw file that moment names."""
    settings = Settings(data_dir=tmp_path / "live")
    store = open_store(settings)
    athlete, _ = store.create_athlete("Ana")
    for n in range(40):
        store.add_activity(athlete.id, make_parsed(start=START + timedelta(hours=6 * n)))
    stop = threading.Event()
    written: list[int] = []

    def writer() -> None:
        n = 1000
        while not stop.is_set():
            store.add_activity(athlete.id, make_parsed(start=START + timedelta(hours=6 * n)))
            written.append(n)
            n += 1

    thread = threading.Thread(target=writer)
    thread.start()
    try:
        while len(written) < 5:
            stop.wait(0.01)
        code, out = legday(settings, "backup", str(tmp_path / "backup"))
        after = len(written)
    finally:
        stop.set()
        thread.join()
        store.dispose()
    assert code == 0, out
    assert after > 5  # the writer was writing during the backup
    backup = tmp_path / "backup"
    with sqlite3.connect(backup / "legday.db") as db:
        assert db.execute("PRAGMA integrity_check").fetchone() == ("ok",)
        rows = db.execute("SELECT count(*) FROM activities").fetchone()[0]
    restored = Settings(data_dir=tmp_path / "restored")
    restore(backup, restored.data_dir)
    copy = open_store(restored)
    try:
        assert copy.counts()["activities"] == rows >= 45
        for sha in copy.raw_file_hashes():
            copy.blobs.get(sha)  # every raw file the copy's rows name is in the backup
        totals = copy.daily_frame(athlete.id, as_of=(START + timedelta(days=400)).date())
        assert float(totals["runs"].sum()) == rows  # the daily totals match the rows: one moment
    finally:
        copy.dispose()


def libpq(url: str) -> str:
    """The SQLAlchemy URL as pg_dump/pg_restore take it."""
    parsed = make_url(url)
    return parsed.set(drivername="postgresql").render_as_string(hide_password=False)


@pytest.mark.slow
@pytest.mark.postgres
def test_a_postgresql_install_restored_with_pg_restore_and_the_backup_gives_the_same_plans(
    postgres_url: str, tmp_path: Path
) -> None:
    need(shutil.which("pg_dump") is not None, "pg_dump is not installed (postgresql-client)")
    with postgres_schema(postgres_url) as url:
        schema = make_url(url).query["options"].split("=", 1)[1]
        live = Settings(data_dir=tmp_path / "live", database_url=url)
        store = open_store(live)
        add_sam(store)
        before = plans(store, "Sam"), activities(store, "Sam"), store.counts()
        store.dispose()
        code, out = legday(live, "backup", str(tmp_path / "backup"))
        assert code == 0 and "pg_dump" in out, out
        note = (tmp_path / "backup" / "POSTGRESQL.md").read_text()
        assert "pg_dump" in note and "pg_restore" in note
        dump = tmp_path / "backup" / "legday.pgdump"
        base = libpq(postgres_url)
        subprocess.run(
            ["pg_dump", "--format=custom", "--schema", schema, "--file", str(dump), base],
            check=True,
        )
        # The server and the data directory are lost; the schema is gone.
        subprocess.run(["psql", base, "-qc", f'DROP SCHEMA "{schema}" CASCADE'], check=True)
        shutil.rmtree(live.data_dir)
        subprocess.run(["pg_restore", "--no-owner", "--dbname", base, str(dump)], check=True)
        restored = Settings(data_dir=tmp_path / "restored", database_url=url)
        restore(tmp_path / "backup", restored.data_dir)
        store = open_store(restored)
        try:
            assert (plans(store, "Sam"), activities(store, "Sam"), store.counts()) == before
        finally:
            store.dispose()
