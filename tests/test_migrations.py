"""Alembic: upgrade from empty, down and up again, and the models agree with the migrations."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from alembic import command
from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext
from sqlalchemy import inspect

from ingest.store import Store
from ingest.store.migrations import alembic_config
from ingest.store.schema import Base
from tests.store_fixtures import postgres_schema

TABLES = {"athletes", "activities", "strength_log", "checkins", "skipped_sessions"}


@pytest.fixture(params=["sqlite", "postgresql"])
def empty_store(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[Store]:
    if request.param == "sqlite":
        store = Store(None, tmp_path)
        yield store
        store.dispose()
        return
    with postgres_schema(request.getfixturevalue("postgres_url")) as url:
        store = Store(url, tmp_path)
        yield store
        store.dispose()


def tables(store: Store) -> set[str]:
    return set(inspect(store.engine).get_table_names()) - {"alembic_version"}


def model_diff(store: Store) -> list[object]:
    with store.engine.connect() as conn:
        context = MigrationContext.configure(conn, opts={"compare_type": True})
        return list(compare_metadata(context, Base.metadata))


def test_upgrade_from_empty_creates_every_table(empty_store: Store) -> None:
    assert tables(empty_store) == set()
    empty_store.upgrade()
    assert tables(empty_store) >= TABLES


def test_upgrading_twice_changes_nothing(empty_store: Store) -> None:
    empty_store.upgrade()
    empty_store.upgrade()
    assert tables(empty_store) >= TABLES


def test_downgrade_to_nothing_and_back_up_again(empty_store: Store) -> None:
    empty_store.upgrade()
    cfg = alembic_config()
    with empty_store.engine.begin() as conn:
        cfg.attributes["connection"] = conn
        command.downgrade(cfg, "base")
    assert tables(empty_store) == set()
    empty_store.upgrade()
    assert tables(empty_store) >= TABLES
    assert model_diff(empty_store) == []


def test_the_models_and_the_migrations_agree(empty_store: Store) -> None:
    empty_store.upgrade()
    assert model_diff(empty_store) == []


def test_the_migrations_ship_inside_the_package() -> None:
    script_location = Path(alembic_config().get_main_option("script_location") or "")
    assert (script_location / "env.py").is_file()
    assert list((script_location / "versions").glob("0001_*.py"))
