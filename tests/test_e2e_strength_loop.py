"""End to end, the loop closed through a real ``legday serve`` with a synced folder: plan a trained
athlete's week → download the heavy day's FIT workout → "the watch" records the strength activity
for it (encoded with Garmin's SDK from that very workout, two extra reps on each last set) → the
file lands in the synced folder → the log shows the sets under catalogue ids → after a second such
week the next plan raises the squat per D6 (100 → 102.5 kg) and says why; the next workout file
carries the new weight."""

from __future__ import annotations

import time
from datetime import date, datetime, timedelta
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo

import httpx2
import pytest

from tests.api_support import gpx_run
from tests.serve_support import legday_serve
from tests.strength_fit import (
    performed_from_workout,
    steps_with_fitparse,
    steps_with_sdk,
    strength_activity_fit,
)

pytestmark = pytest.mark.slow
ZURICH = ZoneInfo("Europe/Zurich")
WEEK1 = date(2026, 10, 5)  # a Monday, weeks before the machine's today: plans as of that day
RACE = {"date": "2026-12-26", "name": "Winter trail", "distance_km": 42, "ascent_m": 2000}


def upload_runs(http: httpx2.Client, weeks: int) -> None:
    """Tuesday, Thursday and a Saturday long run, from ``weeks`` weeks before WEEK1 to its third
    week."""
    first = WEEK1 - timedelta(weeks=weeks)
    for w in range(weeks + 3):
        for day, km, climb in ((1, 8, 150), (3, 10, 300), (5, 18, 800)):
            local = datetime.combine(first + timedelta(weeks=w, days=day), datetime.min.time())
            start = local.replace(hour=7, tzinfo=ZURICH)
            run = gpx_run(start, km=km, climb=climb)
            r = http.post("/v1/activities", files={"file": ("run.gpx", run)})
            assert r.status_code == 201, r.text


def week_plan(http: httpx2.Client, week: date) -> dict[str, Any]:
    r = http.get("/v1/recommendation", params={"week": str(week), "as_of": str(week)})
    assert r.status_code == 200, r.text
    return r.json()  # type: ignore[no-any-return]


def heavy_day(plan: dict[str, Any]) -> tuple[date, dict[str, Any]]:
    (session,) = [s for s in plan["sessions"] if s["kind"] == "heavy_legs"]
    (squat,) = [x for x in session["exercises"] if x["id"] == "back_squat"]
    return date.fromisoformat(session["date"]), squat


def lift_at_the_watch(http: httpx2.Client, folder: Path, day: date) -> bytes:
    """Download ``day``'s workout, do it with two extra reps on each last set, drop the activity
    the watch records into the synced folder (written beside it, then moved in whole)."""
    workout = http.get(f"/v1/workouts/{day}.fit")
    assert workout.status_code == 200, workout.text
    assert workout.headers["content-type"] == "application/vnd.ant.fit"
    assert steps_with_sdk(workout.content) == steps_with_fitparse(workout.content)
    performed = performed_from_workout(workout.content, extra_reps_on_last_set=2)
    start = datetime.combine(day, datetime.min.time()).replace(hour=18, tzinfo=ZURICH)
    offset = int(start.utcoffset().total_seconds())  # type: ignore[union-attr]
    activity = strength_activity_fit(performed, start, utc_offset_s=offset, workout=workout.content)
    staged = folder.parent / f"{day}.fit.tmp"
    staged.write_bytes(activity)
    staged.replace(folder / f"Strength_{day}.fit")
    return workout.content


def logged_on(http: httpx2.Client, day: date, timeout_s: float = 90) -> list[dict[str, Any]]:
    """The day's strength log, once the sync has read the file."""
    deadline = time.monotonic() + timeout_s
    while True:
        entries = http.get("/v1/strength-log", params={"start": str(day), "end": str(day)})
        found: list[dict[str, Any]] = entries.json()["entries"]
        if found:
            return found
        assert time.monotonic() < deadline, http.get("/v1/sync").json()
        time.sleep(0.5)


def test_a_served_legday_closes_the_loop_from_plan_to_watch_and_back_to_a_heavier_plan(
    tmp_path: Path,
) -> None:
    folder = tmp_path / "watch-sync"
    folder.mkdir()
    env = {
        "LEGDAY_SYNC_FOLDERS": f"Tess={folder}",
        "LEGDAY_SYNC_INTERVAL": "1s",
        "LEGDAY_SYNC_SETTLE": "0",
    }
    with legday_serve(tmp_path, extra_env=env) as server:
        admin = {"Authorization": f"Bearer {server.admin_token()}"}
        with httpx2.Client(base_url=server.url, timeout=60) as http:
            made = http.post(
                "/v1/athletes", json={"name": "Tess", "timezone": "Europe/Zurich"}, headers=admin
            )
            assert made.status_code == 201, made.text
            http.headers["Authorization"] = f"Bearer {made.json()['token']}"
            profile = {"lifting_experience": "trained", "races": [RACE]}
            assert http.patch("/v1/me", json=profile).status_code == 200
            upload_runs(http, weeks=6)
            for name, kg in (("Back squat", 100), ("RDL", 80)):
                before = {"date": str(WEEK1 - timedelta(days=4)), "exercise": name,
                          "sets": [{"reps": 5, "load_kg": kg}] * 4}  # fmt: skip
                assert http.post("/v1/strength-log", json=before).status_code == 201

            week1 = week_plan(http, WEEK1)
            day1, squat1 = heavy_day(week1)
            assert (squat1["sets"], squat1["reps"], squat1["load_kg"]) == (4, 5, 100)
            lift_at_the_watch(http, folder, day1)
            logged = logged_on(http, day1)
            by_id = {e["exercise"]: e for e in logged}
            assert {"back_squat", "romanian_deadlift"} <= set(by_id)
            assert all(e["source"] == "watch" and not e["custom"] for e in logged)
            squat_sets = by_id["back_squat"]["sets"]
            assert [(s["reps"], s["load_kg"]) for s in squat_sets] == [
                (5, 100), (5, 100), (5, 100), (7, 100)
            ]  # fmt: skip

            week2 = week_plan(http, WEEK1 + timedelta(weeks=1))
            day2, squat2 = heavy_day(week2)
            assert squat2["load_kg"] == 100  # one session 2 reps over target is not 2-for-2 yet
            lift_at_the_watch(http, folder, day2)
            assert len(logged_on(http, day2)) == len(logged)

            week3 = week_plan(http, WEEK1 + timedelta(weeks=2))
            day3, squat3 = heavy_day(week3)
            assert squat3["load_kg"] == 102.5
            why = [r["text"] for r in week3["rationale"] if r["rule"] == "D6"]
            assert why and "back_squat: 2-for-2 (≥ 7 reps twice) → 100 → 102.5 kg" in why[0]
            next_workout = http.get(f"/v1/workouts/{day3}.fit")
            weights = {s.name: s.weight_kg for s in steps_with_sdk(next_workout.content)}
            assert weights["Back squat"] == 102.5

            status = http.get("/v1/sync").json()
            assert status["counts"]["ingested"] == 2 and status["counts"]["failed"] == 0
    assert "Traceback" not in server.output()
