"""Upgrading a database with data at 0004 to head (0006): strength-log names written in plain words
become catalogue ids (the others custom), duplicate check-ins collapse to the latest written, and
the unique constraint then holds; on SQLite and PostgreSQL."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import UTC, date, datetime
from pathlib import Path

import pytest
import sqlalchemy as sa
from sqlalchemy.exc import IntegrityError

from ingest.store import Store
from tests.store_fixtures import postgres_schema

CREATED = datetime(2026, 3, 1, tzinfo=UTC).replace(tzinfo=None)


@pytest.fixture(params=["sqlite", pytest.param("postgresql", marks=pytest.mark.postgres)])
def store_at_0004(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[Store]:
    if request.param == "sqlite":
        store = Store(None, tmp_path / "data")
        store.upgrade("0004")
        yield store
        store.dispose()
        return
    with postgres_schema(request.getfixturevalue("postgres_url")) as url:
        store = Store(url, tmp_path / "data")
        store.upgrade("0004")
        yield store
        store.dispose()


LOGGED = ["Back squat", "RDL", "bulgarian split squats", "back_squat", "Hip thrust", "step ups"]


def insert_logs(store: Store) -> dict[str, int]:
    with store.engine.begin() as conn:
        meta = sa.MetaData()
        athletes = sa.Table("athletes", meta, autoload_with=conn)
        strength = sa.Table("strength_log", meta, autoload_with=conn)
        checkins = sa.Table("checkins", meta, autoload_with=conn)
        ids = {}
        for name in ("ana", "bo"):
            ids[name] = conn.execute(
                sa.insert(athletes).returning(athletes.c.id),
                {
                    "name": name, "timezone": "UTC", "week_start": "monday",
                    "strategy": "separate", "strength_days": ["monday"], "races": [],
                    "lifting_experience": "novice", "token_hash": f"hash-{name}",
                    "feed_nonce": "nonce", "created_at": CREATED,
                },
            ).scalar_one()  # fmt: skip
        for n, exercise in enumerate(LOGGED):
            conn.execute(
                sa.insert(strength),
                {
                    "athlete_id": ids["ana"], "date": date(2026, 3, 2 + n), "exercise": exercise,
                    "sets": [{"reps": 5, "load_kg": 60.0, "rpe": None}], "created_at": CREATED,
                },
            )  # fmt: skip
        for athlete, day, sleep in (
            ("ana", 3, 5.0), ("ana", 3, 6.0), ("ana", 3, 7.5), ("ana", 4, 8.0),
            ("bo", 3, 4.0), ("bo", 3, 9.0),
        ):  # fmt: skip
            conn.execute(
                sa.insert(checkins),
                {"athlete_id": ids[athlete], "date": date(2026, 3, day), "sleep_hours": sleep},
            )
    return ids


def test_logged_names_become_catalogue_ids_and_unknown_ones_custom(store_at_0004: Store) -> None:
    ids = insert_logs(store_at_0004)
    store_at_0004.upgrade()
    logged = store_at_0004.list_strength(ids["ana"])
    assert [(e.exercise, e.custom) for e in logged] == [
        ("back_squat", False), ("romanian_deadlift", False), ("bulgarian_split_squat", False),
        ("back_squat", False), ("Hip thrust", True), ("step_up", False),
    ]  # fmt: skip
    assert all(not e.confirmed and e.activity_id is None for e in logged)
    assert [e.sets for e in logged] == [({"reps": 5, "load_kg": 60.0, "rpe": None},)] * 6


def test_duplicate_checkins_collapse_to_the_latest_written_and_stay_unique(
    store_at_0004: Store,
) -> None:
    ids = insert_logs(store_at_0004)
    store_at_0004.upgrade()
    ana = [(c.date.day, c.sleep_hours) for c in store_at_0004.list_checkins(ids["ana"])]
    assert ana == [(3, 7.5), (4, 8.0)]
    assert [c.sleep_hours for c in store_at_0004.list_checkins(ids["bo"])] == [9.0]
    with pytest.raises(IntegrityError), store_at_0004.engine.begin() as conn:
        conn.execute(
            sa.text("insert into checkins (athlete_id, date) values (:a, :d)"),
            {"a": ids["ana"], "d": date(2026, 3, 3)},
        )
    again = store_at_0004.add_checkin(ids["ana"], date(2026, 3, 3), sleep_hours=6.0)
    first, _ = store_at_0004.list_checkins(ids["ana"])
    assert first.id == again.id and first.sleep_hours == 6.0
