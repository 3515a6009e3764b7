"""The profile's `equipment` and `units` (GET/PATCH /v1/me), what the plan makes of them, and the
migration that stores them, on SQLite and PostgreSQL."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import UTC, date, datetime, timedelta
from pathlib import Path

import pytest
import sqlalchemy as sa
from alembic import command
from fastapi.testclient import TestClient

from ingest.store import Store
from ingest.store.migrations import alembic_config
from recommender.catalogue import exercise
from tests.api_support import client_on, gpx_run, new_athlete
from tests.store_fixtures import postgres_schema

BACKENDS = ["sqlite", pytest.param("postgresql", marks=pytest.mark.postgres)]
BEFORE = "0005"  # the revision migration 0008 follows
MONDAY = datetime(2026, 3, 2, 7, 0, tzinfo=UTC)


@pytest.fixture(params=BACKENDS)
def client(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[TestClient]:
    url = request.getfixturevalue("postgres_url") if request.param == "postgresql" else None
    with client_on(request.param, tmp_path, url) as c:
        yield c


@pytest.fixture
def ana(client: TestClient) -> dict[str, str]:
    return new_athlete(client, "Ana")[1]


def test_a_new_profile_has_the_default_equipment_and_metric_units(
    client: TestClient, ana: dict[str, str]
) -> None:
    me = client.get("/v1/me", headers=ana).json()
    assert me["equipment"] == ["barbell", "dumbbells", "box"] and me["units"] == "metric"


def test_equipment_and_units_are_stored_and_bodyweight_only_is_an_empty_list(
    client: TestClient, ana: dict[str, str]
) -> None:
    r = client.patch("/v1/me", json={"equipment": ["bands", "kettlebell"]}, headers=ana)
    assert r.status_code == 200 and r.json()["equipment"] == ["kettlebell", "bands"]
    r = client.patch("/v1/me", json={"equipment": [], "units": "imperial"}, headers=ana)
    assert r.status_code == 200
    me = client.get("/v1/me", headers=ana).json()
    assert me["equipment"] == [] and me["units"] == "imperial"


@pytest.mark.parametrize(
    ("body", "field"),
    [
        ({"equipment": ["sofa"]}, "equipment"),
        ({"equipment": "barbell"}, "equipment"),
        ({"equipment": None}, "equipment"),
        ({"units": "furlongs"}, "units"),
        ({"units": None}, "units"),
    ],
)
def test_a_bad_equipment_or_units_value_is_422_naming_the_field(
    client: TestClient, ana: dict[str, str], body: dict[str, object], field: str
) -> None:
    before = client.get("/v1/me", headers=ana).json()
    r = client.patch("/v1/me", json=body, headers=ana)
    assert r.status_code == 422 and field in r.json()["detail"], r.text
    assert "Traceback" not in r.text and "SELECT" not in r.text
    assert client.get("/v1/me", headers=ana).json() == before


def test_the_plan_follows_the_equipment_and_shows_minutes_per_session(
    client: TestClient, ana: dict[str, str]
) -> None:
    first = MONDAY - timedelta(weeks=4)
    for w in range(4):
        for day, km, climb in ((1, 8, 150), (3, 10, 300), (5, 20, 900)):
            start = first + timedelta(weeks=w, days=day)
            files = {"file": ("r.gpx", gpx_run(start, km=km, climb=climb))}
            assert client.post("/v1/activities", files=files, headers=ana).status_code == 201
    client.patch("/v1/me", json={"equipment": [], "lifting_experience": "trained"}, headers=ana)
    plan = client.get("/v1/recommendation", params={"week": "2026-03-02"}, headers=ana).json()
    sessions = plan["sessions"]
    assert sessions and all(isinstance(s["duration_min"], int) for s in sessions)
    heavy = [s for s in sessions if s["kind"] == "heavy_legs"]
    assert heavy and heavy[0]["duration_min"] <= 60
    for s in sessions:
        for e in s["exercises"]:
            assert set(exercise(e["id"]).equipment) <= {"bodyweight", "wall", "step", "bench"}


def test_imperial_loads_come_in_lb_rounded_to_5_and_in_kg(
    client: TestClient, ana: dict[str, str]
) -> None:
    client.patch("/v1/me", json={"units": "imperial", "lifting_experience": "trained"}, headers=ana)
    for d in (9, 16):
        entry = {
            "date": (date(2026, 3, 2) - timedelta(days=d)).isoformat(),
            "exercise": "back squat",
            "sets": [{"reps": 10, "load_kg": 61.0}] * 3,
        }
        assert client.post("/v1/strength-log", json=entry, headers=ana).status_code == 201
    plan = client.get("/v1/recommendation", params={"week": "2026-03-02"}, headers=ana).json()
    squat = next(
        e for s in plan["sessions"] if not s["done"] for e in s["exercises"]
        if e["id"] == "back_squat"
    )  # fmt: skip
    assert squat["load_lb"] % 5 == 0 and abs(squat["load_kg"] * 2.20462 - squat["load_lb"]) < 0.2


@pytest.mark.parametrize("backend", BACKENDS)
def test_the_equipment_migration_upgrades_a_database_with_an_athlete_in_it(
    backend: str, tmp_path: Path, request: pytest.FixtureRequest
) -> None:
    def run(url: str | None) -> None:
        store = Store(url, tmp_path)
        try:
            store.upgrade(BEFORE)
            with store.engine.begin() as conn:  # a row as that revision's table holds it
                athletes = sa.Table("athletes", sa.MetaData(), autoload_with=conn)
                athlete_id = conn.execute(
                    sa.insert(athletes).returning(athletes.c.id),
                    {"name": "Ana", "name_key": "ana", "timezone": "UTC", "week_start": "monday",
                     "strategy": "separate", "strength_days": ["monday"], "races": [],
                     "lifting_experience": "novice", "token_hash": "0" * 64,
                     "feed_nonce": "n", "created_at": datetime(2026, 3, 1)},
                ).scalar_one()  # fmt: skip
            store.upgrade("head")
            record = store.get_athlete(athlete_id)
            assert record is not None
            assert record.equipment == ("barbell", "dumbbells", "box") and record.units == "metric"
            updated = store.update_athlete(athlete_id, equipment=[], units="imperial")
            assert updated.equipment == () and updated.units == "imperial"
            cfg = alembic_config()
            with store.engine.begin() as conn:
                cfg.attributes["connection"] = conn
                command.downgrade(cfg, BEFORE)
                columns = {c["name"] for c in sa.inspect(conn).get_columns("athletes")}
                assert not {"equipment", "units"} & columns
        finally:
            store.dispose()

    if backend == "sqlite":
        run(None)
        return
    with postgres_schema(request.getfixturevalue("postgres_url")) as url:
        run(url)
