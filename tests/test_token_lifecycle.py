"""An athlete's token from issue to death: it expires exactly at its expiry (LEGDAY_TOKEN_TTL_DAYS;
unset: never), the athlete rotates it (the old one stops at once, the expiry stays), the admin
revokes it and issues a new one; none of it works across athletes. On SQLite and PostgreSQL."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import ExitStack
from datetime import datetime, timedelta
from pathlib import Path

import pytest
from fastapi.testclient import TestClient

from tests.api_support import ADMIN, NOW, api_client, bearer, settings_for
from tests.store_fixtures import postgres_schema


class Clock:
    def __init__(self) -> None:
        self.now = NOW

    def __call__(self) -> datetime:
        return self.now


@pytest.fixture(params=["sqlite", pytest.param("postgresql", marks=pytest.mark.postgres)])
def backend(request: pytest.FixtureRequest) -> Iterator[str]:
    with ExitStack() as stack:
        url = ""
        if request.param == "postgresql":
            url = stack.enter_context(postgres_schema(request.getfixturevalue("postgres_url")))
        yield url


def client_for(stack: ExitStack, tmp_path: Path, url: str, ttl: float | None) -> TestClient:
    client = stack.enter_context(
        api_client(settings_for(tmp_path / f"data-{ttl}", url, token_ttl_days=ttl))
    )
    return client


def create(client: TestClient, name: str) -> tuple[int, dict[str, str]]:
    r = client.post("/v1/athletes", json={"name": name}, headers=bearer(ADMIN))
    assert r.status_code == 201, r.text
    return r.json()["id"], bearer(r.json()["token"])


def test_a_token_works_until_its_expiry_and_not_a_second_longer(
    tmp_path: Path, backend: str
) -> None:
    clock = Clock()
    with ExitStack() as stack:
        client = client_for(stack, tmp_path, backend, ttl=30)
        client.app.state.clock = clock  # type: ignore[attr-defined]
        _, ana = create(client, "Ana")
        clock.now = NOW + timedelta(days=30) - timedelta(seconds=1)
        assert client.get("/v1/me", headers=ana).status_code == 200
        clock.now = NOW + timedelta(days=30)
        r = client.get("/v1/me", headers=ana)
        assert r.status_code == 401 and "expired" in r.json()["detail"]
        assert client.post("/v1/me/token/rotate", headers=ana).status_code == 401


def test_without_a_ttl_tokens_never_expire(tmp_path: Path, backend: str) -> None:
    clock = Clock()
    with ExitStack() as stack:
        client = client_for(stack, tmp_path, backend, ttl=None)
        client.app.state.clock = clock  # type: ignore[attr-defined]
        _, ana = create(client, "Ana")
        clock.now = NOW + timedelta(days=3650)
        assert client.get("/v1/me", headers=ana).status_code == 200
        assert client.post("/v1/me/token/rotate", headers=ana).json()["expires_at"] is None


def test_the_admin_revokes_a_token_and_issues_a_new_one(tmp_path: Path, backend: str) -> None:
    with ExitStack() as stack:
        client = client_for(stack, tmp_path, backend, ttl=None)
        ana_id, ana = create(client, "Ana")
        bo_id, bo = create(client, "Bo")
        assert client.delete(f"/v1/athletes/{ana_id}/token", headers=ana).status_code == 403
        assert (
            client.delete(f"/v1/athletes/{ana_id}/token", headers=bearer(ADMIN)).status_code == 204
        )
        assert client.get("/v1/me", headers=ana).status_code == 401
        assert client.get("/v1/me", headers=bo).json()["name"] == "Bo", "Bo's token was touched"
        assert client.post("/v1/me/token/rotate", headers=ana).status_code == 401
        issued = client.post(f"/v1/athletes/{ana_id}/token", headers=bearer(ADMIN))
        assert issued.status_code == 201 and issued.json()["id"] == ana_id
        fresh = bearer(issued.json()["token"])
        assert client.get("/v1/me", headers=fresh).json()["name"] == "Ana"
        assert client.get("/v1/me", headers=ana).status_code == 401, "the revoked token is back"
        # Reissuing replaces a live token too (a lost phone), and only the athlete's own.
        again = client.post(f"/v1/athletes/{ana_id}/token", headers=bearer(ADMIN)).json()
        assert client.get("/v1/me", headers=fresh).status_code == 401
        assert client.get("/v1/me", headers=bearer(again["token"])).status_code == 200
        for method in ("POST", "DELETE"):
            missing = client.request(method, "/v1/athletes/999999/token", headers=bearer(ADMIN))
            assert missing.status_code == 404
            assert (
                client.request(method, f"/v1/athletes/{bo_id}/token", headers=bo).status_code == 403
            )


def test_a_revoked_token_cannot_rotate_the_feed(tmp_path: Path, backend: str) -> None:
    # Issue 14, finding 14 changed the model: a revoked token takes its feed with it
    # (tests/test_feed_and_tokens.py), and rotating before expiry keeps the original expiry.
    with ExitStack() as stack:
        client = client_for(stack, tmp_path, backend, ttl=None)
        ana_id, ana = create(client, "Ana")
        client.delete(f"/v1/athletes/{ana_id}/token", headers=bearer(ADMIN))
        assert client.post("/v1/me/calendar/rotate", headers=ana).status_code == 401
