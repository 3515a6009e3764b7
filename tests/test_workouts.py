"""legday → watch: every planned session as a FIT workout (Garmin's SDK Encoder), read back with
both the SDK and fitparse and checked step by step against the plan; served at
/v1/workouts/{date}.fit and at the link in each calendar event; exported by the CLI."""

from __future__ import annotations

import io
import subprocess
import sys
from collections.abc import Iterator
from datetime import date, timedelta
from pathlib import Path
from typing import Any

import pytest
from fastapi.testclient import TestClient
from icalendar import Calendar
from rich.console import Console

from api.cli.main import main
from api.settings import Settings
from api.workout_fit import encode_workout, file_name
from recommender.fit_exercises import FIT_EXERCISES
from recommender.types import ExerciseRx, Session
from tests.api_support import NOW, client_on, settings_for
from tests.loop_support import PLAN_WEEK, trained_runner
from tests.strength_fit import (
    expected_steps,
    fit_messages,
    steps_with_fitparse,
    steps_with_sdk,
)

DECODERS = {"garmin-fit-sdk": steps_with_sdk, "fitparse": steps_with_fitparse}


def session(*exercises: ExerciseRx, day: date = date(2026, 4, 14)) -> Session:
    return Session(day, "tuesday", "heavy_legs", exercises, note="Plyometrics first.")


def rx_json(rx: ExerciseRx) -> dict[str, Any]:
    return {k: getattr(rx, k) for k in ("id", "name", "sets", "reps", "seconds", "load_kg",
                                        "rest_s")}  # fmt: skip


SQUAT = ExerciseRx("back_squat", "Back squat", "squat", 4, reps=5, load_kg=102.5, rest_s=180)
POGO = ExerciseRx("pogo_hops", "Pogo hops", "plyometrics", 2, reps=20, rest_s=60)
WALL_SIT = ExerciseRx("wall_sit", "Wall sit", "strength_endurance", 2, seconds=45, rest_s=60)
PLANK = ExerciseRx("side_plank", "Side plank", "anti_rotation", 1, seconds=30)


@pytest.mark.parametrize("decoder", sorted(DECODERS))
def test_a_session_becomes_steps_with_exercises_reps_weights_rests_and_repeats(
    decoder: str,
) -> None:
    exercises = (POGO, SQUAT, WALL_SIT, PLANK)
    data = encode_workout(session(*exercises), key="athlete-1")
    assert DECODERS[decoder](data) == expected_steps([rx_json(x) for x in exercises])


def test_the_file_is_a_strength_training_workout_named_for_the_session() -> None:
    data = encode_workout(session(SQUAT), key="athlete-1")
    messages = fit_messages(data)
    (file_id,) = messages["file_id_mesgs"]
    (workout,) = messages["workout_mesgs"]
    assert file_id["type"] == "workout" and file_id["serial_number"] > 0
    assert workout["sport"] == "training" and workout["sub_sport"] == "strength_training"
    assert workout["wkt_name"] == "Heavy legs · Tue 14 Apr"
    assert workout["num_valid_steps"] == len(messages["workout_step_mesgs"]) == 3
    (squat_step,) = [s for s in messages["workout_step_mesgs"] if s.get("wkt_step_name")
                     == "Back squat"]  # fmt: skip
    assert squat_step["exercise_category"] == "squat" and squat_step["exercise_weight"] == 102.5
    assert squat_step["weight_display_unit"] == "kilogram"
    assert squat_step["notes"] == "4 × 5 @ 102.5 kg, rest 180 s"
    assert file_name(session(SQUAT)) == "2026-04-14-heavy-legs.fit"


def test_an_exercise_fit_has_no_name_for_is_a_step_named_for_it_without_a_category() -> None:
    none = [i for i, f in FIT_EXERCISES.items() if f is None]
    assert "pogo_hops" in none
    (step, *_) = steps_with_sdk(encode_workout(session(POGO), key="k"))
    assert step.name == "Pogo hops" and step.category is None and step.exercise_name is None
    assert step.reps == 20


def test_the_same_plan_gives_the_same_bytes_and_a_changed_one_a_new_serial() -> None:
    one = encode_workout(session(SQUAT), key="athlete-1")
    assert encode_workout(session(SQUAT), key="athlete-1") == one
    heavier = ExerciseRx("back_squat", "Back squat", "squat", 4, reps=5, load_kg=105, rest_s=180)
    serial = fit_messages(one)["file_id_mesgs"][0]["serial_number"]
    for other in (encode_workout(session(heavier), key="athlete-1"),
                  encode_workout(session(SQUAT), key="athlete-2")):  # fmt: skip
        assert fit_messages(other)["file_id_mesgs"][0]["serial_number"] != serial


# --- over HTTP ---------------------------------------------------------------------------------


