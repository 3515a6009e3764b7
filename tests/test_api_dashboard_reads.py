"""The dashboard's reads: trends (CTL/ATL/TSB, ACWR, e1RM), an activity's profile decoded from its
raw file, the rule sheet, and a coach (admin token) listing athletes and acting as one."""

from __future__ import annotations

import re
from datetime import timedelta
from pathlib import Path

import pytest
from fastapi.testclient import TestClient

from api.app import create_app
from recommender.rule_sheet import RULES
from tests.api_support import ADMIN, NOW, api_client, bearer, gpx_run, new_athlete, settings_for
from tests.conftest import ROOT


@pytest.fixture
def client(tmp_path: Path) -> TestClient:
    with api_client(settings_for(tmp_path / "data")) as c:
        yield c  # type: ignore[misc]


def upload(client: TestClient, auth: dict[str, str], days_ago: int, **kw: float) -> int:
    start = NOW - timedelta(days=days_ago, hours=2)
    r = client.post(
        "/v1/activities", files={"file": (f"r{days_ago}.gpx", gpx_run(start, **kw))}, headers=auth
    )
    assert r.status_code == 201, r.text
    return int(r.json()["id"])


def test_the_load_trend_gives_ctl_atl_tsb_and_acwr_per_day_from_the_first_run(
    client: TestClient,
) -> None:
    _, auth = new_athlete(client, "Ana")
    for d in range(40, 0, -2):
        upload(client, auth, d, km=8.0, climb=100.0)
    r = client.get("/v1/trends/load?days=90", headers=auth)
    assert r.status_code == 200, r.text
    body = r.json()
    days = body["days"]
    assert days[0]["date"] == str((NOW - timedelta(days=40)).date())  # none before the first run
    assert days[-1]["date"] == str(NOW.date())  # up to today
    for row in days:
        assert row["tsb"] == pytest.approx(row["ctl"] - row["atl"], abs=0.02)
    assert days[0]["acwr"] is None and days[-1]["acwr"] is not None  # none before 28 days
    assert 0.5 < days[-1]["acwr"] < 1.6  # a steady every-other-day pattern
    assert body["ctl_days"] == 42 and body["atl_days"] == 7


def test_a_new_athlete_has_an_empty_load_trend_not_an_invented_one(client: TestClient) -> None:
    _, auth = new_athlete(client, "New")
    assert client.get("/v1/trends/load", headers=auth).json()["days"] == []
    assert client.get("/v1/trends/lifts", headers=auth).json() == {"lifts": []}


def test_the_lift_trend_is_the_best_epley_e1rm_of_each_session(client: TestClient) -> None:
    _, auth = new_athlete(client, "Lifter")
    for date, kg in (("2026-02-02", 100.0), ("2026-02-09", 102.5)):
        entry = {"date": date, "exercise": "back_squat",
                 "sets": [{"reps": 5, "load_kg": kg}, {"reps": 3, "load_kg": kg + 5}]}  # fmt: skip
        assert client.post("/v1/strength-log", json=entry, headers=auth).status_code == 201
    body = client.get("/v1/trends/lifts", headers=auth).json()
    (squat,) = body["lifts"]
    assert squat["exercise"] == "back_squat" and squat["name"] == "Back squat"
    first, second = squat["sessions"]
    assert first == {"date": "2026-02-02", "e1rm_kg": 116.7, "load_kg": 100.0, "reps": 5}
    assert second["e1rm_kg"] == pytest.approx(102.5 * (1 + 5 / 30), abs=0.05)


def test_an_activity_profile_is_decoded_from_the_raw_file_with_grade_and_track(
    client: TestClient,
) -> None:
    _, auth = new_athlete(client, "Ana")
    activity = upload(client, auth, 3, km=10.0, climb=300.0)
    r = client.get(f"/v1/activities/{activity}/track", headers=auth)
    assert r.status_code == 200, r.text
    t = r.json()
    n = len(t["distance_m"])
    assert 100 < n <= 800
    assert all(len(t[k]) == n for k in ("altitude_m", "grade_pct", "lat", "lon"))
    assert t["distance_m"][-1] == pytest.approx(10_000, rel=0.02)
    assert max(t["altitude_m"]) == pytest.approx(430 + 300, abs=15)  # the hill's top
    grades = [g for g in t["grade_pct"] if g is not None]
    assert max(grades) > 5 and min(grades) < -5  # up, then down
    assert sum(t["descent_by_grade_m"].values()) > 250
    assert all(lat is not None for lat in t["lat"])


