"""Issue 14, findings 10 and 16: control characters in names and notes, time zones that are
directories, NUL on PostgreSQL, a feed id past the integer column, and any unexpected error:
each a clear JSON 4xx/500, never a traceback or SQL; the calendar feed stays well-formed."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from fastapi.testclient import TestClient
from icalendar import Calendar

from api.app import create_app
from ingest.store import Store
from tests.api_support import ADMIN, NOW, api_client, bearer, client_on, new_athlete, settings_for

BACKENDS = ["sqlite", pytest.param("postgresql", marks=pytest.mark.postgres)]


@pytest.fixture(params=BACKENDS)
def client(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[TestClient]:
    url = request.getfixturevalue("postgres_url") if request.param == "postgresql" else None
    with client_on(request.param, tmp_path, url) as c:
        yield c


def store_of(client: TestClient) -> Store:
    store: Store = client.app.state.store  # type: ignore[attr-defined]
    return store


def is_json_error(response: object, status: int, *words: str) -> bool:
    r = response  # httpx response
    detail = r.json()["detail"]  # type: ignore[attr-defined]
    assert r.status_code == status, (r.status_code, detail)  # type: ignore[attr-defined]
    assert r.headers["content-type"].startswith("application/json")  # type: ignore[attr-defined]
    assert all(w in detail for w in words), detail
    return True


@pytest.mark.parametrize(
    "name", ["Ana\nSmith", "Ana\rBEGIN:VEVENT", "Ana\x00", "Ana\x1b[31m", "Ana\u202eX", "Ana\u200b"]
)
def test_a_control_character_in_a_name_is_refused_naming_the_field(
    client: TestClient, name: str
) -> None:
    created = client.post("/v1/athletes", json={"name": name}, headers=bearer(ADMIN))
    assert is_json_error(created, 422, "name", "control characters")
    _, ana = new_athlete(client, "Ana")
    renamed = client.patch("/v1/me", json={"name": name}, headers=ana)
    assert is_json_error(renamed, 422, "name", "control characters")
    race = {"date": "2026-06-01", "name": name}
    assert is_json_error(client.patch("/v1/me", json={"races": [race]}, headers=ana), 422, "name")


def test_a_name_with_the_joiners_its_script_needs_is_accepted(client: TestClient) -> None:
    """The zero-width non-joiner spells Persian names (and the joiner emoji sequences): the
    rule against invisible characters keeps them, in the API as in the CLI."""
    created = client.post("/v1/athletes", json={"name": "علی\u200cرضا"}, headers=bearer(ADMIN))
    assert created.status_code == 201, created.text
    assert created.json()["name"] == "علی\u200cرضا"


def test_notes_keep_line_breaks_and_refuse_other_control_characters(client: TestClient) -> None:
    _, ana = new_athlete(client, "Ana")
    ok = client.post(
        "/v1/checkins", json={"date": "2026-03-02", "note": "left knee\r\nright\tcalf"}, headers=ana
    )
    assert ok.status_code == 201 and ok.json()["note"] == "left knee\nright\tcalf"
    for bad in ("sore\rBEGIN:VEVENT", "sore\x00", "sore\x07"):
        r = client.post("/v1/checkins", json={"date": "2026-03-03", "note": bad}, headers=ana)
        assert is_json_error(r, 422, "note", "control characters")


def test_a_nul_in_a_name_note_or_exercise_is_a_422_on_every_route(client: TestClient) -> None:
    """On PostgreSQL these were 500s (text cannot hold NUL)."""
    admin = bearer(ADMIN)
    assert is_json_error(
        client.post("/v1/athletes", json={"name": "A\x00"}, headers=admin), 422, "name"
    )
    _, ana = new_athlete(client, "Ana")
    assert is_json_error(client.patch("/v1/me", json={"name": "A\x00"}, headers=ana), 422, "name")
    checkin = {"date": "2026-03-02", "note": "x\x00"}
    assert is_json_error(client.post("/v1/checkins", json=checkin, headers=ana), 422, "note")
    lift = {"date": "2026-03-02", "exercise": "squat\x00", "sets": [{"reps": 5}]}
    assert is_json_error(client.post("/v1/strength-log", json=lift, headers=ana), 422, "exercise")


@pytest.mark.parametrize("zone", ["Europe", "America/Argentina", "America/", "../etc/passwd"])
def test_a_time_zone_that_is_a_directory_or_a_path_is_a_422(client: TestClient, zone: str) -> None:
    created = client.post(
        "/v1/athletes", json={"name": "Bo", "timezone": zone}, headers=bearer(ADMIN)
    )
    assert is_json_error(created, 422, "timezone", "unknown IANA time zone")
    _, ana = new_athlete(client, "Ana")
    patched = client.patch("/v1/me", json={"timezone": zone}, headers=ana)
    assert is_json_error(patched, 422, "timezone", "unknown IANA time zone")


def test_a_feed_id_past_the_integer_column_is_a_404_not_a_500(client: TestClient) -> None:
    r = client.get(f"/v1/calendar/9999999999.{'a' * 64}.ics")
    assert is_json_error(r, 404, "no such calendar")


@pytest.mark.parametrize("name", ["Ana\nSmith", "Ana\rBEGIN:VEVENT\rSUMMARY:injected"])
def test_the_calendar_feed_of_a_stored_name_with_line_breaks_is_one_well_formed_calendar(
    client: TestClient, name: str
) -> None:
    """A row written before names were checked (or by another writer): the feed still answers,
    and a bare CR in the name starts no content line of its own."""
    athlete_id, ana = new_athlete(client, "Ana")
    feed = client.get("/v1/me", headers=ana).json()["calendar_url"].split("testserver")[1]
    store_of(client).update_athlete(athlete_id, name=name)
    r = client.get(feed)
    assert r.status_code == 200, r.text
    lines = r.content.split(b"\r\n")
    assert not any(b"\r" in line or b"\n" in line for line in lines)
    assert not any(line.startswith(b"SUMMARY:injected") for line in lines)
    calendar = Calendar.from_ical(r.content)
    assert str(calendar.get("X-WR-CALNAME")).startswith("legday · Ana")


def test_an_unexpected_error_is_a_json_500_without_sql_or_traceback(tmp_path: Path) -> None:
    from sqlalchemy.exc import DataError

    settings = settings_for(tmp_path / "data")
    with api_client(settings):  # migrates the store
        pass
    app = create_app(settings, clock=lambda: NOW)

    def boom() -> None:
        raise DataError("INSERT INTO athletes (name) VALUES (%(name)s)", {"name": "secret"}, None)

    app.add_api_route("/boom", boom)
    with TestClient(app, raise_server_exceptions=False) as client:
        r = client.get("/boom")
    assert is_json_error(r, 500, "internal server error", "reference")
    assert "INSERT" not in r.text and "secret" not in r.text and "Traceback" not in r.text
