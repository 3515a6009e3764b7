"""Migration 0005 on a database with data at 0004: names that differed only in case become unique
deterministically, folders already synced stay bound to the athlete who synced them, and the
activities survive; on SQLite and PostgreSQL."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import UTC, datetime
from pathlib import Path

import pytest
import sqlalchemy as sa

from ingest.store import Store
from ingest.sync.binding import bind_folders
from tests.store_fixtures import postgres_schema

CREATED = datetime(2026, 3, 1, tzinfo=UTC).replace(tzinfo=None)
NAMES = {1: "Ana", 2: "ana", 3: "ANA", 4: "Bo", 5: "ana (2)", 6: " bo"}


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


def insert_0004_rows(store: Store, order: list[int]) -> None:
    """The athletes of NAMES (inserted in ``order``) and three synced folders: /srv/lower synced
    by athlete 2 ("ana"), /srv/shared by athletes 1 and 4, /srv/bo by athlete 4."""
    with store.engine.begin() as conn:
        athletes = sa.Table("athletes", sa.MetaData(), autoload_with=conn)
        folders = sa.Table("sync_folders", sa.MetaData(), autoload_with=conn)
        checkins = sa.Table("checkins", sa.MetaData(), autoload_with=conn)
        for athlete_id in order:
            conn.execute(
                sa.insert(athletes),
                {
                    "id": athlete_id, "name": NAMES[athlete_id], "timezone": "UTC",
                    "week_start": "monday", "strategy": "separate", "strength_days": ["monday"],
                    "races": [], "lifting_experience": "novice",
                    "token_hash": f"hash-{athlete_id}", "feed_nonce": "n", "created_at": CREATED,
                },
            )  # fmt: skip
        for athlete_id, path in ((2, "/srv/lower"), (1, "/srv/shared"), (4, "/srv/shared"),
                                 (4, "/srv/bo")):  # fmt: skip
            conn.execute(
                sa.insert(folders),
                {"athlete_id": athlete_id, "path": path, "settle_s": 0.0, "created_at": CREATED},
            )
        for athlete_id in order:  # rows that cascade from athletes: a table rebuild loses them
            conn.execute(
                sa.insert(checkins),
                {"athlete_id": athlete_id, "date": CREATED.date(), "note": NAMES[athlete_id]},
            )
        if conn.dialect.name == "postgresql":
            conn.execute(sa.text("SELECT setval('athletes_id_seq', 10)"))


@pytest.mark.parametrize("order", [[1, 2, 3, 4, 5, 6], [6, 5, 4, 3, 2, 1]])
def test_names_that_differ_only_in_case_become_unique_the_same_way_whatever_the_row_order(
    store_at_0004: Store, order: list[int]
) -> None:
    insert_0004_rows(store_at_0004, order)
    store_at_0004.upgrade()
    names = {a.id: a.name for a in store_at_0004.list_athletes()}
    assert names == {1: "Ana", 2: "ana (3)", 3: "ANA (4)", 4: "Bo", 5: "ana (2)", 6: " bo (2)"}
    assert [len(store_at_0004.list_checkins(i)) for i in sorted(NAMES)] == [1] * len(NAMES)
    assert store_at_0004.athlete_by_name("ANA").id == 1  # type: ignore[union-attr]
    with pytest.raises(ValueError, match="already exists"):
        store_at_0004.create_athlete("ana (3)")


def test_a_folder_one_athlete_synced_before_stays_theirs_and_a_shared_one_is_bound_afresh(
    store_at_0004: Store,
) -> None:
    insert_0004_rows(store_at_0004, [1, 2, 3, 4, 5, 6])
    store_at_0004.upgrade()
    found = bind_folders(
        store_at_0004, [("/srv/lower", "ana"), ("/srv/shared", "Bo"), ("/srv/bo", "bo")]
    )
    assert [b.athlete_id for b in found] == [2, 4, 4]
    assert "now named 'ana (3)'" in (found[0].note or "")