def test_another_athletes_activity_profile_is_404(client: TestClient) -> None:
    _, ana = new_athlete(client, "Ana")
    _, bob = new_athlete(client, "Bob")
    activity = upload(client, ana, 3)
    r = client.get(f"/v1/activities/{activity}/track", headers=bob)
    assert r.status_code == 404 and r.json() == {"detail": "no such activity"}


def test_a_missing_raw_file_is_a_404_that_says_so(client: TestClient, tmp_path: Path) -> None:
    _, auth = new_athlete(client, "Ana")
    activity = upload(client, auth, 3)
    for blob in (tmp_path / "data" / "blobs").rglob("*"):
        if blob.is_file():
            blob.unlink()
    r = client.get(f"/v1/activities/{activity}/track", headers=auth)
    assert r.status_code == 404 and "raw file" in r.json()["detail"]


def test_a_coach_lists_athletes_and_acts_as_one_with_the_admin_token(client: TestClient) -> None:
    new_athlete(client, "Ana")
    bob_id, bob = new_athlete(client, "Bob")
    upload(client, bob, 2)
    r = client.get("/v1/athletes", headers=bearer(ADMIN))
    assert r.status_code == 200, r.text
    rows = {a["name"]: a for a in r.json()["athletes"]}
    assert rows["Bob"]["activities_28d"] == 1 and rows["Ana"]["activities_28d"] == 0
    assert rows["Bob"]["last_activity_date"] == str((NOW - timedelta(days=2)).date())
    assert rows["Ana"]["token"] == "active"
    as_bob = {**bearer(ADMIN), "X-Legday-Athlete": str(bob_id)}
    assert client.get("/v1/me", headers=as_bob).json()["name"] == "Bob"
    assert len(client.get("/v1/activities", headers=as_bob).json()["activities"]) == 1


def test_only_the_admin_token_can_act_as_another_athlete(client: TestClient) -> None:
    _, ana = new_athlete(client, "Ana")
    bob_id, _ = new_athlete(client, "Bob")
    assert client.get("/v1/athletes", headers=ana).status_code == 403
    # an athlete's token with the header stays that athlete
    r = client.get("/v1/me", headers={**ana, "X-Legday-Athlete": str(bob_id)})
    assert r.json()["name"] == "Ana"
    wrong = client.get("/v1/me", headers={**bearer("nope"), "X-Legday-Athlete": str(bob_id)})
    assert wrong.status_code == 401
    missing = client.get("/v1/me", headers={**bearer(ADMIN), "X-Legday-Athlete": "999"})
    assert missing.status_code == 401 and "no athlete" in missing.json()["detail"]
    assert client.get("/v1/me", headers=bearer(ADMIN)).status_code == 401  # no header: no one


def test_every_rule_id_the_recommender_can_cite_has_a_sentence_on_the_rule_sheet(
    client: TestClient,
) -> None:
    cited = set()
    for path in (ROOT / "recommender").glob("*.py"):
        cited |= set(re.findall(r"\"([SDLPR][1-7])\"", path.read_text()))
    assert cited and cited <= set(RULES)
    body = client.get("/v1/rules").json()  # public: no token
    ids = [r["id"] for r in body["rules"]]
    assert {f"S{i}" for i in range(1, 8)} | {f"D{i}" for i in range(1, 8)} <= set(ids)
    assert {f"L{i}" for i in range(1, 5)} | {f"P{i}" for i in range(1, 7)} | {"R1"} <= set(ids)
    s3 = next(r for r in body["rules"] if r["id"] == "S3")
    assert "48 h" in s3["title"] and s3["numbers"]


def test_the_dashboard_pages_carry_no_inline_script_or_style(tmp_path: Path) -> None:
    """A strict CSP (script-src 'self'; style-src 'self') must not break the dashboard."""
    static = ROOT / "api" / "static"
    html = (static / "index.html").read_text()
    assert not re.search(r"<script(?![^>]*\bsrc=)[^>]*>", html), "inline <script>"
    assert "<style" not in html and " style=" not in html
    assert not re.search(r"\bon[a-z]+=", html), "inline event handler"
    for js in static.rglob("*.js"):
        text = js.read_text()
        assert "eval(" not in text and "new Function" not in text, js
        assert not re.search(r"(?<![-\w])[\"']?style[\"']?\s*:", text), f"style attribute in {js}"
        assert 'setAttribute("style"' not in text and ".innerHTML" not in text, js
    create_app(settings_for(tmp_path))  # the app still mounts the static folder
