"""The dashboard in Debian's Chromium (Playwright, sync API) against a real ``legday serve``."""

from __future__ import annotations

import shutil
from pathlib import Path

import httpx2
import pytest

from tests.conftest import ROOT, SAMPLE_DATA
from tests.serve_support import legday_serve

pytestmark = [pytest.mark.browser, pytest.mark.slow]
CHROMIUM_ARGS = [
    "--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
    "--disable-background-networking", "--disable-component-update", "--disable-sync",
]  # fmt: skip
FILES = sorted((SAMPLE_DATA / "athlete").glob("*.*"))
BENCH_OUT = ROOT / "bench-out"


def test_an_athlete_signs_in_uploads_a_run_and_sees_the_chart_the_heavy_day_and_what_is_done(
    tmp_path: Path, chromium_path: str
) -> None:
    sync_api = pytest.importorskip("playwright.sync_api")
    *history, last = FILES
    with legday_serve(tmp_path) as server, httpx2.Client(base_url=server.url, timeout=60) as http:
        admin = {"Authorization": f"Bearer {server.admin_token()}"}
        created = http.post(
            "/v1/athletes", json={"name": "Sam", "timezone": "Europe/Zurich"}, headers=admin
        )
        token = created.json()["token"]
        for path in history:
            r = http.post(
                "/v1/activities", files={"file": (path.name, path.read_bytes())},
                headers={"Authorization": f"Bearer {token}"},
            )  # fmt: skip
            assert r.status_code in (200, 201), r.text
        auth = {"Authorization": f"Bearer {token}"}
        week = http.get("/v1/recommendation", headers=auth).json()
        if week["week_start"] < week["as_of"]:  # a day of this week before today: log a lift
            lift = {"date": week["week_start"], "exercise": "back_squat",
                    "sets": [{"reps": 5, "load_kg": 80}] * 3}  # fmt: skip
            assert http.post("/v1/strength-log", json=lift, headers=auth).status_code == 201
        with sync_api.sync_playwright() as p:
            browser = p.chromium.launch(
                executable_path=chromium_path, headless=True, args=CHROMIUM_ARGS
            )
            try:
                page = browser.new_page(viewport={"width": 1280, "height": 900})
                errors: list[str] = []
                page.on("pageerror", lambda e: errors.append(str(e)))
                page.on("requestfailed", lambda r: errors.append(f"failed: {r.url}"))
                page.goto(server.url + "/")
                page.get_by_label("Athlete token").fill("not-a-token")
                page.get_by_role("button", name="Sign in").click()
                sync_api.expect(page.locator("#signin-error")).to_contain_text("not accepted")

                page.get_by_label("Athlete token").fill(token)
                page.get_by_role("button", name="Sign in").click()
                sync_api.expect(page.locator("#athlete-name")).to_have_text("Sam")
                assert page.evaluate("localStorage.getItem('legday.token')") == token

                page.get_by_label("Watch file (.fit, .gpx, .fit.gz, .gpx.gz)").set_input_files(last)
                page.get_by_role("button", name="Upload").click()
                result = page.locator("#upload-result")
                sync_api.expect(result).to_contain_text(f"Added {last.name}", timeout=30_000)
                sync_api.expect(result).to_contain_text("Descent load")

                chart = page.locator("#chart svg")
                sync_api.expect(chart).to_be_visible()
                assert page.locator("#chart rect.bar-distance").count() == 12
                assert page.locator("#chart rect.bar-descent_load_m").count() == 12
                assert page.locator("#chart path.acwr-line").count() == 1
                assert page.locator("#chart-legend li").count() == 5

                plan = http.get(
                    "/v1/recommendation", headers={"Authorization": f"Bearer {token}"}
                ).json()
                heavy = page.locator("#week-strip li.heavy")
                if plan["heavy_leg_day"]:
                    sync_api.expect(heavy).to_have_count(1)
                    assert heavy.get_attribute("data-date") == plan["heavy_leg_day"]
                else:
                    sync_api.expect(heavy).to_have_count(0)
                done = [x["date"] for x in plan["sessions"] if x["done"]]
                assert done or week["week_start"] == week["as_of"]
                badges = page.locator("#week-strip li.done .badge.done")
                sync_api.expect(badges).to_have_count(len(done))
                assert [
                    page.locator("#week-strip li.done").nth(i).get_attribute("data-date")
                    for i in range(len(done))
                ] == done
                assert page.locator("#rationale li").count() == len(plan["rationale"])
                rows = page.locator("#activity-table tbody tr")
                assert rows.count() == 20
                sync_api.expect(rows.first).to_contain_text(last.name)  # newest first

                shots = save(page, tmp_path, "dashboard.png")
                page.set_viewport_size({"width": 375, "height": 812})
                page.wait_for_timeout(200)
                width = page.evaluate("document.documentElement.scrollWidth")
                assert width <= 375, f"the page scrolls sideways at 375 px ({width} px wide)"
                shots += save(page, tmp_path, "dashboard-375.png")
                assert not errors, errors
            finally:
                browser.close()
    print("\n".join(f"screenshot: {s}" for s in shots))


def save(page: object, tmp_path: Path, name: str) -> list[Path]:
    """A full-page screenshot in tmp_path, copied to bench-out/ (gitignored) to look at."""
    path = tmp_path / name
    page.screenshot(path=str(path), full_page=True)  # type: ignore[attr-defined]
    BENCH_OUT.mkdir(exist_ok=True)
    shutil.copy(path, BENCH_OUT / name)
    return [path, BENCH_OUT / name]
