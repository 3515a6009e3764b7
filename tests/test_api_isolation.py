"""Two athletes on one server: every endpoint tried across athletes answers 404 or 401, never data.
Runs on SQLite and on PostgreSQL."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import UTC, datetime
from pathlib import Path

import pytest
from fastapi.testclient import TestClient

from tests.api_support import client_on, gpx_run, new_athlete

MONDAY = datetime(2026, 3, 2, 7, 0, tzinfo=UTC)


@pytest.fixture(params=["sqlite", pytest.param("postgresql", marks=pytest.mark.postgres)])
def client(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[TestClient]:
    url = request.getfixturevalue("postgres_url") if request.param == "postgresql" else None
    with client_on(request.param, tmp_path, url) as c:
        yield c


def test_one_athlete_never_sees_or_changes_anothers_data(client: TestClient) -> None:
    _, ana = new_athlete(client, "Ana")
    _, bo = new_athlete(client, "Bo")
    run = gpx_run(MONDAY)
    mine = client.post("/v1/activities", files={"file": ("a.gpx", run)}, headers=ana).json()
    client.post(
        "/v1/strength-log",
        headers=ana,
        json={"date": "2026-03-03", "exercise": "back_squat", "sets": [{"reps": 5, "load_kg": 80}]},
    )
    client.post("/v1/checkins", json={"date": "2026-03-03", "note": "ana's secret"}, headers=ana)

    assert client.get(f"/v1/activities/{mine['id']}", headers=bo).status_code == 404
    assert client.delete(f"/v1/activities/{mine['id']}", headers=bo).status_code == 404
    assert client.get("/v1/activities", headers=bo).json() == {"activities": []}
    assert client.get("/v1/strength-log", headers=bo).json() == {"entries": []}
    assert client.get("/v1/checkins", headers=bo).json() == {"checkins": []}
    assert all(w["runs"] == 0 for w in client.get("/v1/weeks", headers=bo).json()["weeks"])
    assert client.get("/v1/recommendation", headers=bo).json()["inputs"]["weekly_distance_km"] == 0
    assert client.get("/v1/me", headers=bo).json()["name"] == "Bo"
    # Bo uploading the same bytes gets his own activity, not a duplicate of Ana's.
    his = client.post("/v1/activities", files={"file": ("a.gpx", run)}, headers=bo)
    assert his.status_code == 201 and his.json()["id"] != mine["id"]
    # Ana's data is intact.
    assert client.get(f"/v1/activities/{mine['id']}", headers=ana).status_code == 200
    assert len(client.get("/v1/checkins", headers=ana).json()["checkins"]) == 1
    # Each calendar feed is the athlete's own, and different.
    urls = {client.get("/v1/me", headers=h).json()["calendar_url"] for h in (ana, bo)}
    assert len(urls) == 2


@pytest.mark.parametrize(
    ("method", "path"),
    [
        ("GET", "/v1/me"), ("PATCH", "/v1/me"), ("POST", "/v1/activities"),
        ("GET", "/v1/activities"), ("GET", "/v1/activities/1"), ("DELETE", "/v1/activities/1"),
        ("GET", "/v1/weeks"), ("GET", "/v1/recommendation"), ("POST", "/v1/strength-log"),
        ("GET", "/v1/strength-log"), ("POST", "/v1/checkins"), ("GET", "/v1/checkins"),
        ("GET", "/v1/sync"), ("POST", "/v1/sync/run"), ("POST", "/v1/athletes"),
    ],
)  # fmt: skip
def test_every_athlete_endpoint_refuses_a_missing_or_wrong_token(
    client: TestClient, method: str, path: str
) -> None:
    new_athlete(client, "Ana")
    for headers in ({}, {"Authorization": "Bearer wrong"}):
        r = client.request(method, path, headers=headers)
        assert r.status_code == 401, (method, path, r.text)
        assert set(r.json()) == {"detail"}