@pytest.fixture(params=["sqlite", pytest.param("postgresql", marks=pytest.mark.postgres)])
def client(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[TestClient]:
    url = request.getfixturevalue("postgres_url") if request.param == "postgresql" else None
    with client_on(request.param, tmp_path, url) as c:
        yield c


@pytest.mark.slow
def test_every_planned_session_downloads_as_a_workout_that_matches_the_plan(
    client: TestClient,
) -> None:
    auth = trained_runner(client)
    client.post(
        "/v1/strength-log",
        json={"date": "2026-03-02", "exercise": "Back squat",
              "sets": [{"reps": 5, "load_kg": 100}] * 4},
        headers=auth,
    )  # fmt: skip
    week = client.get("/v1/recommendation", params={"week": str(PLAN_WEEK)}, headers=auth).json()
    assert len(week["sessions"]) >= 2
    for planned in week["sessions"]:
        r = client.get(f"/v1/workouts/{planned['date']}.fit", headers=auth)
        assert r.status_code == 200, r.text
        assert r.headers["content-type"] == "application/vnd.ant.fit"
        assert f'filename="{planned["date"]}-' in r.headers["content-disposition"]
        for decoder in DECODERS.values():
            assert decoder(r.content) == expected_steps(planned["exercises"]), planned["date"]
    heavy = next(s for s in week["sessions"] if s["kind"] == "heavy_legs")
    squat = next(x for x in heavy["exercises"] if x["id"] == "back_squat")
    assert squat["load_kg"], "a logged lift gives the step its weight in kg"


@pytest.mark.slow
def test_a_day_without_a_session_is_404_json_and_a_bad_date_422(client: TestClient) -> None:
    auth = trained_runner(client, weeks=7)
    week = client.get("/v1/recommendation", params={"week": str(PLAN_WEEK)}, headers=auth).json()
    planned = {s["date"] for s in week["sessions"]}
    free = next(
        d for d in (PLAN_WEEK + timedelta(days=i) for i in range(7)) if str(d) not in planned
    )
    r = client.get(f"/v1/workouts/{free}.fit", headers=auth)
    assert r.status_code == 404 and r.json()["detail"].startswith("no strength session planned")
    assert client.get("/v1/workouts/2026-02-30.fit", headers=auth).status_code == 422
    assert client.get(f"/v1/workouts/{free}.fit").status_code == 401


@pytest.mark.slow
def test_each_calendar_event_links_its_workout_and_the_link_serves_it(client: TestClient) -> None:
    auth = trained_runner(client, weeks=3)
    feed_url = client.get("/v1/me", headers=auth).json()["calendar_url"]
    events = list(Calendar.from_ical(client.get(feed_url).content).walk("VEVENT"))
    assert events
    for event in events:
        day = event.start.isoformat()
        link = str(event["URL"])
        assert link == f"{feed_url.removesuffix('.ics')}/workouts/{day}.fit"
        assert f"Workout for the watch (FIT): {link}" in str(event["DESCRIPTION"])
        by_link = client.get(link)  # no bearer token: the feed's secret is the key
        assert by_link.status_code == 200, by_link.text
        assert by_link.content == client.get(f"/v1/workouts/{day}.fit", headers=auth).content
    token = feed_url.rsplit("/", 1)[1].removesuffix(".ics")
    wrong = client.get(f"/v1/calendar/{token[:-1]}x/workouts/{events[0].start}.fit")
    assert wrong.status_code == 404 and wrong.json() == {"detail": "no such calendar"}


# --- the command line --------------------------------------------------------------------------


@pytest.mark.slow
def test_workouts_export_writes_one_fit_per_planned_session_into_the_folder(
    tmp_path: Path,
) -> None:
    settings = settings_for(tmp_path / "data")
    with client_on("sqlite", tmp_path) as client:
        auth = trained_runner(client, weeks=7)
        week = client.get(
            "/v1/recommendation", params={"week": str(PLAN_WEEK)}, headers=auth
        ).json()
    watch = tmp_path / "GARMIN" / "NewFiles"

    def export(*extra: str) -> tuple[int, str]:
        out = io.StringIO()
        code = main(
            ["workouts", "export", "--athlete", "Tess", "--week", str(PLAN_WEEK), *extra],
            settings=Settings(data_dir=settings.data_dir),
            console=Console(file=out, width=200, color_system=None),
            clock=lambda: NOW,
        )
        return code, out.getvalue()

    code, out = export(str(watch))
    assert code == 0, out
    written = sorted(watch.iterdir())
    assert [p.name for p in written] == sorted(
        f"{s['date']}-{s['kind'].replace('_', '-')}.fit" for s in week["sessions"]
    )
    for planned in week["sessions"]:
        data = (watch / f"{planned['date']}-{planned['kind'].replace('_', '-')}.fit").read_bytes()
        assert steps_with_sdk(data) == steps_with_fitparse(data)
        assert steps_with_sdk(data) == expected_steps(planned["exercises"])
    stamps = [p.stat().st_mtime_ns for p in written]
    assert export(str(watch))[0] == 0
    assert [p.stat().st_mtime_ns for p in sorted(watch.iterdir())] == stamps, "rewrote files"
    blocked = tmp_path / "a-file"
    blocked.write_text("not a folder")
    code, out = export(str(blocked / "NewFiles"))
    assert code == 2 and "cannot write to" in out and "Traceback" not in out


def test_legday_help_stays_light_with_the_workouts_command() -> None:
    probe = (
        "import sys; from api.cli.main import build_parser; build_parser();"
        "heavy = {'fastapi', 'sqlalchemy', 'pandas', 'pydantic', 'rich', 'garmin_fit_sdk'};"
        "print(sorted(heavy & {m.split('.')[0] for m in sys.modules}))"
    )
    out = subprocess.run(
        [sys.executable, "-c", probe], capture_output=True, text=True, check=True
    ).stdout
    assert out.strip() == "[]"
    helped = subprocess.run(
        [sys.executable, "-m", "api", "workouts", "export", "--help"],
        capture_output=True,
        text=True,
        check=False,
    )
    assert helped.returncode == 0 and "NewFiles" in helped.stdout
