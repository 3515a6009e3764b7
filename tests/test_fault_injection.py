"""Faults, for real where the sandbox allows: ``legday serve`` SIGKILLed with uploads in flight
(bodies streaming, files parsing, rows being written), then restarted; a killed blob writer's
temporary file; a full disk under the data directory (a small tmpfs), for the API (507 naming what
is full) and for ``legday ingest`` (a failed row with the reason); a full disk at the database
commit (simulated: SQLITE_FULL raised at commit). Afterwards the store opens, nothing is half
written, earlier data is intact, and the next upload completes the work.

``legday sync`` killed mid-batch: tests/test_sync_crash.py."""

from __future__ import annotations

import os
import socket
import sqlite3
import subprocess
import sys
import threading
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import httpx2
import pytest
from fastapi.testclient import TestClient
from sqlalchemy import event

from api.app import create_app
from ingest.store import Store
from ingest.store.blobs import TMP_PREFIX, BlobStore
from tests.api_support import ADMIN, bearer, gpx_run, settings_for
from tests.conftest import ROOT, SAMPLE_DATA
from tests.hardening_support import Served, check_store, served, sqlite_integrity

# Every upload at once, on purpose: above the upload bounds of docs/api-limits.md (429/503).
ENV = {
    "LEGDAY_ADMIN_TOKEN": ADMIN,
    "LEGDAY_UPLOAD_CONCURRENCY_PER_ATHLETE": "64",
    "LEGDAY_UPLOAD_CONCURRENCY": "64",
    "LEGDAY_UPLOAD_MEMORY_MB": "4096",
}


def big_files(corpus: Path | None = None) -> list[Path]:
    """The largest real files: slow enough to parse that a kill lands mid-parse."""
    pool = list((SAMPLE_DATA / "athlete").glob("*.*"))
    if corpus is not None:
        pool += [p for d in ("fit", "gpx") for p in (corpus / d).iterdir()]
    return sorted(pool, key=lambda p: p.stat().st_size, reverse=True)[:12]


def new_athlete(url: str, name: str) -> str:
    r = httpx2.post(f"{url}/v1/athletes", json={"name": name}, headers=bearer(ADMIN), timeout=30)
    assert r.status_code == 201, r.text
    return str(r.json()["token"])


def upload(url: str, token: str, path: Path, out: list[int]) -> None:
    try:
        r = httpx2.post(
            f"{url}/v1/activities",
            files={"file": (path.name, path.read_bytes())},
            headers=bearer(token),
            timeout=60,
        )
        out.append(r.status_code)
    except httpx2.TransportError:
        out.append(0)  # the server died under it


