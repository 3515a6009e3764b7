"""Plans and weekly totals are computed once per athlete data version and never served stale, on
SQLite and PostgreSQL; /v1/weeks from the daily totals equals the weeks from every activity."""

from __future__ import annotations

import threading
import time
from collections.abc import Iterator
from datetime import date, timedelta
from pathlib import Path

import pytest
from fastapi.testclient import TestClient

from api.plans import weekly_totals
from api.response_cache import ResponseCache
from ingest.store import Store
from tests.api_support import NOW, client_on, gpx_run, new_athlete, settings_for
from tests.store_fixtures import make_parsed

MONDAY = NOW - timedelta(days=NOW.weekday(), hours=NOW.hour - 7)


@pytest.fixture(params=["sqlite", pytest.param("postgresql", marks=pytest.mark.postgres)])
def client(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[TestClient]:
    url = request.getfixturevalue("postgres_url") if request.param == "postgresql" else None
    with client_on(request.param, tmp_path, url) as c:
        yield c


def upload(client: TestClient, auth: dict[str, str], days_ago: int, km: float = 8.0) -> None:
    start = MONDAY - timedelta(days=days_ago)
    data = gpx_run(start, km=km, climb=km * 40)
    r = client.post("/v1/activities", files={"file": ("r.gpx", data)}, headers=auth)
    assert r.status_code == 201, r.text


def computed(client: TestClient) -> int:
    cache: ResponseCache = client.app.state.responses  # type: ignore[attr-defined]
    return cache.computed


def store_of(client: TestClient) -> Store:
    store: Store = client.app.state.store  # type: ignore[attr-defined]
    return store


def test_a_plan_is_computed_once_and_served_until_the_athletes_data_changes(
    client: TestClient,
) -> None:
    _, ana = new_athlete(client, "Ana")
    for days_ago in (2, 4, 6, 9):
        upload(client, ana, days_ago)
    first = client.get("/v1/recommendation", headers=ana)
    again = client.get("/v1/recommendation", headers=ana)
    assert first.status_code == again.status_code == 200
    assert first.json() == again.json()
    assert computed(client) == 1
    upload(client, ana, 1, km=30.0)
    after = client.get("/v1/recommendation", headers=ana).json()
    assert computed(client) == 2
    assert after["inputs"]["weekly_distance_km"] > first.json()["inputs"]["weekly_distance_km"]


def test_a_checkin_a_strength_entry_and_a_profile_change_each_make_a_new_plan(
    client: TestClient,
) -> None:
    _, ana = new_athlete(client, "Ana")
    upload(client, ana, 3)
    client.get("/v1/recommendation", headers=ana)
    writes = [
        lambda: client.post(
            "/v1/checkins", json={"date": "2026-03-03", "soreness": 8}, headers=ana
        ),
        lambda: client.post(
            "/v1/strength-log",
            json={"date": "2026-03-02", "exercise": "back squat", "sets": [{"reps": 5}]},
            headers=ana,
        ),
        lambda: client.patch("/v1/me", json={"strategy": "stack"}, headers=ana),
    ]
    for n, write in enumerate(writes, start=2):
        assert write().status_code in (200, 201)
        client.get("/v1/recommendation", headers=ana)
        assert computed(client) == n


def test_a_write_by_another_process_is_seen_on_the_next_request(client: TestClient) -> None:
    athlete_id, ana = new_athlete(client, "Ana")
    upload(client, ana, 3)
    before = client.get("/v1/weeks", params={"count": 2}, headers=ana).json()["weeks"]
    other = Store(store_of(client).url, store_of(client).data_dir)  # e.g. `legday sync`
    try:
        start = MONDAY - timedelta(days=1)
        other.add_activity(athlete_id, make_parsed(start=start, km=12.0, content=b"from sync"))
    finally:
        other.dispose()
    after = client.get("/v1/weeks", params={"count": 2}, headers=ana).json()["weeks"]
    assert after[0]["distance_km"] == pytest.approx(before[0]["distance_km"] + 12.0, abs=0.01)


def test_athletes_never_get_each_others_cached_answers(client: TestClient) -> None:
    _, ana = new_athlete(client, "Ana")
    _, bo = new_athlete(client, "Bo")
    upload(client, ana, 2, km=20.0)
    ana_weeks = client.get("/v1/weeks", params={"count": 2}, headers=ana).json()["weeks"]
    bo_weeks = client.get("/v1/weeks", params={"count": 2}, headers=bo).json()["weeks"]
    assert sum(w["distance_km"] for w in ana_weeks) == pytest.approx(20.0, abs=0.5)
    assert sum(w["distance_km"] for w in bo_weeks) == 0


def test_weeks_from_the_daily_totals_equal_the_weeks_from_every_activity(
    client: TestClient,
) -> None:
    athlete_id, ana = new_athlete(client, "Ana")
    for days_ago in range(1, 60, 2):
        upload(client, ana, days_ago, km=6.0 + days_ago % 7)
    end = date(2026, 3, 4)
    served = client.get("/v1/weeks", params={"count": 12, "end": end.isoformat()}, headers=ana)
    frame = store_of(client).activities_frame(athlete_id)
    expected = weekly_totals(frame, end=end, count=12, week_start="monday")
    for got, want in zip(served.json()["weeks"], expected, strict=True):
        assert got["week_start"] == want["week_start"].isoformat()
        for key in ("distance_km", "ascent_m", "descent_m", "load", "runs", "long_run_km"):
            assert got[key] == pytest.approx(want[key], abs=0.011), key
        assert got["acwr"] == pytest.approx(want["acwr"], abs=0.0011)


def test_with_the_cache_off_every_answer_is_computed_and_the_same(tmp_path: Path) -> None:
    answers = []
    for size in (0, 16):
        from tests.api_support import api_client

        settings = settings_for(tmp_path / f"data-{size}", plan_cache_size=size)
        with api_client(settings) as c:
            _, ana = new_athlete(c, "Ana")
            upload(c, ana, 2)
            plans = [c.get("/v1/recommendation", headers=ana).json() for _ in range(3)]
            weeks = c.get("/v1/weeks", headers=ana).json()
            answers.append((plans[0], weeks))
            assert computed(c) == (4 if size == 0 else 2)
    assert answers[0] == answers[1]


def test_fifty_threads_asking_for_one_missing_answer_compute_it_once() -> None:
    cache = ResponseCache(8)

    def slow() -> bytes:
        time.sleep(0.05)
        return b"{}"

    threads = [threading.Thread(target=cache.get_or_compute, args=("k", slow)) for _ in range(50)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert cache.computed == 1 and cache.get("k") == b"{}"


def test_the_cache_keeps_only_the_most_recently_used_answers() -> None:
    cache = ResponseCache(2)
    for key in ("a", "b"):
        cache.get_or_compute(key, lambda: b"1")
    cache.get("a")
    cache.get_or_compute("c", lambda: b"1")
    assert cache.get("a") is not None and cache.get("b") is None and len(cache) == 2
