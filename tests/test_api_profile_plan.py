"""/v1/me, /v1/weeks, /v1/recommendation, the strength log, check-ins, the calendar and sync."""

from __future__ import annotations

import time
from collections.abc import Iterator
from datetime import UTC, date, datetime, timedelta
from pathlib import Path

import pytest
from fastapi.testclient import TestClient
from icalendar import Calendar

from api.app import create_app
from api.sync_config import FolderJob
from ingest.store import Store
from tests.api_support import NOW, client_on, gpx_run, new_athlete, settings_for

MONDAY = datetime(2026, 3, 2, 7, 0, tzinfo=UTC)


@pytest.fixture(params=["sqlite", pytest.param("postgresql", marks=pytest.mark.postgres)])
def client(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[TestClient]:
    """The same API tests on SQLite and on a throw-away PostgreSQL schema."""
    url = request.getfixturevalue("postgres_url") if request.param == "postgresql" else None
    with client_on(request.param, tmp_path, url) as c:
        yield c


@pytest.fixture
def ana(client: TestClient) -> dict[str, str]:
    return new_athlete(client, "Ana", timezone="Europe/Zurich")[1]


def upload_weeks(client: TestClient, auth: dict[str, str], weeks: int) -> None:
    """Tuesday, Thursday and a Saturday long run for ``weeks`` weeks before NOW's week."""
    first = MONDAY - timedelta(weeks=weeks)
    for w in range(weeks):
        for day, km, climb in ((1, 8, 150), (3, 10, 300), (5, 20, 900)):
            start = first + timedelta(weeks=w, days=day)
            r = client.post(
                "/v1/activities", files={"file": ("r.gpx", gpx_run(start, km=km, climb=climb))},
                headers=auth,
            )  # fmt: skip
            assert r.status_code == 201, r.text


def test_me_returns_the_profile_with_id_and_a_working_calendar_url(
    client: TestClient, ana: dict[str, str]
) -> None:
    me = client.get("/v1/me", headers=ana).json()
    assert me["name"] == "Ana" and me["strategy"] == "separate" and me["races"] == []
    assert isinstance(me["id"], int)
    assert me["calendar_url"].startswith("http://testserver/v1/calendar/")
    assert client.get(me["calendar_url"]).status_code == 200


def test_patching_me_changes_only_the_fields_sent(client: TestClient, ana: dict[str, str]) -> None:
    r = client.patch(
        "/v1/me",
        json={"long_run_day": "saturday", "hr_max": 188, "races": [
            {"date": "2026-06-20", "name": "Zermatt", "distance_km": 42, "ascent_m": 2500}]},
        headers=ana,
    )  # fmt: skip
    assert r.status_code == 200
    me = r.json()
    assert me["long_run_day"] == "saturday" and me["hr_max"] == 188
    assert me["races"][0]["priority"] == "A" and me["timezone"] == "Europe/Zurich"
    cleared = client.patch("/v1/me", json={"long_run_day": None}, headers=ana).json()
    assert cleared["long_run_day"] is None and cleared["hr_max"] == 188


@pytest.mark.parametrize(
    "body",
    [{"name": None}, {"timezone": "Nowhere/City"}, {"strategy": "both"}, {"colour": "red"},
     {"hard_days": ["funday"]}, {"races": [{"date": "soon"}]}],
)  # fmt: skip
def test_an_invalid_patch_is_422_and_changes_nothing(
    client: TestClient, ana: dict[str, str], body: dict[str, object]
) -> None:
    before = client.get("/v1/me", headers=ana).json()
    r = client.patch("/v1/me", json=body, headers=ana)
    assert r.status_code == 422 and isinstance(r.json()["detail"], str)
    assert client.get("/v1/me", headers=ana).json() == before


def test_renaming_to_another_athletes_name_is_409(client: TestClient, ana: dict[str, str]) -> None:
    new_athlete(client, "Bo")
    assert client.patch("/v1/me", json={"name": "Bo"}, headers=ana).status_code == 409


def test_weeks_are_the_athletes_local_weeks_with_totals_and_acwr(
    client: TestClient, ana: dict[str, str]
) -> None:
    upload_weeks(client, ana, 5)
    weeks = client.get("/v1/weeks", params={"count": 6}, headers=ana).json()["weeks"]
    assert len(weeks) == 6
    assert weeks[-1]["week_start"] == "2026-03-02"  # NOW is Wednesday 4 March
    assert all(date.fromisoformat(w["week_start"]).weekday() == 0 for w in weeks)
    full = weeks[-2]
    assert full["runs"] == 3
    assert full["distance_km"] == pytest.approx(38, rel=0.03)
    assert full["long_run_km"] == pytest.approx(20, rel=0.03)
    assert full["ascent_m"] > 1000 and full["descent_load_m"] > 0
    current = weeks[-1]  # ACWR as the week starts (its plan's): 28 days of history only by now
    assert current["acwr"] is not None and 0.5 < current["acwr"] < 1.5
    assert weeks[0]["acwr"] is None and current["runs"] == 0


def test_weeks_follow_a_sunday_week_start(client: TestClient) -> None:
    _, bo = new_athlete(client, "Bo", week_start="sunday")
    weeks = client.get("/v1/weeks", params={"count": 2, "end": "2026-03-04"}, headers=bo).json()
    assert [w["week_start"] for w in weeks["weeks"]] == ["2026-02-22", "2026-03-01"]


def test_weeks_reject_a_count_out_of_range(client: TestClient, ana: dict[str, str]) -> None:
    assert client.get("/v1/weeks", params={"count": 0}, headers=ana).status_code == 422
    assert client.get("/v1/weeks", params={"count": 9999}, headers=ana).status_code == 422


def test_the_recommendation_defaults_to_this_week_as_of_today_in_the_athletes_zone(
    client: TestClient, ana: dict[str, str]
) -> None:
    upload_weeks(client, ana, 5)
    plan = client.get("/v1/recommendation", headers=ana).json()
    assert plan["week_start"] == "2026-03-02" and plan["as_of"] == "2026-03-04"
    assert plan["phase"] in {"base", "build", "peak", "pre_taper", "race_week", "post_race"}
    assert plan["rationale"] and all(r["rule"] and r["text"] for r in plan["rationale"])
    assert plan["inputs"]["acwr_method"]
    if plan["heavy_leg_day"]:
        heavy = [s for s in plan["sessions"] if s["kind"] == "heavy_legs"]
        assert [s["date"] for s in heavy] == [plan["heavy_leg_day"]]


def test_the_recommendation_for_a_chosen_week_and_day(
    client: TestClient, ana: dict[str, str]
) -> None:
    upload_weeks(client, ana, 5)
    plan = client.get(
        "/v1/recommendation", params={"week": "2026-03-09", "as_of": "2026-03-08"}, headers=ana
    ).json()
    assert plan["week_start"] == "2026-03-09" and plan["as_of"] == "2026-03-08"
    assert all("2026-03-09" <= s["date"] <= "2026-03-15" for s in plan["sessions"])


def test_the_strength_log_is_added_and_listed_by_date(
    client: TestClient, ana: dict[str, str]
) -> None:
    for d in ("2026-03-03", "2026-02-24"):
        r = client.post(
            "/v1/strength-log",
            json={
                "date": d,
                "exercise": "back_squat",
                "sets": [{"reps": 5, "load_kg": 70, "rpe": 7}],
            },
            headers=ana,
        )
        assert r.status_code == 201 and r.json()["id"] > 0
    entries = client.get("/v1/strength-log", headers=ana).json()["entries"]
    assert [e["date"] for e in entries] == ["2026-02-24", "2026-03-03"]
    assert entries[0]["sets"] == [{"reps": 5, "load_kg": 70.0, "rpe": 7.0, "seconds": None}]
    assert entries[0]["exercise"] == "back_squat" and entries[0]["name"] == "Back squat"
    since = client.get("/v1/strength-log", params={"start": "2026-03-01"}, headers=ana).json()
    assert len(since["entries"]) == 1


def test_a_strength_entry_without_sets_is_422(client: TestClient, ana: dict[str, str]) -> None:
    r = client.post(
        "/v1/strength-log", json={"date": "2026-03-03", "exercise": "x", "sets": []}, headers=ana
    )
    assert r.status_code == 422


def test_checkins_are_added_and_listed(client: TestClient, ana: dict[str, str]) -> None:
    r = client.post(
        "/v1/checkins", json={"date": "2026-03-03", "sleep_hours": 6.5, "soreness": 4}, headers=ana
    )
    assert r.status_code == 201
    assert client.get("/v1/checkins", headers=ana).json()["checkins"][0]["soreness"] == 4


def test_soreness_above_ten_is_422(client: TestClient, ana: dict[str, str]) -> None:
    r = client.post("/v1/checkins", json={"date": "2026-03-03", "soreness": 11}, headers=ana)
    assert r.status_code == 422


def test_the_calendar_feed_holds_this_and_next_weeks_sessions(
    client: TestClient, ana: dict[str, str]
) -> None:
    upload_weeks(client, ana, 5)
    url = client.get("/v1/me", headers=ana).json()["calendar_url"]
    r = client.get(url)
    assert r.status_code == 200 and r.headers["content-type"].startswith("text/calendar")
    events = list(Calendar.from_ical(r.content).walk("VEVENT"))
    plans = [
        client.get("/v1/recommendation", params={"week": w}, headers=ana).json()
        for w in ("2026-03-02", "2026-03-09")
    ]
    assert len(events) == sum(len(p["sessions"]) for p in plans) > 0
    assert {e.start for e in events} == {
        date.fromisoformat(s["date"]) for p in plans for s in p["sessions"]
    }


def test_a_wrong_feed_token_is_404(client: TestClient, ana: dict[str, str]) -> None:
    assert client.get("/v1/calendar/not-a-token.ics").status_code == 404
    assert client.get("/v1/calendar/" + "0" * 64 + ".ics").json() == {"detail": "no such calendar"}


def test_sync_status_and_a_run_request(client: TestClient, ana: dict[str, str]) -> None:
    status = client.get("/v1/sync", headers=ana)
    assert status.status_code == 200
    assert set(status.json()) >= {"folders", "counts", "failures", "last_run"}
    assert set(status.json()["counts"]) >= {"seen", "ingested", "duplicate", "failed"}
    assert client.post("/v1/sync/run", headers=ana).status_code == 202


def test_the_dashboard_and_its_assets_are_served_without_a_cdn(client: TestClient) -> None:
    page = client.get("/")
    assert page.status_code == 200 and page.headers["content-type"].startswith("text/html")
    assert "http://" not in page.text and "https://" not in page.text
    static = Path(__file__).resolve().parent.parent / "api" / "static"
    assets = sorted(p.relative_to(static).as_posix() for p in static.rglob("*") if p.is_file())
    assert "js/app.js" in assets and "app.css" in assets
    for asset in assets:
        r = client.get(f"/static/{asset}")
        assert r.status_code == 200, asset
        assert "https://" not in r.text.replace("http://www.w3.org/2000/svg", ""), asset


def test_now_is_the_injected_clock(client: TestClient, ana: dict[str, str]) -> None:
    assert NOW.date().isoformat() == "2026-03-04"
    weeks = client.get("/v1/weeks", params={"count": 1}, headers=ana).json()["weeks"]
    assert weeks[0]["week_start"] == "2026-03-02"


def test_a_sync_folder_served_by_this_process_is_run_on_request_and_reported(
    tmp_path: Path,
) -> None:
    folder = tmp_path / "watch"
    folder.mkdir()
    (folder / "monday.gpx").write_bytes(gpx_run(MONDAY))
    (folder / "junk.gpx").write_bytes(b"<gpx><trk>")
    settings = settings_for(tmp_path / "data")
    store = Store(settings.database_url, settings.data_dir)
    store.upgrade()
    store.dispose()
    job = FolderJob(path=folder, athlete="Ana", interval_s=3600, settle_s=0)
    app = create_app(settings, clock=lambda: NOW, sync_jobs=[job])
    with TestClient(app) as client:
        _, ana = new_athlete(client, "Ana")
        started = client.post("/v1/sync/run", headers=ana)
        assert started.status_code == 202 and started.json()["folders"] == [str(folder)]
        deadline = time.monotonic() + 30
        status = client.get("/v1/sync", headers=ana).json()
        while status["counts"]["ingested"] + status["counts"]["failed"] < 2:
            assert time.monotonic() < deadline, status
            time.sleep(0.2)
            status = client.get("/v1/sync", headers=ana).json()
        assert status["counts"]["ingested"] == 1 and status["counts"]["failed"] == 1
        assert status["failures"][0]["file"] == "junk.gpx" and status["failures"][0]["reason"]
        assert status["folders"][0]["path"] == str(folder)
        assert len(client.get("/v1/activities", headers=ana).json()["activities"]) == 1


def test_a_session_logged_earlier_this_week_is_marked_done_in_the_plan(
    client: TestClient, ana: dict[str, str]
) -> None:
    lift = {"date": "2026-03-02", "exercise": "back_squat", "sets": [{"reps": 5, "load_kg": 80}]}
    assert client.post("/v1/strength-log", json=lift, headers=ana).status_code == 201
    plan = client.get("/v1/recommendation", headers=ana).json()  # as of Wednesday 4 March
    done = {s["date"]: s["done"] for s in plan["sessions"]}
    assert done.pop("2026-03-02") is True
    assert not any(done.values())


def test_weeks_say_their_acwr_is_read_as_the_week_starts(
    client: TestClient, ana: dict[str, str]
) -> None:
    (week,) = client.get("/v1/weeks", params={"count": 1}, headers=ana).json()["weeks"]
    assert "as the week starts" in week["acwr_method"]
    assert "last day" not in week["acwr_method"]


def test_the_feed_token_names_its_athlete_and_bare_mac_urls_are_retired(
    client: TestClient, ana: dict[str, str]
) -> None:
    from api.auth import feed_mac

    me = client.get("/v1/me", headers=ana).json()
    token = me["calendar_url"].rsplit("/", 1)[1].removesuffix(".ics")
    athlete_id, mac = token.split(".")
    assert int(athlete_id) == me["id"] and len(mac) == 64
    store = client.app.state.store  # type: ignore[attr-defined]
    secret = client.app.state.feed_secret  # type: ignore[attr-defined]
    legacy = feed_mac(secret, me["id"], store.get_athlete(me["id"]).feed_nonce)
    assert legacy == mac
    assert client.get(f"/v1/calendar/{token}.ics").status_code == 200
    assert client.get(f"/v1/calendar/{legacy}.ics").status_code == 404  # issue 14, finding 9
    wrong = "0" * 64
    for bad in (f"{athlete_id}.{wrong}", f"{me['id'] + 1}.{mac}", f"x.{mac}", wrong, "1.", "."):
        assert client.get(f"/v1/calendar/{bad}.ics").status_code == 404, bad
