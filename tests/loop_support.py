"""Builders for the closed-loop tests (strength log, workouts, watch files): a trained runner with
an A race (build phase) and weeks of runs, their week's plan, and what it prescribes."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta
from typing import Any

from fastapi.testclient import TestClient

from tests.api_support import gpx_run, new_athlete

FIRST = date(2026, 3, 2)  # a Monday; runs from here, plans from PLAN_WEEK
PLAN_WEEK = FIRST + timedelta(weeks=6)
A_RACE = {"date": "2026-07-04", "name": "Eiger 51", "distance_km": 51, "ascent_m": 3100}


def squat(day: date | str, *reps: int, kg: float = 100.0, name: str = "Back squat") -> dict:
    return {"date": str(day), "exercise": name, "sets": [{"reps": r, "load_kg": kg} for r in reps]}


def trained_runner(client: TestClient, weeks: int = 9) -> dict[str, str]:
    """A trained lifter with an A race ~12 weeks after PLAN_WEEK (build phase), who runs Tuesday,
    Thursday and a long run on Saturday from FIRST on."""
    _, auth = new_athlete(client, "Tess", timezone="Europe/Zurich")
    profile = {"lifting_experience": "trained", "races": [A_RACE]}
    assert client.patch("/v1/me", json=profile, headers=auth).status_code == 200
    for w in range(weeks):
        for day, km, climb in ((1, 8, 150), (3, 10, 300), (5, 18, 800)):
            start = datetime.combine(FIRST, datetime.min.time(), UTC) + timedelta(
                weeks=w, days=day, hours=6
            )
            r = client.post(
                "/v1/activities", files={"file": ("r.gpx", gpx_run(start, km=km, climb=climb))},
                headers=auth,
            )  # fmt: skip
            assert r.status_code == 201, r.text
    return auth


def plan(client: TestClient, auth: dict[str, str], week: date) -> dict[str, Any]:
    r = client.get(
        "/v1/recommendation", params={"week": str(week), "as_of": str(week)}, headers=auth
    )
    assert r.status_code == 200, r.text
    return r.json()  # type: ignore[no-any-return]


def heavy_squat(week_plan: dict[str, Any]) -> tuple[str, dict[str, Any]]:
    (heavy,) = [s for s in week_plan["sessions"] if s["kind"] == "heavy_legs"]
    (rx,) = [x for x in heavy["exercises"] if x["id"] == "back_squat"]
    return heavy["date"], rx


def d6(week_plan: dict[str, Any]) -> str:
    return " ".join(r["text"] for r in week_plan["rationale"] if r["rule"] == "D6")
