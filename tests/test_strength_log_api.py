"""The strength log in plain words: names and aliases resolve to catalogue ids, unknown ones get
suggestions (or are kept as custom), unknown fields are refused, entries are edited and deleted,
an implausible set is flagged and left out of the plan until confirmed, one check-in a day; and
progressive overload (D6) reached with human names only. SQLite and PostgreSQL."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import timedelta
from pathlib import Path
from typing import Any

import pytest
from fastapi.testclient import TestClient

from tests.api_support import client_on, new_athlete
from tests.loop_support import A_RACE, PLAN_WEEK, d6, heavy_squat, plan, squat, trained_runner


@pytest.fixture(params=["sqlite", pytest.param("postgresql", marks=pytest.mark.postgres)])
def client(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[TestClient]:
    url = request.getfixturevalue("postgres_url") if request.param == "postgresql" else None
    with client_on(request.param, tmp_path, url) as c:
        yield c


@pytest.fixture
def ana(client: TestClient) -> dict[str, str]:
    return new_athlete(client, "Ana")[1]


def log(client: TestClient, auth: dict[str, str], **entry: Any) -> Any:
    return client.post("/v1/strength-log", json=entry, headers=auth)


@pytest.mark.parametrize(
    ("typed", "stored"),
    [
        ("Back squat", "back_squat"),
        ("back-squats", "back_squat"),
        ("RDL", "romanian_deadlift"),
        ("Romanian deadlift", "romanian_deadlift"),
        ("BSS", "bulgarian_split_squat"),
        ("Bulgarian split squat", "bulgarian_split_squat"),
        ("step ups", "step_up"),
    ],
)
def test_a_lift_logged_in_plain_words_is_stored_under_its_catalogue_id(
    client: TestClient, ana: dict[str, str], typed: str, stored: str
) -> None:
    r = log(client, ana, date="2026-03-03", exercise=typed, sets=[{"reps": 5, "load_kg": 60}])
    assert r.status_code == 201, r.text
    assert r.json()["exercise"] == stored and r.json()["custom"] is False
    (entry,) = client.get("/v1/strength-log", headers=ana).json()["entries"]
    assert entry["exercise"] == stored and entry["source"] == "manual"


def test_an_unknown_exercise_is_422_with_the_three_closest(
    client: TestClient, ana: dict[str, str]
) -> None:
    r = log(client, ana, date="2026-03-03", exercise="bak squat", sets=[{"reps": 5}])
    assert r.status_code == 422
    detail = r.json()["detail"]
    assert detail.startswith("exercise: unknown exercise 'bak squat'; closest: Back squat")
    assert detail.count("(") >= 3 and '"custom": true' in detail
    assert client.get("/v1/strength-log", headers=ana).json()["entries"] == []


def test_a_custom_exercise_is_kept_under_its_name_shown_and_drives_no_rule(
    client: TestClient, ana: dict[str, str]
) -> None:
    r = log(
        client, ana, date="2026-03-02", exercise="Hip  thrust", custom=True,
        sets=[{"reps": 8, "load_kg": 120}],
    )  # fmt: skip
    assert r.status_code == 201, r.text
    assert r.json()["exercise"] == r.json()["name"] == "Hip thrust" and r.json()["custom"]
    plan = client.get(
        "/v1/recommendation", params={"week": "2026-03-02", "as_of": "2026-03-04"}, headers=ana
    ).json()
    assert not any(s["done"] for s in plan["sessions"]), "a custom lift made a session done"
    # A control character in the name is refused naming the field (issue 14, finding 10: names
    # and labels hold none), never stored nor a 500; spaces are still collapsed.
    odd = log(client, ana, date="2026-03-02", exercise="Nordic\x00 curl\n", custom=True,
              sets=[{"reps": 5}])  # fmt: skip
    assert odd.status_code == 422 and "exercise" in odd.json()["detail"]
    assert "control characters" in odd.json()["detail"]
    spaced = log(client, ana, date="2026-03-02", exercise=" Nordic   curl ", custom=True,
                 sets=[{"reps": 5}])  # fmt: skip
    assert spaced.status_code == 201 and spaced.json()["exercise"] == "Nordic curl"
    known = log(client, ana, date="2026-03-03", exercise="back squat", custom=True,
                sets=[{"reps": 5}])  # fmt: skip
    assert known.json()["exercise"] == "back_squat" and known.json()["custom"] is False


@pytest.mark.parametrize(
    ("path", "body"),
    [
        ("/v1/strength-log", {**squat("2026-03-03", 5), "weight": 80}),
        ("/v1/strength-log",
         {"date": "2026-03-03", "exercise": "RDL", "sets": [{"reps": 5, "weight": 80}]}),
        ("/v1/checkins", {"date": "2026-03-03", "sleep": 7}),
    ],
)  # fmt: skip
def test_a_field_the_api_does_not_know_is_422_naming_it(
    client: TestClient, ana: dict[str, str], path: str, body: dict[str, Any]
) -> None:
    r = client.post(path, json=body, headers=ana)
    assert r.status_code == 422
    assert "weight" in r.json()["detail"] or "sleep" in r.json()["detail"]
    assert "Extra inputs are not permitted" in r.json()["detail"]


def test_every_request_body_refuses_unknown_fields(client: TestClient, ana: dict[str, str]) -> None:
    race = {"date": "2026-09-01", "name": "x", "distance": 50}
    assert client.patch("/v1/me", json={"races": [race]}, headers=ana).status_code == 422
    typo = client.patch("/v1/me", json={"hr_rest": 50, "hrmax": 190}, headers=ana)
    assert typo.status_code == 422 and "hrmax" in typo.json()["detail"]
    admin = {"Authorization": "Bearer admin-token-for-tests"}
    r = client.post("/v1/athletes", json={"name": "Bo", "tz": "UTC"}, headers=admin)
    assert r.status_code == 422
    entry = log(client, ana, **squat("2026-03-03", 5)).json()
    r = client.patch(f"/v1/strength-log/{entry['id']}", json={"load": 90}, headers=ana)
    assert r.status_code == 422 and "load" in r.json()["detail"]


def test_a_race_keeps_its_descent(client: TestClient, ana: dict[str, str]) -> None:
    race = {**A_RACE, "descent_m": 3300}
    me = client.patch("/v1/me", json={"races": [race]}, headers=ana).json()
    assert me["races"][0]["descent_m"] == 3300


def test_an_entry_is_edited_and_deleted_and_only_by_its_athlete(
    client: TestClient, ana: dict[str, str]
) -> None:
    _, bo = new_athlete(client, "Bo")
    entry = log(client, ana, **squat("2026-03-03", 5, 5, kg=800)).json()
    other = client.patch(f"/v1/strength-log/{entry['id']}", json={"date": "2026-03-04"}, headers=bo)
    assert other.status_code == 404
    fixed = client.patch(
        f"/v1/strength-log/{entry['id']}",
        json={"sets": [{"reps": 5, "load_kg": 80}, {"reps": 5, "load_kg": 80}], "exercise": "RDL"},
        headers=ana,
    )
    assert fixed.status_code == 200, fixed.text
    assert fixed.json()["exercise"] == "romanian_deadlift"
    assert [s["load_kg"] for s in fixed.json()["sets"]] == [80, 80]
    assert client.patch(f"/v1/strength-log/{entry['id']}", json={"date": None},
                        headers=ana).status_code == 422  # fmt: skip
    assert client.delete(f"/v1/strength-log/{entry['id']}", headers=bo).status_code == 404
    assert client.delete(f"/v1/strength-log/{entry['id']}", headers=ana).status_code == 204
    assert client.delete(f"/v1/strength-log/{entry['id']}", headers=ana).status_code == 404
    assert client.get("/v1/strength-log", headers=ana).json()["entries"] == []


def test_a_second_checkin_for_a_day_replaces_the_first(
    client: TestClient, ana: dict[str, str]
) -> None:
    first = client.post("/v1/checkins", json={"date": "2026-03-03", "sleep_hours": 5,
                                              "note": "bad night"}, headers=ana)  # fmt: skip
    second = client.post("/v1/checkins", json={"date": "2026-03-03", "sleep_hours": 8},
                         headers=ana)  # fmt: skip
    assert first.status_code == second.status_code == 201
    (only,) = client.get("/v1/checkins", headers=ana).json()["checkins"]
    assert only["id"] == first.json()["id"] and only["sleep_hours"] == 8 and only["note"] is None


@pytest.mark.slow
def test_two_weeks_logged_in_plain_words_raise_the_squat_per_d6(client: TestClient) -> None:
    auth = trained_runner(client)
    before = PLAN_WEEK - timedelta(days=5)
    assert log(client, auth, **squat(before, 5, 5, 5, 5)).status_code == 201
    week1 = plan(client, auth, PLAN_WEEK)
    day1, rx1 = heavy_squat(week1)
    assert rx1["reps"] == 5 and rx1["load_kg"] == 100, rx1
    assert "kept at last 100 kg" in d6(week1)
    assert log(client, auth, **squat(day1, 5, 5, 5, 7, name="back-squats")).status_code == 201
    week2 = plan(client, auth, PLAN_WEEK + timedelta(weeks=1))
    day2, rx2 = heavy_squat(week2)
    assert rx2["load_kg"] == 100  # one session with 2 extra reps is not yet 2-for-2
    assert log(client, auth, **squat(day2, 5, 5, 5, 7, name="BACK SQUATS")).status_code == 201
    week3 = plan(client, auth, PLAN_WEEK + timedelta(weeks=2))
    _, rx3 = heavy_squat(week3)
    assert rx3["load_kg"] == 102.5
    assert "2-for-2 (≥ 7 reps twice) → 100 → 102.5 kg" in d6(week3)


@pytest.mark.slow
def test_an_implausible_set_is_flagged_and_ignored_by_the_plan_until_confirmed(
    client: TestClient,
) -> None:
    auth = trained_runner(client, weeks=7)
    assert log(client, auth, **squat(PLAN_WEEK - timedelta(days=12), 5, 5, 5, 5)).status_code == 201
    typo = log(client, auth, **squat(PLAN_WEEK - timedelta(days=5), 5, 5, 5, 5, kg=800)).json()
    assert typo["flagged"] and "e1RM of 933 kg" in typo["flagged"] and not typo["confirmed"]
    assert "ignores it until it is confirmed" in typo["flagged"]
    _, rx = heavy_squat(plan(client, auth, PLAN_WEEK))
    assert rx["load_kg"] == 100, "the 800-kg typo reached the plan"
    confirmed = client.patch(
        f"/v1/strength-log/{typo['id']}", json={"confirmed": True}, headers=auth
    ).json()
    assert confirmed["confirmed"] and "ignores" not in confirmed["flagged"]
    _, rx = heavy_squat(plan(client, auth, PLAN_WEEK))
    assert rx["load_kg"] == 800, "a confirmed set is history like any other"
    changed = client.patch(
        f"/v1/strength-log/{typo['id']}",
        json={"sets": [{"reps": 5, "load_kg": 810}]},
        headers=auth,
    ).json()
    assert not changed["confirmed"] and changed["flagged"], "new numbers need a new confirmation"


@pytest.mark.slow
def test_a_heavy_day_logged_in_plain_words_counts_as_the_weeks_heavy_session(
    client: TestClient,
) -> None:
    auth = trained_runner(client, weeks=8)
    monday = PLAN_WEEK + timedelta(weeks=1)
    r = log(client, auth, **squat(monday, 5, 5, 5, 5, kg=90, name="Back Squats"))
    assert r.status_code == 201
    mid_week = client.get(
        "/v1/recommendation",
        params={"week": str(monday), "as_of": str(monday + timedelta(days=2))},
        headers=auth,
    ).json()
    heavy = [s for s in mid_week["sessions"] if s["kind"] == "heavy_legs"]
    assert [(s["date"], s["done"]) for s in heavy] == [(str(monday), True)]
