"""The cross-source duplicate rule, as a pure function."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from ingest.store.dedup import DedupKey, decide, same_activity

T0 = datetime(2026, 3, 2, 7, 0, tzinfo=UTC)


def key(
    id: int | None = None,
    *,
    s: float = 0,
    minutes: float = 60,
    km: float = 10,
    fmt: str = "fit",
    hr: bool = True,
    samples: int = 3600,
    baro: bool | None = None,
    dup: int | None = None,
) -> DedupKey:
    return DedupKey(
        id, T0 + timedelta(seconds=s), minutes * 60, km * 1000, fmt, samples, hr, baro, dup
    )


def test_the_same_run_from_two_sources_is_one_activity() -> None:
    assert same_activity(key(s=0), key(s=170, minutes=56, km=10.8, fmt="gpx"))


def test_runs_that_start_more_than_three_minutes_apart_are_different() -> None:
    assert not same_activity(key(s=0), key(s=200))


def test_a_run_much_longer_or_shorter_is_different() -> None:
    assert not same_activity(key(), key(minutes=75))
    assert not same_activity(key(), key(km=8.5))


def test_a_gpx_newcomer_points_at_the_stored_fit() -> None:
    decision = decide(key(fmt="gpx", hr=False), [key(1)])
    assert decision.duplicate_of == 1 and decision.repoint == ()


def test_a_fit_newcomer_takes_over_from_a_stored_gpx_and_its_duplicates() -> None:
    stored = [key(1, fmt="gpx"), key(2, fmt="gpx", hr=False, dup=1)]
    decision = decide(key(), stored)
    assert decision.duplicate_of is None and set(decision.repoint) == {1, 2}


def test_between_two_fit_files_heart_rate_then_samples_decide() -> None:
    assert decide(key(hr=True), [key(1, hr=False)]).repoint == (1,)
    assert decide(key(samples=100), [key(1, samples=3600)]).duplicate_of == 1
    assert decide(key(baro=True, hr=False), [key(1, baro=False)]).repoint == (1,)


def test_an_equally_rich_newcomer_is_the_duplicate() -> None:
    assert decide(key(), [key(1)]).duplicate_of == 1


def test_the_closest_start_is_the_match() -> None:
    assert decide(key(s=100), [key(1, s=-60), key(2, s=90)]).duplicate_of == 2


def test_nothing_near_means_primary() -> None:
    assert decide(key(), [key(1, s=3600)]) == decide(key(), [])
