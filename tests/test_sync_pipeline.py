"""The sync with an executor overlaps batches: batch k+1 is marked ``ingesting``, read and
submitted before batch k is stored, and a run that dies while both are in flight loses nothing
and stores nothing twice."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from concurrent.futures import Future, ThreadPoolExecutor
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import select

from ingest.store import Store
from ingest.store.sync_schema import SyncFile
from ingest.sync.job import run_sync
from tests.sync_fixtures import distinct_activities


class Recording(ThreadPoolExecutor):
    def __init__(self, events: list[str]) -> None:
        super().__init__(max_workers=2)
        self.events = events

    def submit(self, fn: Callable[..., Any], /, *args: Any, **kwargs: Any) -> Future[Any]:
        self.events.append(f"submit {args[1]}")
        return super().submit(fn, *args, **kwargs)


@pytest.fixture
def store(tmp_path: Path) -> Iterator[Store]:
    s = Store(None, tmp_path / "data")
    s.upgrade()
    yield s
    s.dispose()


def ledger(store: Store) -> dict[str, tuple[str, int | None]]:
    query = select(SyncFile.rel_path, SyncFile.status, SyncFile.activity_id)
    with store.engine.connect() as conn:
        return {p: (s, a) for p, s, a in conn.execute(query)}


def test_the_next_batch_is_submitted_and_marked_ingesting_before_this_one_is_stored(
    store: Store, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    distinct_activities(tmp_path / "watch", 6)
    athlete = store.create_athlete("ana")[0].id
    events: list[str] = []
    marked_at_first_store: list[int] = []
    add = store.add_activity

    def add_activity(*args: Any, **kwargs: Any) -> Any:
        if "store" not in events:
            rows = ledger(store).values()
            marked_at_first_store.append(sum(s == "ingesting" for s, _ in rows))
        events.append("store")
        return add(*args, **kwargs)

    monkeypatch.setattr(store, "add_activity", add_activity)
    with Recording(events) as executor:
        report = run_sync(store, tmp_path / "watch", athlete, settle_s=0, executor=executor,
                          batch_size=2)  # fmt: skip
    assert report.ingested == 6 and report.failed == 0
    assert [e.split()[0] for e in events[:5]] == ["submit"] * 4 + ["store"]
    assert marked_at_first_store == [4]  # both batches in flight were marked first
    assert {s for s, _ in ledger(store).values()} == {"ingested"}


def test_a_run_that_dies_with_two_batches_in_flight_is_completed_exactly_once_by_the_next(
    store: Store, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    distinct_activities(tmp_path / "watch", 7)
    athlete = store.create_athlete("ana")[0].id
    add = store.add_activity
    stored = [0]

    def dies_after_three(*args: Any, **kwargs: Any) -> Any:
        if stored[0] == 3:
            raise SystemExit("killed")
        stored[0] += 1
        return add(*args, **kwargs)

    monkeypatch.setattr(store, "add_activity", dies_after_three)
    with ThreadPoolExecutor(2) as executor, pytest.raises(SystemExit):
        run_sync(store, tmp_path / "watch", athlete, settle_s=0, executor=executor, batch_size=2)
    in_flight = [p for p, (s, _) in ledger(store).items() if s == "ingesting"]
    assert len(in_flight) == 4  # batch 2 (one file stored) and batch 3 (submitted, not stored)
    monkeypatch.setattr(store, "add_activity", add)
    with ThreadPoolExecutor(2) as executor:
        report = run_sync(store, tmp_path / "watch", athlete, settle_s=0, executor=executor,
                          batch_size=2)  # fmt: skip
    assert report.status == "ok" and report.failed == 0
    activities = store.list_activities(athlete)
    assert len(activities) == 7 and all(a.duplicate_of is None for a in activities)
    rows = ledger(store)
    assert {s for s, _ in rows.values()} == {"ingested"}
    assert sorted(a or 0 for _, a in rows.values()) == sorted(a.id for a in activities)
