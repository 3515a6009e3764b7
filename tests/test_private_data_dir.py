"""Issue 14, finding 8: the data directory (heart rate, sleep, soreness notes, raw tracks, the
server's secrets) is private to its owner whatever the umask: directories 0700, files 0600 —
the SQLite database with its -wal and -shm, the raw files, the admin token and the feed secret."""

from __future__ import annotations

import os
import stat
from collections.abc import Iterator
from pathlib import Path

import pytest
from fastapi.testclient import TestClient

from api.app import create_app
from api.settings import Settings
from ingest.store import Store
from tests.api_support import NOW, gpx_run
from tests.store_fixtures import START


@pytest.fixture
def umask_022() -> Iterator[None]:
    previous = os.umask(0o022)  # the common default: world-readable files
    try:
        yield
    finally:
        os.umask(previous)


def mode(path: Path) -> int:
    return stat.S_IMODE(path.stat().st_mode)


def modes_under(data_dir: Path) -> dict[str, int]:
    found = {".": mode(data_dir)}
    for path in sorted(data_dir.rglob("*")):
        key = path.relative_to(data_dir).as_posix()
        if path.parent.parent == data_dir / "blobs":  # the raw files, by hash
            key = "blobs/<ab>/<file>"
        elif path.parent == data_dir / "blobs":
            key = "blobs/<ab>"
        found[key] = mode(path)
    return found


def test_a_new_data_directory_and_everything_in_it_is_private_under_umask_022(
    tmp_path: Path, umask_022: None
) -> None:
    data_dir = tmp_path / "legday-data"
    settings = Settings(data_dir=data_dir)  # no admin token: one is generated and saved
    store = Store(settings.database_url, data_dir)
    store.upgrade()
    store.dispose()
    with TestClient(create_app(settings, clock=lambda: NOW)) as client:
        token = (data_dir / "admin_token").read_text().strip()
        created = client.post(
            "/v1/athletes", json={"name": "Ana"}, headers={"Authorization": f"Bearer {token}"}
        )
        athlete = {"Authorization": f"Bearer {created.json()['token']}"}
        upload = client.post(
            "/v1/activities", files={"file": ("run.gpx", gpx_run(START))}, headers=athlete
        )
        assert upload.status_code == 201
        found = modes_under(data_dir)  # while the server holds the database open: -wal, -shm
    assert {"legday.db-wal", "legday.db-shm", "blobs/<ab>/<file>"} <= set(found)
    expected = {name: 0o700 if name in (".", "blobs", "blobs/<ab>") else 0o600 for name in found}
    assert {k: oct(v) for k, v in found.items()} == {k: oct(v) for k, v in expected.items()}


def test_an_existing_world_readable_installation_is_made_private_when_opened(
    tmp_path: Path, umask_022: None
) -> None:
    data_dir = tmp_path / "old-data"
    data_dir.mkdir(mode=0o755)
    store = Store(None, data_dir)
    store.upgrade()
    store.dispose()
    for path in (data_dir / "legday.db", data_dir / "legday.db-wal"):
        if path.exists():
            path.chmod(0o644)
    data_dir.chmod(0o755)  # as an older legday left it
    Store(None, data_dir).dispose()
    assert mode(data_dir) == 0o700
    assert mode(data_dir / "legday.db") == 0o600
