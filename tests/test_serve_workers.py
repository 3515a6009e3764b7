"""``legday serve --workers N``: several API processes on one port, no sync scheduler in them, and
a write through one worker is seen by every worker's next answer (the cache follows the data
version in the database), on SQLite and PostgreSQL."""

from __future__ import annotations

import os
import subprocess
import sys
import time
from collections.abc import Iterator
from contextlib import contextmanager, nullcontext
from datetime import UTC, datetime, timedelta
from pathlib import Path

import httpx2
import pytest
from rich.console import Console

from api.cli.main import EXIT_USAGE, main
from api.settings import Settings
from tests.api_support import ADMIN, bearer, gpx_run
from tests.serve_support import free_port
from tests.store_fixtures import postgres_schema

QUIET = ("--parse-workers", "0", "--no-access-log")


@contextmanager
def serve_workers(data_dir: Path, database_url: str, workers: int) -> Iterator[str]:
    port = free_port()
    env = {k: v for k, v in os.environ.items() if not k.startswith("LEGDAY_")}
    env |= {"LEGDAY_DATA_DIR": str(data_dir), "LEGDAY_ADMIN_TOKEN": ADMIN}
    if database_url:
        env["LEGDAY_DATABASE_URL"] = database_url
    legday = Path(sys.executable).with_name("legday")
    command = [str(legday)] if legday.exists() else [sys.executable, "-m", "api"]
    data_dir.mkdir(parents=True, exist_ok=True)
    log = data_dir / "serve.log"
    with log.open("w") as out:
        process = subprocess.Popen(
            [*command, "serve", "--port", str(port), "--workers", str(workers), *QUIET],
            env=env,
            stdout=out,
            stderr=subprocess.STDOUT,
        )
    url = f"http://127.0.0.1:{port}"
    try:
        deadline = time.monotonic() + 60
        while True:
            assert process.poll() is None, log.read_text()
            try:
                if httpx2.get(f"{url}/healthz", timeout=1).status_code == 200:
                    break
            except httpx2.TransportError:
                pass
            assert time.monotonic() < deadline, log.read_text()
            time.sleep(0.2)
        yield url
    finally:
        process.terminate()
        try:
            process.wait(timeout=20)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait()


@pytest.mark.slow
@pytest.mark.parametrize(
    "backend", ["sqlite", pytest.param("postgresql", marks=pytest.mark.postgres)]
)
def test_a_write_through_one_worker_is_seen_by_every_workers_next_answer(
    backend: str, tmp_path: Path, request: pytest.FixtureRequest
) -> None:
    scope = (
        postgres_schema(request.getfixturevalue("postgres_url"))
        if backend == "postgresql"
        else nullcontext("")
    )
    with scope as database_url, serve_workers(tmp_path / "data", database_url, 2) as url:
        with httpx2.Client(base_url=url, timeout=30) as admin:
            created = admin.post("/v1/athletes", json={"name": "Ana"}, headers=bearer(ADMIN))
            assert created.status_code == 201, created.text
        ana = bearer(created.json()["token"])
        monday = datetime.now(UTC).replace(hour=6, minute=0) - timedelta(days=8)

        def upload(start: datetime, km: float) -> None:
            with httpx2.Client(base_url=url, timeout=30) as c:  # a new connection each time
                files = {"file": ("r.gpx", gpx_run(start, km=km))}
                assert c.post("/v1/activities", files=files, headers=ana).status_code == 201

        def km_seen(times: int) -> set[float]:
            """Three weeks' distance as each answer tells it (and a plan each time)."""
            seen = set()
            for _ in range(times):  # new connections: the kernel spreads them over the workers
                with httpx2.Client(base_url=url, timeout=30) as c:
                    assert c.get("/v1/recommendation", headers=ana).status_code == 200
                    weeks = c.get("/v1/weeks", params={"count": 3}, headers=ana)
                    assert weeks.status_code == 200, weeks.text
                    seen.add(round(sum(w["distance_km"] for w in weeks.json()["weeks"]), 1))
            return seen

        upload(monday + timedelta(days=2), 8.0)
        assert km_seen(8) == {8.0}
        upload(monday + timedelta(days=4), 12.0)
        assert km_seen(8) == {20.0}


def test_several_workers_refuse_to_start_while_sync_folders_are_configured(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("LEGDAY_SYNC_FOLDERS", f"ana={tmp_path / 'watch'}")
    console = Console(record=True, width=200)
    settings = Settings(data_dir=tmp_path / "data", admin_token=ADMIN)
    code = main(["serve", "--workers", "2"], settings=settings, console=console)
    assert code == EXIT_USAGE
    assert "legday sync" in console.export_text()
    assert not (tmp_path / "data" / "legday.db").exists()  # refused before touching anything
