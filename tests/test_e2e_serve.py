"""End to end: a real ``legday serve`` process, the sample athlete's files uploaded over HTTP."""

from __future__ import annotations

from pathlib import Path

import httpx2
import pytest

from tests.conftest import SAMPLE_DATA
from tests.serve_support import legday_serve

pytestmark = pytest.mark.slow
FILES = sorted((SAMPLE_DATA / "athlete").glob("*.*"))


def test_a_served_legday_ingests_the_sample_athlete_and_plans_their_week(tmp_path: Path) -> None:
    assert len(FILES) >= 40, "sample_data/athlete/ holds the generated history"
    with legday_serve(tmp_path) as server:
        admin = server.admin_token()
        assert server.output().count(admin) == 1  # printed once on first start
        with httpx2.Client(base_url=server.url, timeout=60) as http:
            created = http.post(
                "/v1/athletes",
                json={"name": "Sam", "timezone": "Europe/Zurich"},
                headers={"Authorization": f"Bearer {admin}"},
            )
            assert created.status_code == 201, created.text
            sam = {"Authorization": f"Bearer {created.json()['token']}"}
            statuses: dict[int, int] = {}
            for path in FILES:
                r = http.post(
                    "/v1/activities", files={"file": (path.name, path.read_bytes())}, headers=sam
                )
                assert r.status_code in (200, 201), (path.name, r.text)
                statuses[r.status_code] = statuses.get(r.status_code, 0) + 1
            assert statuses[201] >= 40
            listed = http.get("/v1/activities", headers=sam).json()["activities"]
            assert len(listed) == len(FILES)
            weeks = http.get("/v1/weeks", params={"end": "2026-11-29"}, headers=sam).json()["weeks"]
            assert len(weeks) == 12 and all(w["distance_km"] > 0 for w in weeks)
            assert weeks[-1]["acwr"] is not None
            plan = http.get(
                "/v1/recommendation",
                params={"week": "2026-11-30", "as_of": "2026-11-30"},
                headers=sam,
            )
            assert plan.status_code == 200, plan.text
            body = plan.json()
            assert body["week_start"] == "2026-11-30"
            assert body["inputs"]["weekly_distance_km"] > 0 and body["rationale"]
            assert http.get("/v1/recommendation", headers=sam).status_code == 200
            feed = http.get(http.get("/v1/me", headers=sam).json()["calendar_url"])
            assert feed.status_code == 200 and feed.text.startswith("BEGIN:VCALENDAR")
    assert "Traceback" not in server.output()
