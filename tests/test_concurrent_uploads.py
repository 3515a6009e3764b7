"""Four clients upload the real corpus (good and broken files) and the sample athlete at once to a
real ``legday serve``, every file by two of them, while the server's own sync job (every second)
ingests a folder holding a third of the same files: every activity is stored exactly once (by
SHA-256, and the same cross-source duplicates as one sequential ingest finds), every answer is
200/201 or a 4xx with a reason, never a 5xx, and no "database is locked" anywhere. On SQLite and
on a fresh PostgreSQL database."""

from __future__ import annotations

import multiprocessing
import random
import shutil
import threading
import time
from collections import Counter
from collections.abc import Iterator
from concurrent.futures import ProcessPoolExecutor
from pathlib import Path

import httpx2
import pytest

from ingest.errors import IngestError
from ingest.measure.summary import MetricsProfile
from ingest.pipeline import ParsedActivity, parse_activity
from ingest.store import Store
from tests.api_support import ADMIN, bearer
from tests.conftest import SAMPLE_DATA
from tests.hardening_support import check_store, fresh_postgres_database, served

pytestmark = [pytest.mark.slow, pytest.mark.corpus]
CLIENTS = 4
Groups = set[frozenset[str]]


def inputs(corpus: Path) -> list[Path]:
    files = [p for d in ("fit", "gpx", "broken") for p in sorted((corpus / d).iterdir())]
    files += sorted((SAMPLE_DATA / "athlete").glob("*.*"))
    assert len(files) > 60
    return files


def groups_of(rows: list[tuple[int, str, int | None]]) -> Groups:
    """Activities as sets of SHA-256: a primary and the duplicates pointing at it."""
    by_id = {i: sha for i, sha, _ in rows}
    clusters: dict[int, set[str]] = {}
    for i, sha, dup in rows:
        clusters.setdefault(dup or i, set()).add(sha)
    assert all(primary in by_id for primary in clusters)
    return {frozenset(c) for c in clusters.values()}


def parse_or_none(path: Path, profile: MetricsProfile) -> ParsedActivity | None:
    try:
        return parse_activity(path.read_bytes(), path.name, profile)
    except IngestError:
        return None


@pytest.fixture(scope="module")
def expected(corpus: Path, tmp_path_factory: pytest.TempPathFactory) -> Groups:
    """One sequential ingest of the same files (parsed in two processes): the activities to
    expect."""
    store = Store(None, tmp_path_factory.mktemp("baseline"))
    store.upgrade()
    athlete, _ = store.create_athlete("Sam")
    files = inputs(corpus)
    with ProcessPoolExecutor(2, mp_context=multiprocessing.get_context("spawn")) as pool:
        parsed = list(pool.map(parse_or_none, files, [athlete.metrics_profile()] * len(files)))
    for one in parsed:
        if one is not None:
            store.add_activity(athlete.id, one)
    rows = [(a.id, a.sha256, a.duplicate_of) for a in store.list_activities(athlete.id)]
    store.dispose()
    return groups_of(rows)


def upload_all(url: str, token: str, files: list[Path], seed: int, out: list[str]) -> None:
    """One client: its share of the files in its own order; every answer recorded."""
    order = files[:]
    random.Random(seed).shuffle(order)
    with httpx2.Client(base_url=url, timeout=120, headers=bearer(token)) as http:
        for n, path in enumerate(order):
            r = http.post("/v1/activities", files={"file": (path.name, path.read_bytes())})
            detail = "" if r.status_code < 400 else r.json().get("detail", "")
            out.append(f"{r.status_code} {path.name} {detail}")
            if n % 10 == 0:
                out.append(f"{http.post('/v1/sync/run').status_code} sync-run")


def run_race(tmp_path: Path, corpus: Path, database_url: str, expected: Groups) -> None:
    files = inputs(corpus)
    folder = tmp_path / "watch"
    for path in files[::3]:  # a third of the same files, some broken, under the same names
        target = folder / path.parent.name / path.name
        target.parent.mkdir(parents=True, exist_ok=True)
        shutil.copy(path, target)
    env = {
        "LEGDAY_ADMIN_TOKEN": ADMIN,
        "LEGDAY_SYNC_FOLDERS": f"Sam={folder}",
        "LEGDAY_SYNC_INTERVAL": "1s",
        "LEGDAY_SYNC_SETTLE": "0",
    }
    with served(tmp_path, database_url=database_url, extra_env=env) as server:
        made = httpx2.post(
            f"{server.url}/v1/athletes", json={"name": "Sam"}, headers=bearer(ADMIN), timeout=30
        )
        assert made.status_code == 201, made.text
        token = made.json()["token"]
        answers: list[list[str]] = [[] for _ in range(CLIENTS)]
        clients = [
            threading.Thread(
                target=upload_all,
                args=(server.url, token, [f for i, f in enumerate(files) if (i + k) % 2], k, out),
            )
            for k, out in enumerate(answers)
        ]
        for c in clients:
            c.start()
        for c in clients:
            c.join(timeout=240)
        assert not any(c.is_alive() for c in clients), "an upload hung"
        sync = wait_for_sync(server.url, token, len(files[::3]))
        listed = httpx2.get(
            f"{server.url}/v1/activities", headers=bearer(token), timeout=60
        ).json()["activities"]
        output = server.output()

    statuses = Counter(a.split(" ", 1)[0] for out in answers for a in out)
    refused = [a for out in answers for a in out if a.startswith("4")]
    assert set(statuses) <= {"200", "201", "202", "413", "415", "422"}, statuses
    assert all(len(a.split(" ", 2)) == 3 and a.split(" ", 2)[2] for a in refused), refused
    assert "database is locked" not in output and "Traceback" not in output, output[-3000:]
    rows = [(a["id"], a["sha256"], a["duplicate_of"]) for a in listed]
    assert len({sha for _, sha, _ in rows}) == len(rows), "the same file stored twice"
    assert groups_of(rows) == expected, "not the activities one sequential ingest finds"
    store = Store(database_url or None, tmp_path / "legday-data")
    state = check_store(store)
    store.dispose()
    assert state.missing_blobs == [] and state.half_rows == [] and state.temporary_files == []
    print(f"{len(rows)} rows, {len(expected)} activities; answers {dict(statuses)}; sync {sync}")


def wait_for_sync(url: str, token: str, files: int, timeout_s: float = 90) -> dict[str, int]:
    """Until the ledger holds an outcome for every file of the folder."""
    deadline = time.monotonic() + timeout_s
    while True:
        counts = httpx2.get(f"{url}/v1/sync", headers=bearer(token), timeout=30).json()["counts"]
        done = counts["ingested"] + counts["duplicate"] + counts["failed"]
        if done >= files and counts["pending"] == 0:
            return dict(counts)
        assert time.monotonic() < deadline, f"the sync did not finish: {counts}"
        time.sleep(0.5)


def test_four_clients_and_the_sync_job_on_sqlite_store_every_activity_once(
    tmp_path: Path, corpus: Path, expected: Groups
) -> None:
    run_race(tmp_path, corpus, "", expected)


@pytest.fixture
def postgres_database(postgres_url: str) -> Iterator[str]:
    with fresh_postgres_database(postgres_url) as url:
        yield url


@pytest.mark.postgres
def test_four_clients_and_the_sync_job_on_postgresql_store_every_activity_once(
    tmp_path: Path, corpus: Path, expected: Groups, postgres_database: str
) -> None:
    run_race(tmp_path, corpus, postgres_database, expected)
