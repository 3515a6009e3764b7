"""Issue 14, findings 14 and 9 (the feed): a revoked token takes the calendar feed with it, the
admin rotates a feed, a token rotated before expiry keeps its lifetime, and the feed is cached and
rate-limited. SQLite and PostgreSQL."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import pytest
from fastapi.testclient import TestClient

from api.app import create_app
from ingest.pipeline import parse_activity
from ingest.store import Store
from tests.api_support import ADMIN, NOW, bearer, gpx_run, new_athlete, settings_for
from tests.export_factories import treadmill_fit
from tests.store_fixtures import postgres_schema


class Clock:
    def __init__(self, now: datetime) -> None:
        self.now = now

    def __call__(self) -> datetime:
        return self.now


@pytest.fixture(params=["sqlite", pytest.param("postgresql", marks=pytest.mark.postgres)])
def backend(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[str]:
    if request.param == "sqlite":
        yield ""
        return
    with postgres_schema(request.getfixturevalue("postgres_url")) as scoped:
        yield scoped


def client_for(tmp_path: Path, url: str, clock: Clock, **overrides: object) -> TestClient:
    settings = settings_for(tmp_path / "data", url, **overrides)
    store = Store(settings.database_url, settings.data_dir)
    store.upgrade()
    store.dispose()
    return TestClient(create_app(settings, clock=clock))


def feed_path(client: TestClient, auth: dict[str, str]) -> str:
    url = client.get("/v1/me", headers=auth).json()["calendar_url"]
    return "/v1/calendar/" + url.rsplit("/", 1)[1]


def test_revoking_an_athletes_token_also_revokes_their_calendar_feed(
    tmp_path: Path, backend: str
) -> None:
    with client_for(tmp_path, backend, Clock(NOW)) as client:
        athlete_id, ana = new_athlete(client, "Ana")
        feed = feed_path(client, ana)
        assert client.get(feed).status_code == 200
        revoked = client.delete(f"/v1/athletes/{athlete_id}/token", headers=bearer(ADMIN))
        assert revoked.status_code == 204
        assert client.get(feed).status_code == 404
        # A new token from the admin: a new feed URL with it; the old one stays dead.
        issued = client.post(f"/v1/athletes/{athlete_id}/token", headers=bearer(ADMIN))
        again = bearer(issued.json()["token"])
        new_feed = feed_path(client, again)
        assert new_feed != feed
        assert client.get(new_feed).status_code == 200
        assert client.get(feed).status_code == 404


def test_the_admin_rotates_an_athletes_calendar_feed(tmp_path: Path, backend: str) -> None:
    with client_for(tmp_path, backend, Clock(NOW)) as client:
        athlete_id, ana = new_athlete(client, "Ana")
        _, bo = new_athlete(client, "Bo")
        feed = feed_path(client, ana)
        path = f"/v1/athletes/{athlete_id}/calendar/rotate"
        assert client.post(path, headers=bo).status_code == 403  # an athlete is not the admin
        assert (
            client.post("/v1/athletes/99999/calendar/rotate", headers=bearer(ADMIN)).status_code
            == 404
        )
        rotated = client.post(path, headers=bearer(ADMIN))
        assert rotated.status_code == 200, rotated.text
        new_url = rotated.json()["calendar_url"]
        assert client.get(feed).status_code == 404
        assert feed_path(client, ana) == "/v1/calendar/" + new_url.rsplit("/", 1)[1]
        assert client.get(feed_path(client, ana)).status_code == 200


def test_a_token_rotated_before_it_expires_keeps_the_original_expiry(
    tmp_path: Path, backend: str
) -> None:
    clock = Clock(NOW)
    with client_for(tmp_path, backend, clock, token_ttl_days=10) as client:
        _, auth = new_athlete(client, "Ana")
        first = client.get("/v1/me", headers=auth)
        assert first.status_code == 200
        expiry = None
        for day in (3, 6, 9):  # a rotation chain, each link before the last one expires
            clock.now = NOW + timedelta(days=day)
            rotated = client.post("/v1/me/token/rotate", headers=auth)
            assert rotated.status_code == 200, rotated.text
            auth = bearer(rotated.json()["token"])
            expiry = datetime.fromisoformat(rotated.json()["expires_at"])
            assert expiry == NOW + timedelta(days=10)
        clock.now = NOW + timedelta(days=10, seconds=1)
        late = client.get("/v1/me", headers=auth)
        assert late.status_code == 401, f"the chain outlived the TTL: expires {expiry}"
        assert "expired" in late.json()["detail"]


def test_the_calendar_feed_is_built_once_per_day_and_data_version(
    tmp_path: Path, backend: str
) -> None:
    clock = Clock(NOW)
    with client_for(tmp_path, backend, clock) as client:
        _, ana = new_athlete(client, "Ana")
        feed = feed_path(client, ana)
        cache = client.app.state.responses  # type: ignore[attr-defined]
        before = cache.computed
        bodies = [client.get(feed) for _ in range(5)]
        assert all(r.status_code == 200 for r in bodies)
        assert cache.computed == before + 1
        run = gpx_run(NOW - timedelta(days=2))
        assert client.post("/v1/activities", files={"file": ("r.gpx", run)}, headers=ana).is_success
        assert client.get(feed).status_code == 200
        assert cache.computed == before + 2  # a new data version: built again, once
        clock.now = NOW + timedelta(days=1)
        assert client.get(feed).status_code == 200
        assert cache.computed == before + 3  # a new day


def test_a_feed_flood_on_a_new_day_each_time_meets_the_rate_limit(tmp_path: Path) -> None:
    clock = Clock(NOW)
    with client_for(tmp_path, "", clock, plan_rate_burst=3, plan_rate_per_minute=1) as client:
        _, ana = new_athlete(client, "Ana")
        feed = feed_path(client, ana)
        answers = []
        for day in range(6):  # every request a new day: nothing cached, each builds two plans
            clock.now = NOW + timedelta(days=day)
            answers.append(client.get(feed))
        assert [r.status_code for r in answers[:3]] == [200, 200, 200]
        assert all(r.status_code == 429 for r in answers[3:])
        assert int(answers[3].headers["Retry-After"]) >= 1
        assert "try again" in answers[3].json()["detail"]


class SwapsOnFirstRead(Store):
    """A real store that applies a pending profile change (``follow_profile``, the recomputation
    the background worker runs) just after the first read of an athlete's activity frame: the
    moment a request that reads the frame twice would see both sides of the swap."""

    swap_for: int | None = None
    seen: list[set[int]]

    def activities_frame(self, athlete_id: int, **options: Any) -> Any:
        frame = super().activities_frame(athlete_id, **options)
        self.seen.append({d.weekday() for d in frame["local_date"]})
        if self.swap_for == athlete_id:
            self.swap_for = None
            self.follow_profile(athlete_id, parse=parse_activity)
        return frame


def test_a_feed_built_while_a_recomputation_lands_never_mixes_old_and_new_figures(
    tmp_path: Path, backend: str
) -> None:
    """Issue 14, finding 6: the feed plans two weeks; both come from one read of the activities."""
    settings = settings_for(tmp_path / "data", backend)
    store = SwapsOnFirstRead(settings.database_url, settings.data_dir)
    store.upgrade()
    store.seen = []
    late_sunday = datetime(2026, 3, 1, 21, 30, tzinfo=UTC)  # Monday morning in Auckland
    try:
        with TestClient(create_app(settings, clock=Clock(NOW), store=store)) as client:
            athlete_id, ana = new_athlete(client, "Ana")
            for week in range(3):
                run = treadmill_fit(
                    late_sunday - timedelta(weeks=week)
                )  # no GPS: the profile's zone
                up = client.post("/v1/activities", files={"file": ("t.fit", run)}, headers=ana)
                assert up.status_code == 201, up.text
            feed = feed_path(client, ana)
            store.update_athlete(athlete_id, timezone="Pacific/Auckland")  # pending, not applied
            store.seen.clear()
            store.swap_for = athlete_id
            assert client.get(feed).status_code == 200
            assert store.swap_for is None  # the swap happened during the request
            assert store.seen and all(s == store.seen[0] for s in store.seen), store.seen
            assert client.get("/v1/activities", headers=ana).status_code == 200
            assert {d.weekday() for d in store.activities_frame(athlete_id)["local_date"]} == {0}
    finally:
        store.dispose()
