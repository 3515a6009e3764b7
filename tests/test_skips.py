"""Skipped sessions (/v1/skips) on SQLite and PostgreSQL, and the migration that adds them."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import date, datetime
from pathlib import Path

import pytest
import sqlalchemy as sa
from alembic import command
from fastapi.testclient import TestClient

from ingest.store import Store
from ingest.store.migrations import alembic_config
from tests.api_support import client_on, new_athlete
from tests.store_fixtures import postgres_schema

BEFORE_SKIPS = "0006"  # the revision the skips migration follows
BACKENDS = ["sqlite", pytest.param("postgresql", marks=pytest.mark.postgres)]


@pytest.fixture(params=BACKENDS)
def client(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[TestClient]:
    url = request.getfixturevalue("postgres_url") if request.param == "postgresql" else None
    with client_on(request.param, tmp_path, url) as c:
        yield c


def test_a_skipped_day_is_kept_once_listed_and_can_be_taken_back(client: TestClient) -> None:
    _, ana = new_athlete(client, "Ana")
    _, bo = new_athlete(client, "Bo")
    for _ in range(2):  # idempotent
        r = client.post("/v1/skips", json={"date": "2026-03-03"}, headers=ana)
        assert r.status_code == 201 and r.json() == {"date": "2026-03-03"}
    assert client.post("/v1/skips", json={"date": "2026-03-05"}, headers=ana).status_code == 201
    listed = client.get(
        "/v1/skips", params={"start": "2026-03-02", "end": "2026-03-04"}, headers=ana
    )
    assert listed.json() == {"skips": ["2026-03-03"]}
    assert client.get("/v1/skips", headers=bo).json() == {"skips": []}  # only one's own
    assert client.delete("/v1/skips/2026-03-03", headers=bo).status_code == 404
    assert client.delete("/v1/skips/2026-03-03", headers=ana).status_code == 204
    gone = client.delete("/v1/skips/2026-03-03", headers=ana)
    assert gone.status_code == 404 and gone.json() == {"detail": "that day is not marked skipped"}
    assert client.get("/v1/skips", headers=ana).json() == {"skips": ["2026-03-05"]}


def test_a_skip_needs_a_real_date_and_a_token(client: TestClient) -> None:
    _, ana = new_athlete(client, "Ana")
    for bad in ({"date": "2026-13-01"}, {"date": "yesterday"}, {"day": "2026-03-03"}, {}):
        assert client.post("/v1/skips", json=bad, headers=ana).status_code == 422, bad
    assert client.delete("/v1/skips/2026-13-01", headers=ana).status_code == 422
    assert client.post("/v1/skips", json={"date": "2026-03-03"}).status_code == 401


@pytest.mark.parametrize("backend", BACKENDS)
def test_the_skips_migration_upgrades_a_database_with_data_in_it(
    backend: str, tmp_path: Path, request: pytest.FixtureRequest
) -> None:
    def run(url: str | None) -> None:
        store = Store(url, tmp_path)
        try:
            store.upgrade(BEFORE_SKIPS)
            with store.engine.begin() as conn:  # rows as that revision's tables hold them
                athletes = sa.Table("athletes", sa.MetaData(), autoload_with=conn)
                checkins = sa.Table("checkins", sa.MetaData(), autoload_with=conn)
                athlete_id = conn.execute(
                    sa.insert(athletes).returning(athletes.c.id),
                    {"name": "Ana", "timezone": "UTC", "week_start": "monday",
                     "strategy": "separate", "strength_days": ["monday"], "races": [],
                     "lifting_experience": "novice", "token_hash": "0" * 64,
                     "feed_nonce": "n", "created_at": datetime(2026, 3, 1)},
                ).scalar_one()  # fmt: skip
                conn.execute(
                    sa.insert(checkins),
                    {"athlete_id": athlete_id, "date": date(2026, 3, 3), "sleep_hours": 7.0},
                )
            store.upgrade("head")
            assert store.skip_session(athlete_id, date(2026, 3, 3))
            assert store.list_skips(athlete_id) == [date(2026, 3, 3)]
            assert store.list_checkins(athlete_id)[0].sleep_hours == 7.0
            cfg = alembic_config()
            with store.engine.begin() as conn:
                cfg.attributes["connection"] = conn
                command.downgrade(cfg, BEFORE_SKIPS)
                assert "skipped_sessions" not in sa.inspect(conn).get_table_names()
                assert conn.execute(sa.text("select count(*) from athletes")).scalar_one() == 1
        finally:
            store.dispose()

    if backend == "sqlite":
        run(None)
        return
    with postgres_schema(request.getfixturevalue("postgres_url")) as url:
        run(url)
