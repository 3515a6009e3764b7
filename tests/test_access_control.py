"""Every endpoint, enumerated from the app's own routes (so a new one cannot escape), tried with
no token, malformed headers, a wrong, revoked or expired token, the calendar feed token, the admin
token where an athlete's is wanted, and another athlete's token: 401/403/404, never data. The feed
token reads only its own athlete's feed; rotating it kills the old URL. SQLite and PostgreSQL."""

from __future__ import annotations

import logging
import secrets
from collections.abc import Callable, Iterator
from contextlib import ExitStack
from dataclasses import dataclass
from datetime import datetime, timedelta
from pathlib import Path
from typing import Any

import httpx2
import pytest
from fastapi.routing import APIRoute
from fastapi.testclient import TestClient

from api.auth import hash_token
from api.deps import current_athlete, require_admin
from tests.api_support import ADMIN, NOW, api_client, bearer, gpx_run, settings_for
from tests.hardening_support import served
from tests.store_fixtures import postgres_schema

PUBLIC = {
    ("GET", "/healthz"),
    ("GET", "/"),
    ("GET", "/v1/calendar/{feed_token}.ics"),
    ("GET", "/v1/calendar/{feed_token}/workouts/{day}.fit"),  # the feed's secret is the key
    ("GET", "/openapi.json"),
    ("GET", "/docs"),
    ("GET", "/docs/oauth2-redirect"),
    ("GET", "/redoc"),
    ("GET", "/v1/rules"),  # the rule sheet: the product's documentation, nobody's data
}
TTL_DAYS = 30
BO_SECRET = "bo-secret-note-7f3a"
BO_SKIPPED = "2026-03-02"
# Minimal valid bodies, so a request with another athlete's token reaches the handler.
BODIES: dict[tuple[str, str], dict[str, Any]] = {
    ("POST", "/v1/athletes"): {"json": {"name": "Mallory"}},
    ("PATCH", "/v1/me"): {"json": {"hr_rest": 50}},
    ("POST", "/v1/strength-log"): {
        "json": {"date": "2026-03-03", "exercise": "split_squat", "sets": [{"reps": 8}]}
    },
    ("PATCH", "/v1/strength-log/{entry_id}"): {"json": {"confirmed": True}},
    ("POST", "/v1/checkins"): {"json": {"date": "2026-03-03", "soreness": 2}},
    ("POST", "/v1/skips"): {"json": {"date": "2026-03-03"}},
    ("POST", "/v1/activities"): {"files": {"file": ("m.gpx", gpx_run(NOW - timedelta(days=3)))}},
}


class Clock:
    """The app's clock seam: a time the test moves."""

    def __init__(self, now: datetime):
        self.now = now

    def __call__(self) -> datetime:
        return self.now


@dataclass
class World:
    client: TestClient
    clock: Clock
    ana: dict[str, str]
    bo: dict[str, str]
    bo_id: int
    bo_activity: int
    bo_sha: str
    bo_feed: str
    bo_entry: int
    revoked: dict[str, str]
    expired: dict[str, str]

    def call(self, method: str, path: str, headers: dict[str, str], **kw: Any) -> httpx2.Response:
        return self.client.request(method, path, headers=headers, **kw)


def create(client: TestClient, name: str) -> tuple[int, dict[str, str]]:
    r = client.post("/v1/athletes", json={"name": name}, headers=bearer(ADMIN))
    assert r.status_code == 201, r.text
    return r.json()["id"], bearer(r.json()["token"])


def build_world(client: TestClient, clock: Clock) -> World:
    clock.now = NOW - timedelta(days=TTL_DAYS + 1)  # Eve's token is issued long ago: expired now
    _, expired = create(client, "Eve")
    clock.now = NOW
    _, ana = create(client, "Ana")
    bo_id, bo = create(client, "Bo")
    cy_id, cy = create(client, "Cy")
    assert client.delete(f"/v1/athletes/{cy_id}/token", headers=bearer(ADMIN)).status_code == 204
    upload = client.post(
        "/v1/activities", files={"file": ("bo.gpx", gpx_run(NOW - timedelta(days=2)))}, headers=bo
    )
    assert upload.status_code == 201, upload.text
    client.post("/v1/checkins", json={"date": "2026-03-03", "note": BO_SECRET}, headers=bo)
    lift = {"date": "2026-03-02", "exercise": "Back squat", "sets": [{"reps": 5, "load_kg": 90}]}
    entry = client.post("/v1/strength-log", json=lift, headers=bo)
    assert entry.status_code == 201, entry.text
    assert client.post("/v1/skips", json={"date": BO_SKIPPED}, headers=bo).status_code == 201
    feed_url = client.get("/v1/me", headers=bo).json()["calendar_url"]
    return World(
        client, clock, ana, bo, bo_id, upload.json()["id"], upload.json()["sha256"],
        feed_url.rsplit("/", 1)[1].removesuffix(".ics"), entry.json()["id"], cy, expired,
    )  # fmt: skip


