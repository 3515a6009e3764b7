"""Issue 14, finding 3: deleting an activity while the same bytes (or the same run from another
file) are being uploaded — by the same athlete or another — never unlinks a raw file a row still
refers to, and never fails an upload with a foreign-key violation. Threads on SQLite and
PostgreSQL, then over HTTP against a real ``legday serve``."""

from __future__ import annotations

import threading
from collections.abc import Callable, Iterator
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from datetime import timedelta
from functools import partial
from pathlib import Path
from typing import Any

import httpx2
import pytest

from ingest.store import Store
from tests.api_support import bearer, gpx_run
from tests.hardening_support import fresh_postgres_database, served
from tests.store_fixtures import START, backend_store, make_parsed

BACKENDS = ["sqlite", pytest.param("postgresql", marks=pytest.mark.postgres)]
ROUNDS = 150


@pytest.fixture(params=BACKENDS)
def store(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[Store]:
    with backend_store(request, tmp_path) as s:
        yield s


@dataclass
class Tally:
    rounds: int = 0
    errors: list[str] = field(default_factory=list)

    def run_together(self, jobs: list[Callable[[], Any]]) -> None:
        barrier = threading.Barrier(len(jobs))

        def go(job: Callable[[], Any]) -> None:
            barrier.wait()
            try:
                job()
            except Exception as error:  # what the race test counts
                self.errors.append(f"{type(error).__name__}: {str(error).splitlines()[0]}")

        threads = [threading.Thread(target=go, args=(job,)) for job in jobs]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join()
        self.rounds += 1


def rows_without_raw_file(store: Store, *athletes: int) -> list[int]:
    return [
        a.id for athlete in athletes for a in store.list_activities(athlete)
        if not store.blobs.exists(a.sha256)
    ]  # fmt: skip


def test_a_delete_racing_uploads_of_the_same_bytes_loses_no_raw_file_and_fails_no_upload(
    store: Store,
) -> None:
    ana = store.create_athlete("ana")[0].id
    bo = store.create_athlete("bo")[0].id
    tally = Tally()
    for i in range(ROUNDS):
        start = START + timedelta(days=i)
        original = make_parsed(start=start, content=f"run {i}".encode())
        other_source = make_parsed(start=start, fmt="gpx", content=f"gpx of run {i}".encode())
        primary = store.add_activity(ana, original).activity_id
        tally.run_together(
            [
                partial(store.delete_activity, ana, primary),
                partial(store.add_activity, ana, original),  # the same bytes, same athlete
                partial(store.add_activity, bo, original),  # the same bytes, another athlete
                partial(store.add_activity, ana, other_source),  # a duplicate of the deleted
            ]
        )
    lost = rows_without_raw_file(store, ana, bo)
    summary = f"{len(lost)} rows lost their raw file, {len(tally.errors)} calls failed"
    assert (len(lost), tally.errors[:3]) == (0, []), f"{summary} in {tally.rounds} rounds"
    for athlete in (ana, bo):
        for activity in store.list_activities(athlete):
            assert store.raw_file(athlete, activity.id) is not None


@pytest.mark.slow
@pytest.mark.parametrize("backend", BACKENDS)
def test_deletes_and_uploads_over_http_at_once_answer_no_500_and_lose_no_raw_file(
    tmp_path: Path, backend: str, request: pytest.FixtureRequest
) -> None:
    if backend == "postgresql":
        with fresh_postgres_database(request.getfixturevalue("postgres_url")) as url:
            _over_http(tmp_path, url)
    else:
        _over_http(tmp_path, "")


def _over_http(tmp_path: Path, database_url: str) -> None:
    rounds = 100
    statuses: list[int] = []
    with served(tmp_path, database_url=database_url) as server, httpx2.Client(
        base_url=server.url, timeout=60
    ) as http:  # fmt: skip
        tokens = []
        for name in ("ana", "bo"):
            r = http.post("/v1/athletes", json={"name": name}, headers=bearer(server.admin_token()))
            tokens.append(bearer(r.json()["token"]))
        ana, bo = tokens
        with ThreadPoolExecutor(4) as pool:
            for i in range(rounds):
                data = gpx_run(START + timedelta(days=i), km=3.0)
                created = http.post("/v1/activities", files={"file": ("r.gpx", data)}, headers=ana)
                assert created.status_code == 201, created.text
                primary = created.json()["id"]
                upload = {"files": {"file": ("r.gpx", data)}}
                calls = [
                    partial(http.delete, f"/v1/activities/{primary}", headers=ana),
                    partial(http.post, "/v1/activities", headers=ana, **upload),
                    partial(http.post, "/v1/activities", headers=bo, **upload),
                ]
                statuses += [f.result().status_code for f in [pool.submit(c) for c in calls]]
        store = Store(database_url or None, server.data_dir)
        lost = [
            activity["id"]
            for token in (ana, bo)
            for activity in http.get("/v1/activities", headers=token).json()["activities"]
            if not store.blobs.exists(activity["sha256"])
        ]
        store.dispose()
    failed = [s for s in statuses if s >= 500]
    summary = f"{len(lost)} rows lost their raw file, {len(failed)} answers were 5xx"
    assert (lost, failed) == ([], []), f"{summary} in {rounds} rounds"
