"""Watch → legday: a strength-training FIT activity, encoded with Garmin's SDK the way a Garmin
watch writes one, becomes strength-log entries: each active set through the vocabulary (unknown
exercises kept as custom under the watch's names), rest sets left out, once only (uploaded twice,
synced again, inside an archive), linked to the activity and gone with it; it is the week's
heavy session when it holds the heavy lifts; a run the same day is kept beside it."""

from __future__ import annotations

import io
import zipfile
from collections.abc import Iterator
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import fitparse
import pytest
import sqlalchemy as sa
from fastapi.testclient import TestClient
from garmin_fit_sdk import Profile

from api.workout_fit import encode_workout
from ingest.decode.fit import _decode_with_fitparse, decode_fit
from ingest.measure.strength import strength_log
from ingest.measure.summary import MetricsProfile
from ingest.pipeline import PARSER_VERSION, parse_activity
from ingest.store import Store
from ingest.store.dedup import DedupKey, same_activity
from ingest.sync.job import run_sync
from recommender.types import ExerciseRx, Session
from tests.api_support import client_on, new_athlete
from tests.conftest import SAMPLE_DATA
from tests.store_fixtures import backend_store
from tests.strength_fit import (
    PerformedSet,
    fit_messages,
    performed_from_workout,
    strength_activity_fit,
)

MONDAY = datetime(2026, 3, 2, 17, 30, tzinfo=UTC)
SQUAT = ("squat", "barbell_back_squat")
RDL = ("deadlift", "romanian_deadlift")


def lifted(*sets: tuple[tuple[str, str] | None, int | None, float | None]) -> list[PerformedSet]:
    out = []
    for exercise, reps, kg in sets:
        category, name = exercise if exercise else (None, None)
        out.append(PerformedSet(category, name, reps, kg))
    return out


HEAVY_DAY = lifted(
    (SQUAT, 5, 100.0), (SQUAT, 5, 100.0), (SQUAT, 5, 100.0), (SQUAT, 7, 100.0),
    (RDL, 6, 80.0), (RDL, 6, 80.0), (RDL, 8, 80.0),
    (("curl", "barbell_biceps_curl"), 10, 30.0),
    (("sandbag", "back_squat"), 8, 40.0),
    (None, 12, None),
)  # fmt: skip


def heavy_day_fit(start: datetime = MONDAY) -> bytes:
    return strength_activity_fit(
        [*HEAVY_DAY, PerformedSet("plank", "side_plank", None, seconds=40.0)], start
    )


# --- the file, as both decoders read it -----------------------------------------------------


def test_a_watch_shaped_strength_file_decodes_with_the_sdk_and_fitparse() -> None:
    data = heavy_day_fit()
    sdk = fit_messages(data)
    assert sdk["session_mesgs"][0]["sport"] == "training"
    assert sdk["session_mesgs"][0]["sub_sport"] == "strength_training"
    assert {m["type"] for m in sdk["file_id_mesgs"]} == {"activity"}
    assert sdk["device_info_mesgs"] and sdk["lap_mesgs"] and sdk["activity_mesgs"]
    assert [e["event_type"] for e in sdk["event_mesgs"]] == ["start", "stop_all"]
    sets = sdk["set_mesgs"]
    assert [s["set_type"] for s in sets].count("active") == len(sets) // 2 == 11
    parsed = list(fitparse.FitFile(data).get_messages("set"))
    assert len(parsed) == len(sets)
    for ours, theirs in zip(sets, parsed, strict=True):
        values = {f.name: f.value for f in theirs.fields}
        assert values["set_type"] == ours["set_type"]
        assert values.get("repetitions") == ours.get("repetitions")
        assert values.get("weight") == ours.get("weight")
        assert category_name(values.get("category")) == ours.get("category")


def category_name(value: Any) -> Any:
    """fitparse's older profile gives the categories it does not know (sandbag, 44) as numbers."""
    names = Profile["types"]["exercise_category"]
    return names.get(value, value) if isinstance(value, int) else value


@pytest.mark.parametrize("decoder", ["sdk", "fitparse"])
def test_each_active_set_becomes_the_log_under_catalogue_ids_or_the_watchs_names(
    decoder: str,
) -> None:
    data = heavy_day_fit()
    track = decode_fit(data) if decoder == "sdk" else _decode_with_fitparse(data)
    logged = {(e.exercise, e.custom): e.sets for e in strength_log(track.sets)}
    assert logged == {
        ("back_squat", False): tuple({"reps": r, "load_kg": 100.0} for r in (5, 5, 5, 7)),
        ("romanian_deadlift", False): tuple({"reps": r, "load_kg": 80.0} for r in (6, 6, 8)),
        ("Barbell biceps curl", True): ({"reps": 10, "load_kg": 30.0},),
        ("Sandbag back squat", True): ({"reps": 8, "load_kg": 40.0},),
        ("Unnamed exercise", True): ({"reps": 12, "load_kg": None},),
        ("side_plank", False): ({"reps": 0, "load_kg": None, "seconds": 40},),
    }