def half_sent_upload(url: str, token: str, size: int = 4_000_000) -> socket.socket:
    """A multipart upload whose body is a quarter sent: the server is reading it."""
    host, port = url.removeprefix("http://").split(":")
    sock = socket.create_connection((host, int(port)))
    boundary = "legdayboundary"
    head = (
        f'--{boundary}\r\nContent-Disposition: form-data; name="file"; filename="big.gpx"\r\n'
        "Content-Type: application/octet-stream\r\n\r\n"
    ).encode()
    sock.sendall(
        (
            f"POST /v1/activities HTTP/1.1\r\nHost: {host}\r\nAuthorization: Bearer {token}\r\n"
            f"Content-Type: multipart/form-data; boundary={boundary}\r\n"
            f"Content-Length: {len(head) + size}\r\n\r\n"
        ).encode()
        + head
        + b"<" * (size // 4)
    )
    return sock


def kill_mid_flight(server: Served, token: str, files: list[Path], after_done: int) -> list[int]:
    """Every upload at once (plus one half-sent body); SIGKILL the server as soon as
    ``after_done`` of them were answered: the others are streaming, parsing or being written."""
    answers: list[int] = []
    threads = [threading.Thread(target=upload, args=(server.url, token, f, answers)) for f in files]
    for t in threads:
        t.start()
    streaming = half_sent_upload(server.url, token)
    deadline = time.monotonic() + 60
    while len(answers) < after_done and time.monotonic() < deadline:
        time.sleep(0.005)
    server.kill()
    for t in threads:
        t.join(timeout=60)
    streaming.close()
    return answers


@pytest.mark.slow
def test_serve_killed_with_uploads_in_flight_then_restarted_loses_and_duplicates_nothing(
    tmp_path: Path, corpus: Path
) -> None:
    files = big_files(corpus)
    with served(tmp_path, extra_env=ENV) as server:
        token = new_athlete(server.url, "Sam")
        answers = kill_mid_flight(server, token, files, after_done=1)
        server.start()
        answers += kill_mid_flight(server, token, files, after_done=len(files) // 2)
        assert 0 in answers and (200 in answers or 201 in answers), answers
        store = Store(None, server.data_dir)
        after_kills = check_store(store)
        assert after_kills.missing_blobs == [] and after_kills.half_rows == []
        assert sqlite_integrity(store) == "ok"

        server.start()  # the next uploads complete the work
        retried: list[int] = []
        for f in files:
            upload(server.url, token, f, retried)
        assert set(retried) <= {200, 201}, retried
        final = check_store(store)
        output = server.output()
    store.dispose()
    assert final.activities == final.distinct_sha == len(files), "an activity lost or doubled"
    assert final.missing_blobs == final.orphan_blobs == final.half_rows == []
    assert final.temporary_files == []
    assert "database is locked" not in output
    print(f"answers before the kills: {sorted(answers)}; after them: {after_kills}")


def test_a_killed_writers_temporary_file_is_swept_and_a_live_ones_is_kept(tmp_path: Path) -> None:
    blobs = BlobStore(tmp_path / "blobs")
    blobs.put(b"first")
    directory = blobs.path_for(blobs.put(b"first")[0]).parent
    writer = (
        "import fcntl, os, sys, tempfile, time\n"
        f"fd, name = tempfile.mkstemp(prefix={TMP_PREFIX!r}, dir=sys.argv[1])\n"
        "fcntl.flock(fd, fcntl.LOCK_EX)\n"
        "os.write(fd, b'half a file'); print(name, flush=True); time.sleep(60)\n"
    )
    killed = subprocess.Popen(
        [sys.executable, "-c", writer, str(directory)], stdout=subprocess.PIPE, text=True
    )
    alive = subprocess.Popen(
        [sys.executable, "-c", writer, str(directory)], stdout=subprocess.PIPE, text=True
    )
    assert killed.stdout is not None and alive.stdout is not None
    dead_tmp = Path(killed.stdout.readline().strip())
    live_tmp = Path(alive.stdout.readline().strip())
    killed.kill()
    killed.communicate()
    old = time.time() - 60
    for tmp in (dead_tmp, live_tmp):
        os.utime(tmp, (old, old))
    try:
        fresh = BlobStore(tmp_path / "blobs")  # a restarted process
        fresh.put(b"another file")
        assert not dead_tmp.exists(), "the killed writer's temporary file is still there"
        assert live_tmp.exists(), "a live writer's file was deleted"
    finally:
        alive.kill()
        alive.communicate()
    assert blobs.get(blobs.put(b"first")[0]) == b"first"


@pytest.fixture
def small_disk(tmp_path: Path) -> Iterator[Path]:
    """A 24 MiB tmpfs: a data directory whose disk can really fill up."""
    mount = tmp_path / "disk"
    mount.mkdir()
    done = subprocess.run(
        ["mount", "-t", "tmpfs", "-o", "size=24m", "tmpfs", str(mount)], capture_output=True
    )
    if done.returncode != 0:
        pytest.skip(f"cannot mount a tmpfs here: {done.stderr.decode().strip()}")
    try:
        yield mount
    finally:
        subprocess.run(["umount", "-l", str(mount)], check=False)


def fill(disk: Path) -> Path:
    """Fill the disk to the last byte; the filler file to delete to free it."""
    filler = disk / "filler"
    fd = os.open(filler, os.O_WRONLY | os.O_CREAT, 0o600)
    try:
        for chunk in (1 << 20, 4096, 1):
            try:
                while os.write(fd, b"\0" * chunk):
                    pass
            except OSError:
                continue
    finally:
        os.close(fd)
    return filler


@pytest.mark.slow
def test_a_full_disk_answers_507_naming_it_and_corrupts_nothing(
    tmp_path: Path, small_disk: Path
) -> None:
    data_dir = small_disk / "data"
    runs = [gpx_run(time_of(n)) for n in range(4)]
    with served(tmp_path, data_dir=data_dir, extra_env=ENV, parse_workers=0) as server:
        sam, bo = new_athlete(server.url, "Sam"), new_athlete(server.url, "Bo")
        http = httpx2.Client(base_url=server.url, timeout=60)
        first = http.post("/v1/activities", files={"file": ("a.gpx", runs[0])}, headers=bearer(sam))
        assert first.status_code == 201
        filler = fill(small_disk)

        full = http.post("/v1/activities", files={"file": ("b.gpx", runs[1])}, headers=bearer(sam))
        assert full.status_code == 507, full.text
        assert "no space left" in full.json()["detail"] and "raw files" in full.json()["detail"]
        # Bo sends Sam's bytes: the raw file exists, only the database has to grow.
        same = http.post("/v1/activities", files={"file": ("a.gpx", runs[0])}, headers=bearer(bo))
        assert same.status_code in (201, 507), same.text
        if same.status_code == 507:
            assert "the database" in same.json()["detail"]
        listed = http.get("/v1/activities", headers=bearer(sam)).json()["activities"]
        assert [a["id"] for a in listed] == [first.json()["id"]], "earlier data changed"

        filler.unlink()
        again = http.post("/v1/activities", files={"file": ("b.gpx", runs[1])}, headers=bearer(sam))
        assert again.status_code == 201, again.text
        http.close()
        output = server.output()
    store = Store(None, data_dir)
    state = check_store(store)
    assert sqlite_integrity(store) == "ok"
    assert state.missing_blobs == state.half_rows == state.temporary_files == []
    assert state.activities == 2 + (same.status_code == 201)
    store.dispose()
    assert "Traceback" not in output


def time_of(n: int) -> Any:
    from datetime import timedelta

    from tests.api_support import NOW

    return NOW - timedelta(days=n + 1)


@pytest.mark.slow
def test_legday_ingest_on_a_full_disk_fails_the_row_with_the_reason(
    tmp_path: Path, small_disk: Path
) -> None:
    data_dir = small_disk / "data"
    store = Store(None, data_dir)
    store.upgrade()
    store.create_athlete("Sam")  # and the store stays open, as a running server keeps it
    files = tmp_path / "files"
    files.mkdir()
    for n in range(3):
        (files / f"run{n}.gpx").write_bytes(gpx_run(time_of(n)))
    filler = fill(small_disk)
    env = {k: v for k, v in os.environ.items() if not k.startswith("LEGDAY_")}
    env |= {"LEGDAY_DATA_DIR": str(data_dir), "PYTHONPATH": str(ROOT), "COLUMNS": "300"}
    command = [sys.executable, "-m", "api", "ingest", str(files), "--athlete", "Sam"]
    done = subprocess.run(
        [*command, "--workers", "0"], cwd=ROOT, env=env, capture_output=True, text=True, timeout=120
    )
    assert done.returncode == 1, done.stdout + done.stderr
    assert done.stdout.count("failed") >= 3 and "no space left" in done.stdout.lower(), done.stdout
    filler.unlink()
    assert sqlite_integrity(store) == "ok"
    state = check_store(store)
    assert state.activities == 0 and state.orphan_blobs == state.temporary_files == []
    store.dispose()


def test_a_full_disk_at_the_database_commit_is_507_and_leaves_no_raw_file(tmp_path: Path) -> None:
    settings = settings_for(tmp_path / "data")
    store = Store(None, settings.data_dir)
    store.upgrade()
    full = threading.Event()

    @event.listens_for(store.engine, "commit")
    def disk_full_at_commit(conn: Any) -> None:
        if full.is_set():
            raise sqlite3.OperationalError("database or disk is full")

    with TestClient(create_app(settings, store=store)) as client:
        made = client.post("/v1/athletes", json={"name": "Sam"}, headers=bearer(ADMIN)).json()
        sam = bearer(made["token"])
        first = client.post("/v1/activities", files={"file": ("a.gpx", gpx_run(time_of(0)))},
                            headers=sam)  # fmt: skip
        assert first.status_code == 201
        full.set()
        r = client.post("/v1/activities", files={"file": ("b.gpx", gpx_run(time_of(1)))},
                        headers=sam)  # fmt: skip
        assert r.status_code == 507 and "the database" in r.json()["detail"], r.text
        patch = client.patch("/v1/me", json={"hr_rest": 48}, headers=sam)
        assert patch.status_code == 507, patch.text
        full.clear()
        assert [
            a["id"] for a in client.get("/v1/activities", headers=sam).json()["activities"]
        ] == [first.json()["id"]]
        assert client.get("/v1/me", headers=sam).json()["hr_rest"] is None
    state = check_store(store)
    assert state.activities == 1 and state.orphan_blobs == [] and state.half_rows == []
    store.dispose()
