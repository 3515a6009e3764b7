"""The store on a real SQLite file and a real PostgreSQL server (a schema of its own per test)."""

from __future__ import annotations

import gzip
import hashlib
from collections.abc import Iterator
from datetime import date, timedelta
from pathlib import Path

import pytest
from sqlalchemy.exc import IntegrityError

from ingest.errors import IngestError
from ingest.measure.summary import MetricsProfile
from ingest.pipeline import ParsedActivity
from ingest.store import FRAME_COLUMNS, Store, hash_token
from ingest.store.blobs import BlobStore
from recommender.types import ACTIVITY_COLUMNS
from tests.store_fixtures import START, day, make_parsed, postgres_schema


@pytest.fixture(params=["sqlite", "postgresql"])
def store(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[Store]:
    if request.param == "sqlite":
        s = Store(None, tmp_path)
        s.upgrade()
        yield s
        s.dispose()
        return
    url = request.getfixturevalue("postgres_url")
    with postgres_schema(url) as scoped:
        s = Store(scoped, tmp_path)
        s.upgrade()
        yield s
        s.dispose()


def blob_files(store: Store) -> list[Path]:
    root = store.blobs.root
    return [p for p in root.rglob("*") if p.is_file()] if root.exists() else []


def test_a_new_athlete_gets_a_token_that_only_its_hash_finds(store: Store) -> None:
    athlete, token = store.create_athlete("ana", timezone="Europe/Zurich")
    assert len(token) >= 43
    found = store.athlete_by_token_hash(hash_token(token))
    assert found is not None and found.id == athlete.id and found.timezone == "Europe/Zurich"
    assert store.athlete_by_token_hash(token) is None
    assert athlete.strength_days[0] == "monday" and athlete.week_start == "monday"


def test_a_revoked_token_finds_nobody_and_a_rotated_one_does(store: Store) -> None:
    athlete, token = store.create_athlete("ana")
    store.revoke_token(athlete.id)
    assert store.athlete_by_token_hash(hash_token(token)) is None
    fresh = store.rotate_token(athlete.id)
    assert store.athlete_by_token_hash(hash_token(fresh)) is not None


def test_updating_a_profile_changes_only_the_named_fields(store: Store) -> None:
    athlete, _ = store.create_athlete("ana", hr_max=190)
    races = [{"date": "2026-06-01", "name": "UTMB", "distance_km": 170, "ascent_m": 10000}]
    updated = store.update_athlete(athlete.id, hard_days=["tuesday"], races=races)
    assert updated.hard_days == ("tuesday",) and updated.hr_max == 190
    assert store.get_athlete(athlete.id) == updated
    assert updated.profile_dict()["races"] == races
    with pytest.raises(ValueError):
        store.update_athlete(athlete.id, token_hash="x")


def test_the_same_bytes_twice_are_one_activity(store: Store) -> None:
    athlete, _ = store.create_athlete("ana")
    first = store.add_activity(athlete.id, make_parsed())
    again = store.add_activity(athlete.id, make_parsed(file_name="renamed.fit"))
    assert first.status == "ingested" and first.duplicate_of is None
    assert again.status == "duplicate" and again.activity_id == first.activity_id
    assert len(store.list_activities(athlete.id)) == 1
    assert len(blob_files(store)) == 1


def test_the_raw_file_is_kept_under_its_hash_not_its_name(store: Store) -> None:
    athlete, _ = store.create_athlete("ana")
    parsed = make_parsed(file_name="../../etc/passwd")
    outcome = store.add_activity(athlete.id, parsed)
    path = store.blobs.path_for(parsed.sha256)
    assert gzip.decompress(path.read_bytes()) == parsed.content  # kept compressed
    assert (
        path.relative_to(store.blobs.root).as_posix() == f"{parsed.sha256[:2]}/{parsed.sha256[2:]}"
    )
    assert store.raw_file(athlete.id, outcome.activity_id) == parsed.content


def test_a_gpx_export_of_a_fit_run_is_stored_but_not_counted(store: Store) -> None:
    athlete, _ = store.create_athlete("ana")
    fit = store.add_activity(athlete.id, make_parsed(fmt="fit"))
    gpx = store.add_activity(
        athlete.id,
        make_parsed(fmt="gpx", start=START + timedelta(seconds=70), km=10.4, minutes=58, hr=None),
    )
    assert gpx.status == "duplicate" and gpx.duplicate_of == fit.activity_id
    frame = store.activities_frame(athlete.id)
    assert list(frame["id"]) == [fit.activity_id]
    assert len(store.list_activities(athlete.id)) == 2


def test_a_richer_newcomer_becomes_primary_and_the_old_one_points_at_it(store: Store) -> None:
    athlete, _ = store.create_athlete("ana")
    gpx = store.add_activity(athlete.id, make_parsed(fmt="gpx", hr=None, samples=900))
    fit = store.add_activity(athlete.id, make_parsed(start=START + timedelta(seconds=-40)))
    assert fit.status == "ingested" and fit.duplicate_of is None
    old = store.get_activity(athlete.id, gpx.activity_id)
    assert old is not None and old.duplicate_of == fit.activity_id
    assert list(store.activities_frame(athlete.id)["id"]) == [fit.activity_id]


def test_two_runs_on_one_day_are_not_duplicates(store: Store) -> None:
    athlete, _ = store.create_athlete("ana")
    store.add_activity(athlete.id, make_parsed())
    evening = store.add_activity(athlete.id, make_parsed(start=START + timedelta(hours=10)))
    shorter = store.add_activity(athlete.id, make_parsed(start=START + timedelta(minutes=2), km=5))
    assert evening.status == "ingested" and shorter.status == "ingested"
    assert len(store.activities_frame(athlete.id)) == 3


def test_deleting_a_primary_promotes_its_duplicate(store: Store) -> None:
    athlete, _ = store.create_athlete("ana")
    fit = store.add_activity(athlete.id, make_parsed())
    gpx = store.add_activity(athlete.id, make_parsed(fmt="gpx", hr=None))
    assert store.delete_activity(athlete.id, fit.activity_id)
    left = store.get_activity(athlete.id, gpx.activity_id)
    assert left is not None and left.duplicate_of is None
    assert len(blob_files(store)) == 1


class ExplodingBlobs(BlobStore):
    def put(self, content: bytes, sha256: str | None = None) -> tuple[str, bool]:
        raise OSError("disk full")


def test_a_failed_raw_file_write_leaves_no_row(store: Store, tmp_path: Path) -> None:
    athlete, _ = store.create_athlete("ana")
    broken = Store(store.url, tmp_path / "other", blobs=ExplodingBlobs(tmp_path / "b"))
    with pytest.raises(OSError, match="disk full"):
        broken.add_activity(athlete.id, make_parsed())
    broken.dispose()
    assert store.list_activities(athlete.id) == []


def test_a_failed_row_insert_leaves_no_orphan_raw_file(store: Store) -> None:
    with pytest.raises(IntegrityError):
        store.add_activity(424242, make_parsed())  # no such athlete: the foreign key refuses
    assert blob_files(store) == []


def test_a_raw_file_another_activity_uses_survives_a_failed_insert(store: Store) -> None:
    athlete, _ = store.create_athlete("ana")
    store.add_activity(athlete.id, make_parsed())
    with pytest.raises(IntegrityError):
        store.add_activity(424242, make_parsed())
    assert len(blob_files(store)) == 1


def test_an_athlete_sees_only_their_own_activities(store: Store) -> None:
    ana, _ = store.create_athlete("ana")
    bob, _ = store.create_athlete("bob")
    mine = store.add_activity(ana.id, make_parsed())
    theirs = store.add_activity(bob.id, make_parsed())  # same bytes, other athlete: their own
    assert theirs.status == "ingested" and theirs.activity_id != mine.activity_id
    assert store.get_activity(bob.id, mine.activity_id) is None
    assert not store.delete_activity(bob.id, mine.activity_id)
    assert store.get_activity(ana.id, mine.activity_id) is not None
    assert [a.id for a in store.list_activities(bob.id)] == [theirs.activity_id]


def test_activities_are_listed_oldest_first_within_inclusive_local_dates(store: Store) -> None:
    athlete, _ = store.create_athlete("ana")
    for n in (3, 0, 1, 2):
        store.add_activity(athlete.id, make_parsed(start=day(n)))
    listed = store.list_activities(athlete.id, day(1).date(), day(2).date())
    assert [a.local_date for a in listed] == [day(1).date(), day(2).date()]
    assert all(a.start.tzinfo is not None for a in listed)
    assert listed[0].to_dict()["start"].endswith("+00:00")


def test_the_activity_frame_has_the_recommenders_columns(store: Store) -> None:
    athlete, _ = store.create_athlete("ana")
    empty = store.activities_frame(athlete.id)
    assert set(ACTIVITY_COLUMNS) <= set(empty.columns) == set(FRAME_COLUMNS)
    store.add_activity(athlete.id, make_parsed(hr=None))
    frame = store.activities_frame(athlete.id)
    assert str(frame["start"].dt.tz) == "UTC"
    assert frame["local_date"].iloc[0] == START.date()
    assert frame["trimp"].isna().all() and frame["distance_m"].iloc[0] == 10_000.0


def test_strength_log_and_checkins_round_trip(store: Store) -> None:
    athlete, _ = store.create_athlete("ana")
    sets = [{"reps": 5, "load_kg": 80.0, "rpe": 8}, {"reps": 5, "load_kg": 80.0}]
    store.add_strength(athlete.id, date(2026, 3, 3), "back_squat", sets)
    store.add_strength(athlete.id, date(2026, 3, 1), "step_up", [{"reps": 10}])
    entries = store.list_strength(athlete.id, start=date(2026, 3, 2))
    assert [(e.exercise, list(e.sets)) for e in entries] == [("back_squat", sets)]
    store.add_checkin(athlete.id, date(2026, 3, 3), sleep_hours=7.5, soreness=3, note="ok")
    (checkin,) = store.list_checkins(athlete.id)
    assert (checkin.sleep_hours, checkin.soreness, checkin.note) == (7.5, 3, "ok")


def test_reprocess_recomputes_every_summary_from_the_raw_files(store: Store) -> None:
    athlete, _ = store.create_athlete("ana", hr_max=185)
    one = store.add_activity(athlete.id, make_parsed())
    two = store.add_activity(athlete.id, make_parsed(start=day(1)))
    store.blobs.delete(store.get_activity(athlete.id, two.activity_id).sha256)  # type: ignore[union-attr]
    seen: list[MetricsProfile] = []

    def reparse(data: bytes, name: str, profile: MetricsProfile) -> ParsedActivity:
        seen.append(profile)
        old = make_parsed(content=data, km=12.0)
        return ParsedActivity(old.summary, data, hashlib.sha256(data).hexdigest(), "fit", name)

    report = store.reprocess(parse=reparse)
    assert (report.total, report.updated, report.missing_blob) == (2, 1, 1)
    assert seen == [MetricsProfile(timezone="UTC", hr_max=185)]
    updated = store.get_activity(athlete.id, one.activity_id)
    assert updated is not None and updated.distance_m == 12_000.0


def test_reprocess_counts_a_file_the_parser_now_refuses(store: Store) -> None:
    athlete, _ = store.create_athlete("ana")
    store.add_activity(athlete.id, make_parsed())

    def refuse(data: bytes, name: str, profile: MetricsProfile) -> ParsedActivity:
        raise IngestError("no longer readable", file_name=name)

    report = store.reprocess(parse=refuse)
    assert (report.total, report.failed) == (1, 1)
    assert "no longer readable" in report.failures[0][1]


def _writer(url: str, data_dir: str, athlete_id: int, worker: int, n: int) -> list[str]:
    """Read-then-write add_activity in a loop; returns the errors it met."""
    store = Store(url, Path(data_dir))
    errors: list[str] = []
    for i in range(n):
        parsed = make_parsed(start=day(worker * 100 + i), content=f"w{worker}-{i}".encode())
        try:
            store.add_activity(athlete_id, parsed)
            store.add_activity(athlete_id, parsed)  # the same bytes again: a read, then nothing
        except Exception as exc:
            errors.append(f"{type(exc).__name__}: {exc}")
    store.dispose()
    return errors


@pytest.mark.slow
def test_concurrent_threads_and_processes_never_see_database_is_locked(tmp_path: Path) -> None:
    import multiprocessing
    from concurrent.futures import ProcessPoolExecutor, ThreadPoolExecutor

    store = Store(None, tmp_path)
    store.upgrade()
    athlete, _ = store.create_athlete("ana")
    per_worker = 25
    ctx = multiprocessing.get_context("forkserver")
    with (
        ThreadPoolExecutor(6) as threads,
        ProcessPoolExecutor(3, mp_context=ctx) as processes,
    ):
        futures = [
            threads.submit(_writer, store.url, str(tmp_path), athlete.id, w, per_worker)
            for w in range(6)
        ] + [
            processes.submit(_writer, store.url, str(tmp_path), athlete.id, w, per_worker)
            for w in range(6, 9)
        ]
        errors = [e for f in futures for e in f.result()]
    assert errors == []
    assert len(store.list_activities(athlete.id)) == 9 * per_worker
    store.dispose()
