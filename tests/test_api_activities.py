"""/v1/activities on a real store: upload, duplicates, caps and refusals, listing, delete."""

from __future__ import annotations

import threading
from collections.abc import Callable, Iterator
from concurrent.futures import Executor, Future, ThreadPoolExecutor
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import pytest
from fastapi.testclient import TestClient

from api.app import create_app
from ingest.store import Store
from tests.api_support import (
    NOW,
    api_client,
    client_on,
    gpx_run,
    gzipped,
    new_athlete,
    settings_for,
)

MONDAY = datetime(2026, 3, 2, 7, 0, tzinfo=UTC)
SUMMARY_FIELDS = {
    "id", "start", "local_date", "utc_offset_s", "sport", "duration_s", "moving_s", "distance_m",
    "ascent_m", "descent_m", "elevation_source", "ascent_recomputed_m", "descent_recomputed_m",
    "descent_by_grade_m", "descent_load_m", "km_effort", "trimp", "avg_hr", "max_hr", "device",
    "format", "sha256", "file_name", "duplicate_of",
}  # fmt: skip


@pytest.fixture(params=["sqlite", pytest.param("postgresql", marks=pytest.mark.postgres)])
def client(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[TestClient]:
    """The same API tests on SQLite and on a throw-away PostgreSQL schema."""
    url = request.getfixturevalue("postgres_url") if request.param == "postgresql" else None
    with client_on(request.param, tmp_path, url) as c:
        yield c


@pytest.fixture
def ana(client: TestClient) -> dict[str, str]:
    return new_athlete(client, "Ana", timezone="Europe/Zurich")[1]


def upload(client: TestClient, auth: dict[str, str], data: bytes, name: str = "run.gpx") -> Any:
    return client.post("/v1/activities", files={"file": (name, data)}, headers=auth)


def test_a_new_file_is_201_with_its_summary(client: TestClient, ana: dict[str, str]) -> None:
    r = upload(client, ana, gpx_run(MONDAY, km=8, climb=200), "Morning Run.gpx")
    assert r.status_code == 201, r.text
    a = r.json()
    assert set(a) >= SUMMARY_FIELDS
    assert a["format"] == "gpx" and a["file_name"] == "Morning Run.gpx"
    assert a["local_date"] == "2026-03-02"
    assert a["distance_m"] == pytest.approx(8000, rel=0.02)
    assert set(a["descent_by_grade_m"]) == {"0-5", "5-10", "10-20", "20+"}
    assert a["duplicate_of"] is None
    assert a["elevation_source"] in {"device", "recomputed"} and a["elevation_note"]


def test_the_same_file_again_is_200_and_names_the_first(
    client: TestClient, ana: dict[str, str]
) -> None:
    first = upload(client, ana, gpx_run(MONDAY)).json()
    again = upload(client, ana, gpx_run(MONDAY), "copy.gpx")
    assert again.status_code == 200
    assert again.json()["duplicate_of"] == first["id"]
    assert len(client.get("/v1/activities", headers=ana).json()["activities"]) == 1


def test_a_gzipped_file_is_sniffed_and_stored_like_the_plain_one(
    client: TestClient, ana: dict[str, str]
) -> None:
    r = upload(client, ana, gzipped(gpx_run(MONDAY)), "run.gpx.gz")
    assert r.status_code == 201
    assert r.json()["format"] == "gpx"
    assert upload(client, ana, gpx_run(MONDAY)).json()["duplicate_of"] == r.json()["id"]


def test_a_file_larger_than_the_upload_cap_is_413(tmp_path: Path) -> None:
    with api_client(settings_for(tmp_path / "d", max_upload_bytes=20_000)) as client:
        _, ana = new_athlete(client, "Ana")
        big = gpx_run(MONDAY, km=30)
        assert len(big) > 100_000
        r = upload(client, ana, big)
        assert r.status_code == 413
        assert isinstance(r.json()["detail"], str)


def test_a_small_gzip_that_inflates_past_the_cap_is_413(tmp_path: Path) -> None:
    with api_client(settings_for(tmp_path / "d", max_inflated_bytes=50_000)) as client:
        _, ana = new_athlete(client, "Ana")
        bomb = gzipped(gpx_run(MONDAY) + b" " * 2_000_000)
        assert len(bomb) < 50_000
        r = upload(client, ana, bomb, "bomb.gpx.gz")
        assert r.status_code == 413
        assert "bomb.gpx.gz" in r.json()["detail"]


def test_a_file_that_is_not_an_activity_is_415(client: TestClient, ana: dict[str, str]) -> None:
    r = upload(client, ana, b"%PDF-1.7 this is a pdf, not a run", "notes.pdf")
    assert r.status_code == 415
    assert "notes.pdf" in r.json()["detail"]


def test_an_unreadable_activity_file_is_422_with_the_reason(
    client: TestClient, ana: dict[str, str]
) -> None:
    broken = gpx_run(MONDAY)[:400]
    r = upload(client, ana, broken, "broken.gpx")
    assert r.status_code == 422
    detail = r.json()["detail"]
    assert isinstance(detail, str) and detail.startswith("broken.gpx: ")
    assert client.get("/v1/activities", headers=ana).json() == {"activities": []}


def test_a_gpx_with_a_dtd_is_refused(client: TestClient, ana: dict[str, str]) -> None:
    evil = gpx_run(MONDAY).replace(b"<gpx ", b'<!DOCTYPE gpx [<!ENTITY x "boom">]><gpx ', 1)
    r = upload(client, ana, evil, "evil.gpx")
    assert r.status_code in {415, 422}
    assert "evil.gpx" in r.json()["detail"]


def test_an_upload_without_the_file_field_is_422(client: TestClient, ana: dict[str, str]) -> None:
    r = client.post("/v1/activities", files={"other": ("x.gpx", b"x")}, headers=ana)
    assert r.status_code == 422
    assert "file" in r.json()["detail"]


def test_activities_are_listed_oldest_first_within_inclusive_local_dates(
    client: TestClient, ana: dict[str, str]
) -> None:
    for days in (3, 0, 1, 2):
        assert upload(client, ana, gpx_run(MONDAY + timedelta(days=days))).status_code == 201
    listed = client.get("/v1/activities", headers=ana).json()["activities"]
    assert [a["local_date"] for a in listed] == [
        "2026-03-02",
        "2026-03-03",
        "2026-03-04",
        "2026-03-05",
    ]
    window = client.get(
        "/v1/activities", params={"start": "2026-03-03", "end": "2026-03-04"}, headers=ana
    ).json()["activities"]
    assert [a["local_date"] for a in window] == ["2026-03-03", "2026-03-04"]


def test_a_malformed_date_filter_is_422(client: TestClient, ana: dict[str, str]) -> None:
    r = client.get("/v1/activities", params={"start": "yesterday"}, headers=ana)
    assert r.status_code == 422
    assert "start" in r.json()["detail"]


def test_one_activity_can_be_read_and_deleted(client: TestClient, ana: dict[str, str]) -> None:
    a = upload(client, ana, gpx_run(MONDAY)).json()
    got = client.get(f"/v1/activities/{a['id']}", headers=ana)
    assert got.status_code == 200 and got.json()["sha256"] == a["sha256"]
    deleted = client.delete(f"/v1/activities/{a['id']}", headers=ana)
    assert deleted.status_code == 204 and deleted.content == b""
    assert client.get(f"/v1/activities/{a['id']}", headers=ana).status_code == 404
    assert client.delete(f"/v1/activities/{a['id']}", headers=ana).status_code == 404


def test_an_activity_id_that_cannot_exist_is_422_or_404(
    client: TestClient, ana: dict[str, str]
) -> None:
    assert client.get("/v1/activities/999999", headers=ana).status_code == 404
    assert client.get("/v1/activities/0", headers=ana).status_code == 422
    assert client.get("/v1/activities/abc", headers=ana).status_code == 422


class RecordingExecutor(Executor):
    """Runs the parse on its own thread and remembers it did: the event loop never parses."""

    def __init__(self) -> None:
        self.threads: list[str] = []
        self._pool = ThreadPoolExecutor(1, thread_name_prefix="parse")

    def submit(self, fn: Callable[..., Any], /, *args: Any, **kwargs: Any) -> Future[Any]:
        def run() -> Any:
            self.threads.append(threading.current_thread().name)
            return fn(*args, **kwargs)

        return self._pool.submit(run)

    def shutdown(self, wait: bool = True, *, cancel_futures: bool = False) -> None:
        self._pool.shutdown(wait, cancel_futures=cancel_futures)


def test_parsing_runs_on_the_configured_executor_off_the_event_loop(tmp_path: Path) -> None:
    settings = settings_for(tmp_path / "data")
    store = Store(settings.database_url, settings.data_dir)
    store.upgrade()
    store.dispose()
    executor = RecordingExecutor()
    with TestClient(create_app(settings, clock=lambda: NOW, executor=executor)) as client:
        _, ana = new_athlete(client, "Ana")
        assert upload(client, ana, gpx_run(MONDAY)).status_code == 201
    executor.shutdown()
    assert len(executor.threads) == 1 and executor.threads[0].startswith("parse")


def test_an_unknown_query_parameter_is_422_not_silently_ignored(
    client: TestClient, ana: dict[str, str]
) -> None:
    r = client.get("/v1/activities", params={"strat": "2026-03-01"}, headers=ana)
    assert r.status_code == 422
    assert "strat" in r.json()["detail"]


def test_a_date_given_as_a_number_is_422(client: TestClient, ana: dict[str, str]) -> None:
    assert client.get("/v1/activities", params={"start": "0"}, headers=ana).status_code == 422
