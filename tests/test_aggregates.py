"""Daily totals kept in the write transactions equal a recomputation from the activities, on SQLite
and PostgreSQL, after adds, duplicates, deletes and reprocessing; every write bumps the version."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import replace
from datetime import date, timedelta
from pathlib import Path

import numpy as np
import pandas as pd
import pytest

from ingest.pipeline import ParsedActivity
from ingest.store import Store
from ingest.store import daily_totals as aggregates
from recommender.load import ON_FOOT, build_load_model
from tests.store_fixtures import backend_store, day, make_parsed

AS_OF = date(2026, 6, 1)
COLUMNS = ("distance_km", "ascent_m", "descent_m", "descent_load_m", "km_effort", "load",
           "long_run_km", "max_descent_load_m", "runs", "trimp_share")  # fmt: skip


@pytest.fixture(params=["sqlite", pytest.param("postgresql", marks=pytest.mark.postgres)])
def store(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[Store]:
    with backend_store(request, tmp_path) as s:
        yield s


def as_sport(parsed: ParsedActivity, sport: str) -> ParsedActivity:
    return replace(parsed, summary=replace(parsed.summary, sport=sport))  # type: ignore[arg-type]


def assert_totals_match_a_recomputation(store: Store, athlete_id: int) -> None:
    expected = build_load_model(store.activities_frame(athlete_id), as_of=AS_OF).daily
    kept = store.daily_frame(athlete_id, as_of=AS_OF)
    assert list(kept.index) == list(expected.index)
    assert set(kept.columns) == set(expected.columns)
    for column in COLUMNS:
        np.testing.assert_allclose(
            kept[column].to_numpy(dtype=float),
            expected[column].to_numpy(dtype=float),
            rtol=1e-9,
            atol=1e-9,
            err_msg=column,
        )


def a_month_of_mixed_activities(store: Store, athlete_id: int) -> None:
    rng = np.random.default_rng(3)
    for n in range(30):
        sport = str(rng.choice(["trail_run", "run", "hike", "ride", "treadmill"]))
        hr = None if rng.random() < 0.3 else float(rng.uniform(130, 160))
        parsed = make_parsed(
            start=day(n) + timedelta(hours=float(rng.uniform(0, 10))),
            km=float(rng.uniform(4, 30)),
            climb=float(rng.uniform(0, 1500)),
            hr=hr,
        )
        store.add_activity(athlete_id, as_sport(parsed, sport))
        if rng.random() < 0.3:  # a second activity the same day
            second = make_parsed(start=day(n) + timedelta(hours=11), km=5.0, climb=50.0, hr=None)
            store.add_activity(athlete_id, second)


def test_the_on_foot_sports_are_the_load_models() -> None:
    assert set(aggregates.ON_FOOT) == set(ON_FOOT)


def test_totals_equal_a_recomputation_after_adds(store: Store) -> None:
    athlete, _ = store.create_athlete("ana")
    a_month_of_mixed_activities(store, athlete.id)
    assert_totals_match_a_recomputation(store, athlete.id)


def test_a_ride_or_other_sport_adds_no_daily_total(store: Store) -> None:
    athlete, _ = store.create_athlete("ana")
    store.add_activity(athlete.id, as_sport(make_parsed(start=day(0)), "ride"))
    assert store.daily_frame(athlete.id, as_of=AS_OF).empty


def test_a_duplicate_counts_once_and_a_richer_newcomer_takes_over_the_day(store: Store) -> None:
    athlete, _ = store.create_athlete("ana")
    gpx = make_parsed(start=day(1), fmt="gpx", samples=600, hr=None, km=10.0)
    store.add_activity(athlete.id, gpx)
    fit = make_parsed(start=day(1), fmt="fit", samples=3600, hr=150.0, km=10.1)
    outcome = store.add_activity(athlete.id, fit)
    assert outcome.status == "ingested"  # the richer FIT is primary, the GPX points at it
    assert_totals_match_a_recomputation(store, athlete.id)
    kept = store.daily_frame(athlete.id, as_of=AS_OF)
    assert kept.loc[pd.Timestamp(day(1).date()), "runs"] == 1
    assert kept.loc[pd.Timestamp(day(1).date()), "distance_km"] == pytest.approx(10.1)


def test_deleting_a_primary_hands_its_day_to_the_promoted_duplicate(store: Store) -> None:
    athlete, _ = store.create_athlete("ana")
    first = store.add_activity(athlete.id, make_parsed(start=day(2), fmt="fit", km=12.0))
    store.add_activity(athlete.id, make_parsed(start=day(2), fmt="gpx", samples=600, km=11.9))
    store.add_activity(athlete.id, make_parsed(start=day(5), km=8.0))
    assert store.delete_activity(athlete.id, first.activity_id)
    assert_totals_match_a_recomputation(store, athlete.id)
    kept = store.daily_frame(athlete.id, as_of=AS_OF)
    assert kept.loc[pd.Timestamp(day(2).date()), "distance_km"] == pytest.approx(11.9)


def test_deleting_the_only_activity_of_a_day_leaves_no_total_for_it(store: Store) -> None:
    athlete, _ = store.create_athlete("ana")
    only = store.add_activity(athlete.id, make_parsed(start=day(3)))
    store.add_activity(athlete.id, make_parsed(start=day(9)))
    store.delete_activity(athlete.id, only.activity_id)
    kept = store.daily_frame(athlete.id, as_of=AS_OF)
    assert kept.index[0] == pd.Timestamp(day(9).date())
    assert_totals_match_a_recomputation(store, athlete.id)


def test_random_adds_duplicates_and_deletes_keep_the_totals_exact(store: Store) -> None:
    athlete, _ = store.create_athlete("ana")
    other, _ = store.create_athlete("bo")
    a_month_of_mixed_activities(store, athlete.id)
    a_month_of_mixed_activities(store, other.id)
    rng = np.random.default_rng(9)
    for n in rng.choice(30, size=8, replace=False):
        store.add_activity(athlete.id, make_parsed(start=day(int(n)), fmt="gpx", samples=10))
    ids = [a.id for a in store.list_activities(athlete.id)]
    for activity_id in rng.choice(ids, size=len(ids) // 3, replace=False):
        store.delete_activity(athlete.id, int(activity_id))
    assert_totals_match_a_recomputation(store, athlete.id)
    assert_totals_match_a_recomputation(store, other.id)


def test_recomputing_everything_changes_nothing(store: Store) -> None:
    athlete, _ = store.create_athlete("ana")
    a_month_of_mixed_activities(store, athlete.id)
    before = store.daily_frame(athlete.id, as_of=AS_OF)
    store.recompute_daily_totals()
    pd.testing.assert_frame_equal(store.daily_frame(athlete.id, as_of=AS_OF), before)


def test_reprocess_moves_the_totals_with_the_new_summaries(store: Store) -> None:
    athlete, _ = store.create_athlete("ana")
    store.add_activity(athlete.id, make_parsed(start=day(0), km=10.0))

    def longer(content: bytes, file_name: str, profile: object) -> ParsedActivity:
        parsed = make_parsed(start=day(0), km=21.0, content=content)
        return parsed

    store.reprocess(parse=longer)
    kept = store.daily_frame(athlete.id, as_of=AS_OF)
    assert kept["distance_km"].sum() == pytest.approx(21.0)
    assert_totals_match_a_recomputation(store, athlete.id)


def test_every_write_that_can_change_a_plan_bumps_the_data_version(store: Store) -> None:
    athlete, _ = store.create_athlete("ana")
    seen = [store.get_athlete(athlete.id).data_version]  # type: ignore[union-attr]

    def bumped() -> bool:
        version = store.get_athlete(athlete.id).data_version  # type: ignore[union-attr]
        changed = version > seen[-1]
        seen.append(version)
        return changed

    parsed = make_parsed(start=day(0))
    outcome = store.add_activity(athlete.id, parsed)
    assert bumped()
    store.add_activity(athlete.id, parsed)  # the same bytes again: nothing changes
    assert not bumped()
    store.add_strength(athlete.id, day(1).date(), "back squat", [{"reps": 5, "load_kg": 60.0}])
    assert bumped()
    store.add_checkin(athlete.id, day(1).date(), soreness=3)
    assert bumped()
    store.update_athlete(athlete.id, long_run_day="sunday")
    assert bumped()
    store.delete_activity(athlete.id, outcome.activity_id)
    assert bumped()
    store.list_activities(athlete.id)
    store.activities_frame(athlete.id)
    assert not bumped()


def test_the_lean_activity_frame_equals_the_one_built_from_records(store: Store) -> None:
    from ingest.store import activities_to_frame

    athlete, _ = store.create_athlete("ana")
    a_month_of_mixed_activities(store, athlete.id)
    records = store.list_activities(athlete.id, include_duplicates=False)
    pd.testing.assert_frame_equal(store.activities_frame(athlete.id), activities_to_frame(records))
