"""Issue 14, finding 9 (plans): one athlete's flood of random ``as_of`` days cannot evict another
athlete's cached plans, and meets a rate limit (429 with Retry-After) once its budget of plan
computations is spent, while cached answers and other athletes are unaffected. The bare-MAC feed
URL is retired by migration 0009, which reissues the feeds and says so in ``GET /v1/me``.
SQLite and PostgreSQL."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import date, timedelta
from pathlib import Path

import pytest
import sqlalchemy as sa
from fastapi.testclient import TestClient

from api.auth import feed_mac
from tests.api_support import NOW, api_client, bearer, gpx_run, new_athlete, settings_for
from tests.store_fixtures import postgres_schema


@pytest.fixture(params=["sqlite", pytest.param("postgresql", marks=pytest.mark.postgres)])
def url(request: pytest.FixtureRequest) -> Iterator[str]:
    if request.param == "sqlite":
        yield ""
        return
    with postgres_schema(request.getfixturevalue("postgres_url")) as scoped:
        yield scoped


def plan(client: TestClient, auth: dict[str, str], as_of: date) -> int:
    return client.get(
        "/v1/recommendation", params={"as_of": as_of.isoformat()}, headers=auth
    ).status_code


def test_one_athletes_random_as_of_flood_cannot_evict_another_athletes_plan(
    tmp_path: Path, url: str
) -> None:
    settings = settings_for(
        tmp_path / "data", url, plan_cache_size=16, plan_cache_per_athlete=4,
        plan_rate_per_minute=10_000, plan_rate_burst=10_000,
    )  # fmt: skip
    with api_client(settings) as client:
        _, ana = new_athlete(client, "Ana")
        _, bo = new_athlete(client, "Bo")
        for auth in (ana, bo):
            run = gpx_run(NOW - timedelta(days=3))
            assert client.post(
                "/v1/activities", files={"file": ("r.gpx", run)}, headers=auth
            ).is_success
        assert client.get("/v1/recommendation", headers=bo).status_code == 200
        cache = client.app.state.responses  # type: ignore[attr-defined]
        for offset in range(40):  # Ana asks for 40 different days: more than the whole cache
            assert plan(client, ana, date(2025, 1, 1) + timedelta(days=offset * 7)) == 200
        computed = cache.computed
        assert client.get("/v1/recommendation", headers=bo).status_code == 200
        assert cache.computed == computed, "Bo's cached plan was evicted by Ana's flood"


def test_a_plan_flood_meets_the_rate_limit_and_cached_plans_still_answer(
    tmp_path: Path, url: str
) -> None:
    settings = settings_for(tmp_path / "data", url, plan_rate_per_minute=1, plan_rate_burst=5)
    with api_client(settings) as client:
        _, ana = new_athlete(client, "Ana")
        _, bo = new_athlete(client, "Bo")
        days = [date(2025, 6, 2) + timedelta(days=d) for d in range(8)]
        codes = [plan(client, ana, day) for day in days]
        assert codes[:5] == [200] * 5
        assert set(codes[5:]) == {429}
        refused = client.get("/v1/recommendation", params={"as_of": "2025-07-01"}, headers=ana)
        assert refused.status_code == 429
        assert 1 <= int(refused.headers["Retry-After"]) <= 60
        assert "too many plans" in refused.json()["detail"]
        assert plan(client, ana, days[0]) == 200  # already computed: not limited
        assert plan(client, bo, days[6]) == 200  # another athlete has their own budget


def test_migration_0009_reissues_every_feed_and_the_bare_mac_url_is_gone(
    tmp_path: Path, url: str
) -> None:
    from ingest.store import Store

    settings = settings_for(tmp_path / "data", url)
    store = Store(settings.database_url, settings.data_dir)
    store.upgrade("0005")
    with store.engine.begin() as conn:
        conn.execute(
            sa.text(
                "INSERT INTO athletes (name, name_key, timezone, week_start, strategy, "
                "strength_days, races, lifting_experience, token_hash, feed_nonce, created_at) "
                "VALUES ('Old', 'old', 'UTC', 'monday', 'separate', '[]', '[]', 'novice', "
                ":hash, 'old-nonce', :now)"
            ),
            {"hash": "a" * 64, "now": NOW.replace(tzinfo=None)},
        )
    store.dispose()
    with api_client(settings) as client:
        store = client.app.state.store  # type: ignore[attr-defined]
        secret = client.app.state.feed_secret  # type: ignore[attr-defined]
        old = store.athlete_by_name("Old")
        assert old.feed_nonce != "old-nonce"
        assert old.calendar_url_reissued_at is not None
        bare = feed_mac(secret, old.id, "old-nonce")
        assert client.get(f"/v1/calendar/{bare}.ics").status_code == 404
        assert client.get(f"/v1/calendar/{old.id}.{bare}.ics").status_code == 404
        token = client.post(f"/v1/athletes/{old.id}/token", headers=bearer("admin-token-for-tests"))
        me = client.get("/v1/me", headers=bearer(token.json()["token"])).json()
        assert me["calendar_url_reissued_at"] is not None
        assert client.get("/v1/calendar/" + me["calendar_url"].rsplit("/", 1)[1]).status_code == 200
        _, new = new_athlete(client, "New")
        assert client.get("/v1/me", headers=new).json()["calendar_url_reissued_at"] is None
