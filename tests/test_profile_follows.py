"""Derived data follows the profile: a change of time zone or heart-rate figures recomputes the
stored activities' local dates, weekly totals and TRIMP in the background, without any command;
the API says while it does, and never serves a mix of old and new figures."""

from __future__ import annotations

import time
from collections.abc import Iterator
from datetime import UTC, date, datetime
from pathlib import Path
from typing import Any

import pytest
from fastapi.testclient import TestClient

from ingest.measure.summary import MetricsProfile
from ingest.pipeline import ParsedActivity, parse_activity
from ingest.store import Store
from tests.api_support import api_client, new_athlete, settings_for
from tests.export_factories import treadmill_fit
from tests.store_fixtures import postgres_schema

# Sunday 23:30 UTC: Sunday 1 March in UTC, Monday 2 March in Auckland (UTC+13 in March)
LATE_SUNDAY = datetime(2026, 3, 1, 23, 30, tzinfo=UTC)
SUNDAY, MONDAY = date(2026, 3, 1), date(2026, 3, 2)
WEEK_BEFORE, WEEK_AFTER = "2026-02-23", "2026-03-02"


@pytest.fixture(params=["sqlite", pytest.param("postgresql", marks=pytest.mark.postgres)])
def client(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[TestClient]:
    if request.param == "sqlite":
        with api_client(settings_for(tmp_path / "data")) as c:
            yield c
        return
    with (
        postgres_schema(request.getfixturevalue("postgres_url")) as url,
        api_client(settings_for(tmp_path / "data", url)) as c,
    ):
        yield c


def settled(client: TestClient, auth: dict[str, str], timeout_s: float = 30.0) -> dict[str, Any]:
    """``GET /v1/me`` once the background recomputation is done (bounded wait)."""
    deadline = time.monotonic() + timeout_s
    while True:
        me = client.get("/v1/me", headers=auth).json()
        if not me["recomputing"] or time.monotonic() > deadline:
            return me  # type: ignore[no-any-return]
        time.sleep(0.05)


def weekly_km(client: TestClient, auth: dict[str, str]) -> dict[str, float]:
    weeks = client.get("/v1/weeks?end=2026-03-08&count=2", headers=auth).json()["weeks"]
    return {w["week_start"]: w["distance_km"] for w in weeks}


def on_day(client: TestClient, auth: dict[str, str], day: date) -> list[dict[str, Any]]:
    answer = client.get(f"/v1/activities?start={day}&end={day}", headers=auth)
    return answer.json()["activities"]  # type: ignore[no-any-return]


def test_a_treadmill_run_follows_a_time_zone_change_into_its_weekly_totals_and_date_filters(
    client: TestClient,
) -> None:
    _, auth = new_athlete(client, "Ana", timezone="UTC")
    upload = client.post(
        "/v1/activities",
        files={"file": ("treadmill.fit", treadmill_fit(LATE_SUNDAY))},
        headers=auth,
    )
    assert upload.status_code == 201, upload.text
    assert upload.json()["local_date"] == SUNDAY.isoformat()
    assert weekly_km(client, auth) == {WEEK_BEFORE: 8.0, WEEK_AFTER: 0.0}

    patched = client.patch("/v1/me", json={"timezone": "Pacific/Auckland"}, headers=auth)
    assert patched.status_code == 200, patched.text
    me = settled(client, auth)  # no command: the API recomputes on its own

    assert not me["recomputing"] and me["recompute_pending"] == 0
    assert weekly_km(client, auth) == {WEEK_BEFORE: 0.0, WEEK_AFTER: 8.0}
    assert [a["local_date"] for a in on_day(client, auth, MONDAY)] == [MONDAY.isoformat()]
    assert on_day(client, auth, SUNDAY) == []
    activity = on_day(client, auth, MONDAY)[0]
    assert activity["utc_offset_s"] == 13 * 3600 and activity["sport"] == "treadmill"


def test_new_heart_rate_figures_give_the_stored_runs_their_trimp(client: TestClient) -> None:
    _, auth = new_athlete(client, "Bo")
    upload = client.post(
        "/v1/activities", files={"file": ("run.fit", treadmill_fit(LATE_SUNDAY))}, headers=auth
    )
    assert upload.json()["trimp"] is None  # no heart-rate figures yet
    client.patch("/v1/me", json={"hr_rest": 50, "hr_max": 190, "sex": "female"}, headers=auth)
    settled(client, auth)
    trimp = client.get("/v1/activities", headers=auth).json()["activities"][0]["trimp"]
    expected = parse_activity(
        treadmill_fit(LATE_SUNDAY), "run.fit", MetricsProfile(hr_rest=50, hr_max=190, sex="female")
    ).summary.trimp
    assert trimp == pytest.approx(expected) and trimp > 0


def test_the_api_says_a_recomputation_is_running_until_it_is_done(client: TestClient) -> None:
    athlete_id, auth = new_athlete(client, "Cy")
    client.post(
        "/v1/activities", files={"file": ("run.fit", treadmill_fit(LATE_SUNDAY))}, headers=auth
    )
    store: Store = client.app.state.store  # type: ignore[attr-defined]
    recomputer = client.app.state.recomputer  # type: ignore[attr-defined]
    assert recomputer.wait_idle(10)
    store.update_athlete(athlete_id, timezone="Asia/Tokyo")  # a change no request announced

    me = client.get("/v1/me", headers=auth).json()
    assert me["recomputing"] and me["recompute_pending"] == 1
    for path in ("/v1/weeks", "/v1/activities", "/v1/recommendation"):
        answer = client.get(path, headers=auth)
        assert answer.headers.get("Legday-Recomputing") == "true", path
    assert client.get("/v1/activities", headers=auth).json()["activities"][0]["local_date"] == (
        SUNDAY.isoformat()  # the old figures, all of them, until the new ones are all in
    )

    recomputer.request(athlete_id)  # what the sweep does within a minute
    assert settled(client, auth)["recomputing"] is False
    answer = client.get("/v1/activities", headers=auth)
    assert "Legday-Recomputing" not in answer.headers
    assert answer.json()["activities"][0]["local_date"] == MONDAY.isoformat()


def test_a_change_that_touches_no_summary_recomputes_nothing(client: TestClient) -> None:
    _, auth = new_athlete(client, "Di")
    client.post(
        "/v1/activities", files={"file": ("run.fit", treadmill_fit(LATE_SUNDAY))}, headers=auth
    )
    before = client.get("/v1/me", headers=auth).json()
    client.patch("/v1/me", json={"week_start": "sunday", "strategy": "stack"}, headers=auth)
    assert client.get("/v1/me", headers=auth).json()["recomputing"] is False
    assert before["recomputing"] is False


# --- the store: one swap, newest figures, uploads racing a change ---------------------------------


def stored_run(store: Store, athlete_id: int, start: datetime, zone: str = "UTC") -> int:
    parsed = parse_activity(treadmill_fit(start), "run.fit", MetricsProfile(timezone=zone))
    return store.add_activity(athlete_id, parsed).activity_id


@pytest.fixture
def store(tmp_path: Path) -> Iterator[Store]:
    s = Store(None, tmp_path / "data")
    s.upgrade()
    yield s
    s.dispose()


def test_a_recomputation_swaps_every_activity_at_once(store: Store) -> None:
    athlete = store.create_athlete("ana")[0]
    for hour in range(3):  # three late runs on three Sundays
        stored_run(store, athlete.id, LATE_SUNDAY.replace(day=1 + 7 * hour))
    store.update_athlete(athlete.id, timezone="Pacific/Auckland")
    seen: list[set[str]] = []

    def parse_and_look(data: bytes, name: str, profile: MetricsProfile) -> ParsedActivity:
        seen.append({d.weekday() for d in store.activities_frame(athlete.id)["local_date"]})
        return parse_activity(data, name, profile)

    report = store.follow_profile(athlete.id, parse=parse_and_look)
    assert report.recomputed == 3
    assert seen == [{6}, {6}, {6}]  # every read while it worked: all Sundays, the old figures
    assert {d.weekday() for d in store.activities_frame(athlete.id)["local_date"]} == {0}
    assert not store.get_athlete(athlete.id).recomputing  # type: ignore[union-attr]


def test_a_profile_change_during_a_recomputation_is_applied_after_it(store: Store) -> None:
    athlete = store.create_athlete("ana")[0]
    stored_run(store, athlete.id, LATE_SUNDAY)
    store.update_athlete(athlete.id, timezone="Pacific/Auckland")
    changed: list[bool] = []

    def parse_then_change(data: bytes, name: str, profile: MetricsProfile) -> ParsedActivity:
        if not changed:  # the athlete fixes the zone again while the first pass parses
            store.update_athlete(athlete.id, timezone="America/Los_Angeles")
            changed.append(True)
        return parse_activity(data, name, profile)

    report = store.follow_profile(athlete.id, parse=parse_then_change)
    assert report.rounds == 2
    activity = store.list_activities(athlete.id)[0]
    assert activity.local_date == SUNDAY and activity.utc_offset_s == -8 * 3600


def test_an_activity_computed_with_old_figures_makes_the_athlete_pending(store: Store) -> None:
    athlete = store.create_athlete("ana")[0]
    old = athlete.metrics_profile()
    store.update_athlete(athlete.id, timezone="Pacific/Auckland")
    store.follow_profile(athlete.id)  # nothing stored yet: the change is applied at once
    assert not store.get_athlete(athlete.id).recomputing  # type: ignore[union-attr]
    parsed = parse_activity(treadmill_fit(LATE_SUNDAY), "run.fit", old)  # parsed before it
    store.add_activity(athlete.id, parsed)
    assert store.get_athlete(athlete.id).recomputing  # type: ignore[union-attr]
    assert store.stale_athletes() == [athlete.id]
    store.follow_profile(athlete.id)
    assert store.list_activities(athlete.id)[0].local_date == MONDAY
    assert store.stale_athletes() == []


def test_a_database_with_data_at_0004_upgrades_with_nothing_to_recompute(tmp_path: Path) -> None:
    from tests.test_migration_from_0002 import insert_history

    store = Store(None, tmp_path / "data")
    store.upgrade("0004")
    ids = insert_history(store)
    store.upgrade()
    assert store.stale_athletes() == []
    assert all(not store.get_athlete(i).recomputing for i in ids.values())  # type: ignore[union-attr]
    assert store.follow_profile(ids["ana"]).recomputed == 0
    store.dispose()


@pytest.mark.postgres
def test_a_postgresql_database_with_data_at_0004_upgrades_too(
    postgres_url: str, tmp_path: Path
) -> None:
    from tests.test_migration_from_0002 import insert_history

    with postgres_schema(postgres_url) as url:
        store = Store(url, tmp_path / "data")
        store.upgrade("0004")
        ids = insert_history(store)
        store.upgrade()
        assert store.stale_athletes() == []
        store.update_athlete(ids["bo"], timezone="Europe/Zurich")
        assert store.stale_athletes() == [ids["bo"]]
        store.dispose()