def test_the_activity_is_a_strength_session_not_a_run() -> None:
    parsed = parse_activity(heavy_day_fit(), "Strength.fit", MetricsProfile("Europe/Zurich"))
    assert parsed.summary.sport == "other" and parsed.summary.distance_m == 0
    assert parsed.summary.km_effort == 0 and parsed.summary.local_date == MONDAY.date()
    assert parsed.parser_version == PARSER_VERSION and len(parsed.strength) == 6


def test_sets_done_from_a_legday_workout_come_back_as_the_exercises_prescribed() -> None:
    """Pogo hops have no FIT name and the tempo split squat shares the split squat's: the workout
    step each set was recorded under says which exercise it was."""
    day = MONDAY.date()
    tempo = "Tempo split squat (3-s lowering)"
    rx = (
        ExerciseRx("pogo_hops", "Pogo hops", "plyometrics", 2, reps=20, rest_s=60),
        ExerciseRx("tempo_split_squat", tempo, "single_leg", 2, reps=8, rest_s=90),
        ExerciseRx("back_squat", "Back squat", "squat", 2, reps=5, load_kg=100, rest_s=180),
    )
    workout = encode_workout(Session(day, "monday", "heavy_legs", rx), key="k")
    performed = performed_from_workout(workout, extra_reps_on_last_set=2)
    data = strength_activity_fit(performed, MONDAY, workout=workout)
    assert fit_messages(data)["workout_step_mesgs"], "the watch copies the workout in"
    logged = {e.exercise: e.sets for e in strength_log(decode_fit(data).sets)}
    assert set(logged) == {"pogo_hops", "tempo_split_squat", "back_squat"}
    assert [s["reps"] for s in logged["back_squat"]] == [5, 7]
    assert [s["load_kg"] for s in logged["back_squat"]] == [100.0, 100.0]


def test_a_strength_session_is_never_the_same_activity_as_a_run() -> None:
    start = MONDAY
    run = DedupKey(None, start, 1800.0, 0.0, "fit", sport="treadmill")
    lift = DedupKey(1, start + timedelta(seconds=20), 1750.0, 0.0, "fit", sport="other")
    assert not same_activity(run, lift)
    assert same_activity(lift, DedupKey(2, start, 1800.0, 0.0, "fit", sport="other"))


# --- through the API and the sync -----------------------------------------------------------


