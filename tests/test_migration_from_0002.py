"""Upgrading a database that has data at revision 0002 (before daily totals) to head: the rows
survive and migration 0003 backfills the daily totals, on SQLite and PostgreSQL."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import replace
from datetime import UTC, datetime, timedelta
from pathlib import Path

import numpy as np
import pytest
import sqlalchemy as sa

from ingest.store import Store
from ingest.store.activity_records import summary_columns
from recommender.load import build_load_model
from tests.store_fixtures import day, make_parsed, postgres_schema
from tests.test_aggregates import AS_OF, assert_totals_match_a_recomputation

CREATED = datetime(2026, 3, 1, tzinfo=UTC).replace(tzinfo=None)


@pytest.fixture(params=["sqlite", pytest.param("postgresql", marks=pytest.mark.postgres)])
def store_at_0002(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[Store]:
    if request.param == "sqlite":
        store = Store(None, tmp_path / "data")
        store.upgrade("0002")
        yield store
        store.dispose()
        return
    with postgres_schema(request.getfixturevalue("postgres_url")) as url:
        store = Store(url, tmp_path / "data")
        store.upgrade("0002")
        yield store
        store.dispose()


def insert_history(store: Store) -> dict[str, int]:
    """Two athletes and their activities written with 0002's columns (a duplicate, a ride)."""
    with store.engine.begin() as conn:
        athletes = sa.Table("athletes", sa.MetaData(), autoload_with=conn)
        activities = sa.Table("activities", sa.MetaData(), autoload_with=conn)
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
        rng = np.random.default_rng(5)
        for name, athlete_id in ids.items():
            for n in range(40):
                parsed = make_parsed(
                    start=day(n) + timedelta(hours=1),
                    km=float(rng.uniform(5, 25)),
                    climb=float(rng.uniform(0, 1200)),
                    hr=None if n % 3 == 0 else 145.0,
                    content=f"{name}-{n}".encode(),
                )
                if n % 7 == 6:
                    parsed = replace(parsed, summary=replace(parsed.summary, sport="ride"))
                row = {
                    **summary_columns(parsed),
                    "athlete_id": athlete_id,
                    "file_name": f"{n}.fit",
                    "created_at": CREATED,
                    "duplicate_of": None,
                }
                primary = conn.execute(
                    sa.insert(activities).returning(activities.c.id), row
                ).scalar_one()
                if n % 10 == 0:  # the GPX export of the same run, pointing at it
                    dup = {**row, "sha256": f"{name}-{n}-gpx".ljust(64, "0")[:64]}
                    conn.execute(sa.insert(activities), {**dup, "duplicate_of": primary})
    return ids


def test_upgrading_from_0002_keeps_the_data_and_backfills_the_daily_totals(
    store_at_0002: Store,
) -> None:
    store = store_at_0002
    ids = insert_history(store)
    before = {aid: store.activities_frame(aid, include_duplicates=True) for aid in ids.values()}
    store.upgrade()
    for name, athlete_id in ids.items():
        athlete = store.get_athlete(athlete_id)
        assert athlete is not None and athlete.name == name
        assert athlete.data_version == 0
        after = store.activities_frame(athlete_id, include_duplicates=True)
        assert after.equals(before[athlete_id])
        assert len(after) == 44 and after["duplicate_of"].notna().sum() == 4
        assert not store.daily_frame(athlete_id, as_of=AS_OF).empty
        assert_totals_match_a_recomputation(store, athlete_id)


def test_after_the_upgrade_new_writes_keep_the_backfilled_totals_exact(
    store_at_0002: Store,
) -> None:
    store = store_at_0002
    ids = insert_history(store)
    store.upgrade()
    ana = ids["ana"]
    store.add_activity(ana, make_parsed(start=day(3) + timedelta(hours=9), km=30.0))
    first = store.list_activities(ana)[0]
    store.delete_activity(ana, first.id)
    assert_totals_match_a_recomputation(store, ana)
    assert store.get_athlete(ana).data_version == 2  # type: ignore[union-attr]
    model = build_load_model(store.activities_frame(ana), as_of=AS_OF)
    assert int(store.daily_frame(ana, as_of=AS_OF)["runs"].sum()) == len(model.runs)