@pytest.fixture(params=["sqlite", pytest.param("postgresql", marks=pytest.mark.postgres)])
def world(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[World]:
    clock = Clock(NOW)
    with ExitStack() as stack:
        url = ""
        if request.param == "postgresql":
            url = stack.enter_context(postgres_schema(request.getfixturevalue("postgres_url")))
        settings = settings_for(tmp_path / "data", url, token_ttl_days=TTL_DAYS)
        client = stack.enter_context(api_client(settings))
        client.app.state.clock = clock  # type: ignore[attr-defined]
        yield build_world(client, clock)


def guard(route: APIRoute) -> str:
    """ "athlete", "admin" or "public": which token the route's dependency tree asks for."""
    calls: set[Callable[..., Any]] = set()
    stack = [route.dependant]
    while stack:
        dependant = stack.pop()
        if dependant.call is not None:
            calls.add(dependant.call)
        stack.extend(dependant.dependencies)
    if require_admin in calls:
        return "admin"
    if current_athlete in calls:
        return "athlete"
    return "public"


def walk(routes: list[Any], prefix: str = "") -> Iterator[tuple[str, Any]]:
    """Every route, through FastAPI's included-router wrappers (``original_router``)."""
    for route in routes:
        inner = getattr(route, "original_router", None)
        if inner is not None:
            context = getattr(route, "include_context", None)
            yield from walk(inner.routes, prefix + (getattr(context, "prefix", "") or ""))
        elif hasattr(route, "methods") and hasattr(route, "path"):
            yield prefix, route


def endpoints(client: TestClient) -> list[tuple[str, str, str]]:
    """(method, path template, guard) for every route the app serves, hidden ones included;
    checked against the OpenAPI document so the walk cannot silently miss a route."""
    app: Any = client.app
    found = set()
    for prefix, route in walk(app.router.routes):
        kind = guard(route) if isinstance(route, APIRoute) else "public"
        for method in route.methods - {"HEAD", "OPTIONS"}:
            found.add((method, prefix + route.path, kind))
    documented = {
        (method.upper(), path) for path, item in app.openapi()["paths"].items() for method in item
    }
    assert documented <= {(m, p) for m, p, _ in found}, "routes the walk did not find"
    return sorted(found)


def concrete(path: str, w: World) -> str:
    """The path with Bo's ids in it: another athlete's resources."""
    return path.format(
        activity_id=w.bo_activity,
        athlete_id=w.bo_id,
        feed_token=w.bo_feed,
        entry_id=w.bo_entry,
        day=BO_SKIPPED,
    )


def assert_no_bo_data(w: World, response: httpx2.Response, where: str) -> None:
    text = response.text
    for secret in (BO_SECRET, w.bo_sha, w.bo_feed, '"name":"Bo"'):
        assert secret not in text, f"{where} leaked Bo's data: {text[:300]}"


def test_every_route_is_public_only_by_name_and_otherwise_asks_for_a_token(world: World) -> None:
    found = endpoints(world.client)
    assert len(found) >= 25
    unguarded = {(m, p) for m, p, g in found if g == "public"}
    assert unguarded == PUBLIC, "a new endpoint with no token check: add auth, or list it here"


def bad_credentials(w: World) -> dict[str, dict[str, str]]:
    token = w.ana["Authorization"].split(" ", 1)[1]
    return {
        "no header": {},
        "empty header": {"Authorization": ""},
        "scheme only": {"Authorization": "Bearer"},
        "scheme and blank": {"Authorization": "Bearer    "},
        "basic scheme": {"Authorization": f"Basic {token}"},
        "token without scheme": {"Authorization": token},
        "token with junk appended": {"Authorization": f"Bearer {token} x"},
        "token truncated": {"Authorization": f"Bearer {token[:-1]}"},
        "token hash instead of token": {"Authorization": "Bearer " + "0" * 64},
        "huge token": {"Authorization": "Bearer " + "A" * 6000},
        "wrong token": bearer(secrets.token_urlsafe(32)),
        "revoked token": w.revoked,
        "expired token": w.expired,
        "calendar feed token": bearer(w.bo_feed),
    }


def test_every_guarded_endpoint_refuses_every_bad_credential_with_401(world: World) -> None:
    tried = 0
    for method, path, kind in endpoints(world.client):
        if kind == "public":
            continue
        url = concrete(path, world)
        for case, headers in bad_credentials(world).items():
            r = world.call(method, url, headers, **BODIES.get((method, path), {}))
            assert r.status_code == 401, (case, method, path, r.status_code, r.text)
            assert set(r.json()) == {"detail"} and r.headers["www-authenticate"] == "Bearer"
            assert_no_bo_data(world, r, f"{case} on {method} {path}")
            tried += 1
    assert tried >= 19 * 14  # 19 guarded routes today
    # Nothing those calls did changed Bo's data or his token.
    assert world.call("GET", f"/v1/activities/{world.bo_activity}", world.bo).status_code == 200


def test_an_expired_token_says_so_and_a_revoked_one_does_not_leak_which(world: World) -> None:
    expired = world.call("GET", "/v1/me", world.expired)
    assert expired.status_code == 401 and "expired" in expired.json()["detail"]
    revoked = world.call("GET", "/v1/me", world.revoked)
    wrong = world.call("GET", "/v1/me", bearer("not-a-token"))
    assert revoked.json() == wrong.json() == {"detail": "invalid or revoked token"}


def test_the_admin_token_is_not_an_athletes_token(world: World) -> None:
    for method, path, kind in endpoints(world.client):
        if kind == "athlete":
            r = world.call(method, concrete(path, world), bearer(ADMIN))
            assert r.status_code == 401, (method, path, r.text)


def test_another_athletes_token_finds_nothing_of_bos_and_cannot_administer(world: World) -> None:
    for method, path, kind in sorted(endpoints(world.client), key=lambda e: "rotate" in e[1]):
        if kind == "public":
            continue
        r = world.call(method, concrete(path, world), world.ana, **BODIES.get((method, path), {}))
        where = f"Ana on {method} {path}"
        if kind == "admin":
            assert r.status_code == 403, (where, r.text)
        elif "{" in path and "{day}" not in path:  # a day is not Bo's: hers is hers to read
            assert r.status_code == 404, (where, r.text)  # Bo's activity is not hers
        else:
            assert r.status_code < 500, (where, r.text)
        assert_no_bo_data(world, r, where)
        body = r.json() if r.headers.get("content-type") == "application/json" else None
        if isinstance(body, dict) and r.status_code == 200 and "token" in body:
            world.ana = bearer(body["token"])  # she rotated her own token: carry on with it
    mine = world.call("GET", f"/v1/activities/{world.bo_activity}", world.bo)
    assert mine.status_code == 200, "Bo's activity survived Ana's DELETE"
    (lift,) = world.call("GET", "/v1/strength-log", world.bo).json()["entries"]
    assert lift["id"] == world.bo_entry and not lift["confirmed"], "Ana changed Bo's log"
    notes = world.call("GET", "/v1/checkins", world.bo).json()["checkins"]
    assert [c["note"] for c in notes] == [BO_SECRET]
    assert world.call("GET", "/v1/skips", world.bo).json() == {"skips": [BO_SKIPPED]}


def test_a_feed_token_reads_only_its_own_athletes_feed(world: World) -> None:
    bo_feed = world.call("GET", f"/v1/calendar/{world.bo_feed}.ics", {})
    assert bo_feed.status_code == 200 and bo_feed.text.startswith("BEGIN:VCALENDAR")
    assert f"athlete-{world.bo_id}" in bo_feed.text and "Ana" not in bo_feed.text
    ana_url = world.call("GET", "/v1/me", world.ana).json()["calendar_url"]
    ana_feed = world.call("GET", ana_url, {})
    assert ana_feed.status_code == 200 and f"athlete-{world.bo_id}" not in ana_feed.text
    token = world.ana["Authorization"].split(" ", 1)[1]
    flipped = world.bo_feed[:-1] + ("1" if world.bo_feed[-1] == "0" else "0")
    for guess in (token, flipped, world.bo_feed.upper(), "x"):
        r = world.call("GET", f"/v1/calendar/{guess}.ics", {})
        assert r.status_code == 404 and r.json() == {"detail": "no such calendar"}, guess


def test_rotating_the_feed_invalidates_the_old_url(world: World) -> None:
    old = world.call("GET", "/v1/me", world.bo).json()["calendar_url"]
    rotated = world.call("POST", "/v1/me/calendar/rotate", world.bo)
    assert rotated.status_code == 200
    new = rotated.json()["calendar_url"]
    assert new != old and world.call("GET", "/v1/me", world.bo).json()["calendar_url"] == new
    assert world.call("GET", old, {}).status_code == 404
    assert world.call("GET", new, {}).status_code == 200


def test_the_admin_token_never_reaches_the_log_records(
    world: World, caplog: pytest.LogCaptureFixture
) -> None:
    caplog.set_level(logging.DEBUG)
    world.call("POST", "/v1/athletes", bearer(ADMIN), json={"name": "Zed"})
    world.call("POST", f"/v1/athletes/{world.bo_id}/token", bearer(ADMIN))
    world.call("DELETE", f"/v1/athletes/{world.bo_id}/token", bearer(ADMIN))
    world.call("POST", "/v1/athletes", bearer(ADMIN + "x"), json={"name": "Yan"})
    assert ADMIN not in caplog.text


@pytest.mark.slow
def test_a_served_legday_prints_a_generated_admin_token_once_and_never_logs_a_token(
    tmp_path: Path,
) -> None:
    with served(tmp_path) as server:
        admin = server.admin_token()
        with httpx2.Client(base_url=server.url, timeout=30) as http:
            made = http.post("/v1/athletes", json={"name": "Ana"}, headers=bearer(admin))
            assert made.status_code == 201, made.text
            ana_id, ana_token = made.json()["id"], made.json()["token"]
            assert http.get("/v1/me", headers=bearer(ana_token)).status_code == 200
            issued = http.post(f"/v1/athletes/{ana_id}/token", headers=bearer(admin))
            new_token = issued.json()["token"]
            assert http.delete(f"/v1/athletes/{ana_id}/token", headers=bearer(admin)).is_success
            assert http.post("/v1/athletes", json={"name": "B"}, headers=bearer(admin[:-1]))
            assert http.get("/v1/me", headers=bearer(new_token)).status_code == 401
        output = server.output()
    lines = [line for line in output.splitlines() if admin in line]
    assert len(lines) == 1 and lines[0].startswith("legday: admin token (saved to"), output
    assert ana_token not in output and new_token not in output
    assert "Traceback" not in output


def test_tokens_and_feed_tokens_are_stored_only_hashed(world: World, tmp_path: Path) -> None:
    rotated = world.call("POST", "/v1/me/token/rotate", world.ana).json()["token"]
    tokens = [
        rotated,
        world.bo["Authorization"].split(" ", 1)[1],
        world.revoked["Authorization"].split(" ", 1)[1],
        world.bo_feed,
        ADMIN,
    ]
    store = world.client.app.state.store  # type: ignore[attr-defined]
    if store.engine.dialect.name == "sqlite":
        stored = b"".join(p.read_bytes() for p in (tmp_path / "data").rglob("*") if p.is_file())
    else:
        from sqlalchemy import text

        with store.engine.connect() as conn:
            tables = conn.scalars(text("SELECT tablename FROM pg_tables WHERE schemaname = "
                                       "current_schema()")).all()  # fmt: skip
            stored = "".join(
                str(conn.scalars(text(f'SELECT row_to_json(t)::text FROM "{t}" t')).all())
                for t in tables
            ).encode()
    assert hash_token(rotated).encode() in stored  # the right place was searched
    for token in tokens:
        assert token.encode() not in stored, "a plaintext token in the database"


def test_a_token_rotated_by_the_athlete_replaces_the_old_one_at_once(world: World) -> None:
    old = world.ana
    r = world.call("POST", "/v1/me/token/rotate", old)
    assert r.status_code == 200
    body = r.json()
    assert set(body) == {"id", "name", "token", "expires_at"} and body["name"] == "Ana"
    assert datetime.fromisoformat(body["expires_at"]) == NOW + timedelta(days=TTL_DAYS)
    assert world.call("GET", "/v1/me", old).status_code == 401
    assert world.call("POST", "/v1/me/token/rotate", old).status_code == 401
    assert world.call("GET", "/v1/me", bearer(body["token"])).json()["name"] == "Ana"