@pytest.fixture(params=["sqlite", pytest.param("postgresql", marks=pytest.mark.postgres)])
def client(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[TestClient]:
    url = request.getfixturevalue("postgres_url") if request.param == "postgresql" else None
    with client_on(request.param, tmp_path, url) as c:
        yield c


def upload(client: TestClient, auth: dict[str, str], data: bytes, name: str = "s.fit") -> Any:
    return client.post("/v1/activities", files={"file": (name, data)}, headers=auth)


def entries(client: TestClient, auth: dict[str, str]) -> list[dict[str, Any]]:
    return client.get("/v1/strength-log", headers=auth).json()["entries"]  # type: ignore[no-any-return]


def test_an_uploaded_strength_activity_fills_the_log_once_and_takes_it_away_when_deleted(
    client: TestClient,
) -> None:
    _, ana = new_athlete(client, "Ana", timezone="Europe/Zurich")
    first = upload(client, ana, heavy_day_fit())
    assert first.status_code == 201, first.text
    logged = entries(client, ana)
    assert {e["exercise"] for e in logged if not e["custom"]} == {
        "back_squat", "romanian_deadlift", "side_plank"
    }  # fmt: skip
    assert {e["name"] for e in logged if e["custom"]} == {
        "Barbell biceps curl", "Sandbag back squat", "Unnamed exercise"
    }  # fmt: skip
    assert all(e["source"] == "watch" and e["activity_id"] == first.json()["id"] for e in logged)
    assert all(e["date"] == "2026-03-02" for e in logged)
    again = upload(client, ana, heavy_day_fit(), name="again.fit")
    assert again.status_code == 200 and again.json()["duplicate_of"] == first.json()["id"]
    assert len(entries(client, ana)) == len(logged)
    gone = client.delete(f"/v1/activities/{first.json()['id']}", headers=ana)
    assert gone.status_code == 204
    assert entries(client, ana) == []


def test_a_run_and_a_strength_session_on_the_same_day_are_both_kept(client: TestClient) -> None:
    _, ana = new_athlete(client, "Ana", timezone="Europe/Zurich")
    run_file = sorted((SAMPLE_DATA / "athlete").glob("*easy-run.fit"))[0]
    run = upload(client, ana, run_file.read_bytes(), run_file.name)
    assert run.status_code == 201, run.text
    start = datetime.fromisoformat(run.json()["start"])
    lift = upload(client, ana, heavy_day_fit(start + timedelta(seconds=30)))
    assert lift.status_code == 201, lift.text
    assert lift.json()["duplicate_of"] is None and lift.json()["sport"] == "other"
    listed = client.get("/v1/activities", headers=ana).json()["activities"]
    assert sorted(a["sport"] for a in listed) == sorted(["other", run.json()["sport"]])
    assert all(a["duplicate_of"] is None for a in listed)
    week = client.get("/v1/weeks", params={"end": run.json()["local_date"], "count": 1},
                      headers=ana).json()["weeks"][0]  # fmt: skip
    assert week["runs"] == 1, "the strength session is not running load"


def test_a_strength_session_with_the_heavy_lifts_is_the_weeks_heavy_session(
    client: TestClient,
) -> None:
    _, ana = new_athlete(client, "Ana")
    assert upload(client, ana, heavy_day_fit()).status_code == 201
    plan = client.get(
        "/v1/recommendation", params={"week": "2026-03-02", "as_of": "2026-03-04"}, headers=ana
    ).json()
    heavy = [(s["date"], s["done"]) for s in plan["sessions"] if s["kind"] == "heavy_legs"]
    assert heavy == [("2026-03-02", True)]
    core_only = strength_activity_fit(
        [PerformedSet("plank", "side_plank", None, seconds=40.0)], MONDAY + timedelta(weeks=1)
    )
    assert upload(client, ana, core_only).status_code == 201
    plan = client.get(
        "/v1/recommendation", params={"week": "2026-03-09", "as_of": "2026-03-11"}, headers=ana
    ).json()
    done = [(s["date"], s["kind"]) for s in plan["sessions"] if s["done"]]
    assert done == [("2026-03-09", "light")]
    assert any(s["kind"] == "heavy_legs" and not s["done"] for s in plan["sessions"])


@pytest.fixture(params=["sqlite", pytest.param("postgresql", marks=pytest.mark.postgres)])
def store(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[Store]:
    with backend_store(request, tmp_path) as s:
        yield s


def test_strength_files_synced_from_a_folder_and_an_archive_are_logged_once(
    store: Store, tmp_path: Path
) -> None:
    athlete, _ = store.create_athlete("ana")
    folder = tmp_path / "watch"
    (folder / "Garmin").mkdir(parents=True)
    (folder / "Garmin" / "monday.fit").write_bytes(heavy_day_fit())
    archive = io.BytesIO()
    with zipfile.ZipFile(archive, "w") as z:
        z.writestr("activities/thursday.fit", heavy_day_fit(MONDAY + timedelta(days=3)))
    (folder / "export.zip").write_bytes(archive.getvalue())
    first = run_sync(store, folder, athlete.id, settle_s=0)
    assert first.status == "ok", first
    logged = store.list_strength(athlete.id)
    assert sorted({e.date.isoformat() for e in logged}) == ["2026-03-02", "2026-03-05"]
    squats = [e for e in logged if e.exercise == "back_squat"]
    assert [len(e.sets) for e in squats] == [4, 4]
    assert all(e.activity_id is not None for e in logged)
    (folder / "copy-of-monday.fit").write_bytes(heavy_day_fit())
    run_sync(store, folder, athlete.id, settle_s=0)
    assert store.list_strength(athlete.id) == logged


def test_reprocessing_logs_the_sets_of_a_strength_file_stored_before_legday_read_them(
    store: Store,
) -> None:
    athlete, _ = store.create_athlete("ana")
    parsed = parse_activity(heavy_day_fit(), "old.fit", athlete.metrics_profile())
    old = type(parsed)(**{**parsed.__dict__, "strength": (), "parser_version": 2})
    store.add_activity(athlete.id, old)
    assert store.list_strength(athlete.id) == []
    report = store.reprocess()
    assert report.updated == 1 and report.failed == 0
    assert {e.exercise for e in store.list_strength(athlete.id) if not e.custom} == {
        "back_squat", "romanian_deadlift", "side_plank"
    }  # fmt: skip
    store.reprocess()
    assert len(store.list_strength(athlete.id)) == 6, "reprocessing twice adds nothing"


def test_the_sets_go_in_with_the_activity_or_not_at_all(store: Store) -> None:
    """One transaction: a strength write that fails leaves neither the activity nor its sets."""
    athlete, _ = store.create_athlete("ana")
    parsed = parse_activity(heavy_day_fit(), "s.fit", athlete.metrics_profile())
    broken = type(parsed)(**{**parsed.__dict__, "strength": (*parsed.strength, None)})
    with pytest.raises(AttributeError):
        store.add_activity(athlete.id, broken)  # type: ignore[arg-type]
    assert store.list_activities(athlete.id) == [] and store.list_strength(athlete.id) == []
    with store.engine.connect() as conn:
        assert conn.execute(sa.text("select count(*) from strength_log")).scalar_one() == 0
