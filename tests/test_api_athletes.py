"""Health, the admin creating athletes, bearer tokens and the error shape."""

from __future__ import annotations

import logging
import stat
from collections.abc import Iterator
from pathlib import Path

import pytest
from fastapi.testclient import TestClient

from api.auth import hash_token
from ingest.store import Store
from tests.api_support import ADMIN, api_client, bearer, client_on, new_athlete, settings_for


@pytest.fixture(params=["sqlite", pytest.param("postgresql", marks=pytest.mark.postgres)])
def client(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[TestClient]:
    """The same API tests on SQLite and on a throw-away PostgreSQL schema."""
    url = request.getfixturevalue("postgres_url") if request.param == "postgresql" else None
    with client_on(request.param, tmp_path, url) as c:
        yield c


def test_health_answers_ok_without_a_token(client: TestClient) -> None:
    r = client.get("/healthz")
    assert r.status_code == 200
    assert r.json() == {"status": "ok"}


def test_the_admin_creates_an_athlete_and_gets_their_token_once(client: TestClient) -> None:
    r = client.post(
        "/v1/athletes",
        json={"name": "Ana", "timezone": "Europe/Zurich", "week_start": "sunday"},
        headers=bearer(ADMIN),
    )
    assert r.status_code == 201
    body = r.json()
    assert set(body) == {"id", "name", "token"}
    me = client.get("/v1/me", headers=bearer(body["token"])).json()
    assert me["timezone"] == "Europe/Zurich" and me["week_start"] == "sunday"


def test_creating_an_athlete_without_a_token_is_401(client: TestClient) -> None:
    r = client.post("/v1/athletes", json={"name": "Ana"})
    assert r.status_code == 401
    assert r.headers["www-authenticate"] == "Bearer"
    assert r.json() == {"detail": "missing bearer token"}


def test_creating_an_athlete_with_a_wrong_token_is_401(client: TestClient) -> None:
    r = client.post("/v1/athletes", json={"name": "Ana"}, headers=bearer("nope"))
    assert r.status_code == 401


def test_an_athletes_token_cannot_create_athletes(client: TestClient) -> None:
    _, ana = new_athlete(client, "Ana")
    r = client.post("/v1/athletes", json={"name": "Bo"}, headers=ana)
    assert r.status_code == 403
    assert isinstance(r.json()["detail"], str)


def test_a_second_athlete_with_the_same_name_is_409(client: TestClient) -> None:
    new_athlete(client, "Ana")
    r = client.post("/v1/athletes", json={"name": "Ana"}, headers=bearer(ADMIN))
    assert r.status_code == 409


@pytest.mark.parametrize(
    "body",
    [
        {},
        {"name": ""},
        {"name": "Ana", "timezone": "Mars/Olympus"},
        {"name": "A", "week_start": "x"},
    ],
)
def test_an_invalid_athlete_is_422_with_a_readable_detail(client: TestClient, body: dict) -> None:  # type: ignore[type-arg]
    r = client.post("/v1/athletes", json=body, headers=bearer(ADMIN))
    assert r.status_code == 422
    assert isinstance(r.json()["detail"], str) and r.json()["detail"]


def test_malformed_json_is_422_with_a_string_detail(client: TestClient) -> None:
    r = client.post(
        "/v1/athletes",
        content=b"{not json",
        headers={**bearer(ADMIN), "Content-Type": "application/json"},
    )
    assert r.status_code == 422
    assert isinstance(r.json()["detail"], str)


def test_a_revoked_token_is_refused(client: TestClient, tmp_path: Path) -> None:
    athlete_id, ana = new_athlete(client, "Ana")
    store: Store = client.app.state.store  # type: ignore[attr-defined]
    store.revoke_token(athlete_id)
    assert client.get("/v1/me", headers=ana).status_code == 401


def test_a_bearer_header_with_another_scheme_is_401(client: TestClient) -> None:
    new_athlete(client, "Ana")
    assert client.get("/v1/me", headers={"Authorization": "Basic YTpi"}).status_code == 401


def test_an_unknown_path_answers_404_json(client: TestClient) -> None:
    r = client.get("/v1/nothing-here")
    assert r.status_code == 404
    assert r.json() == {"detail": "Not Found"}


def test_without_a_configured_admin_token_one_is_generated_saved_0600_and_printed_once(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], caplog: pytest.LogCaptureFixture
) -> None:
    caplog.set_level(logging.DEBUG)
    data = tmp_path / "data"
    settings = settings_for(data).model_copy(update={"admin_token": None})
    with api_client(settings) as client:
        saved = (data / "admin_token").read_text().strip()
        assert (
            client.post("/v1/athletes", json={"name": "A"}, headers=bearer(saved)).status_code
            == 201
        )
    assert stat.S_IMODE((data / "admin_token").stat().st_mode) == 0o600
    first = capsys.readouterr().out
    assert first.count(saved) == 1
    with api_client(settings) as client:  # second start: same token, not printed again
        assert (
            client.post("/v1/athletes", json={"name": "B"}, headers=bearer(saved)).status_code
            == 201
        )
    assert saved not in capsys.readouterr().out
    assert saved not in caplog.text
    assert hash_token(saved) != saved


def test_the_configured_admin_token_is_never_written_to_the_data_dir(tmp_path: Path) -> None:
    data = tmp_path / "data"
    with api_client(settings_for(data)):
        pass
    assert not (data / "admin_token").exists()
    assert ADMIN.encode() not in b"".join(p.read_bytes() for p in data.rglob("*") if p.is_file())


def test_the_app_refuses_to_start_on_a_database_without_the_schema(tmp_path: Path) -> None:
    from api.app import SchemaNotCurrent, create_app

    with (
        pytest.raises(SchemaNotCurrent, match="legday db upgrade"),
        TestClient(create_app(settings_for(tmp_path / "fresh"))),
    ):
        pass


def test_a_wrong_method_answers_405_listing_every_method_of_the_path(client: TestClient) -> None:
    r = client.put("/v1/me")
    assert r.status_code == 405
    assert r.headers["allow"] == "GET, PATCH"
    assert r.json() == {"detail": "Method Not Allowed"}
