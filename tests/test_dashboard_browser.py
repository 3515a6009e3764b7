"""The dashboard in Debian's Chromium (Playwright) against a real ``legday serve``, at 1280 px and
375 px, under a strict Content-Security-Policy, with axe-core on every page."""

from __future__ import annotations

import re
from collections.abc import Iterator
from datetime import date, timedelta
from pathlib import Path
from typing import Any

import httpx2
import pytest

from tests.dashboard_support import (
    CHROMIUM_ARGS,
    FILES,
    Requests,
    Site,
    Watch,
    add_athlete,
    axe_serious,
    mark_calendar_reissued,
    shot,
)
from tests.serve_support import legday_serve

pytestmark = [pytest.mark.browser, pytest.mark.slow]
WIDTHS = {1280: "Sam", 375: "Kim"}


@pytest.fixture(scope="module")
def site(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Site]:
    tmp = tmp_path_factory.mktemp("dashboard")
    with legday_serve(tmp) as server, httpx2.Client(base_url=server.url, timeout=60) as http:
        s = Site(server.url, server.admin_token(), data_dir=server.data_dir)
        for name in WIDTHS.values():
            add_athlete(http, s, name, FILES)
        add_athlete(http, s, "New", [])
        yield s


@pytest.fixture(scope="module")
def browser(chromium_path: str) -> Iterator[Any]:
    sync_api = pytest.importorskip("playwright.sync_api")
    with sync_api.sync_playwright() as p:
        b = p.chromium.launch(executable_path=chromium_path, headless=True, args=CHROMIUM_ARGS)
        try:
            yield b
        finally:
            b.close()


def expect() -> Any:
    return pytest.importorskip("playwright.sync_api").expect


def accessible(page: Any, what: str) -> None:
    serious = axe_serious(page)
    assert not serious, f"{what}: " + "\n".join(serious)


def nav(page: Any, name: str) -> None:
    page.get_by_role("navigation", name="Pages").get_by_role("link", name=name).click()


def open_as(browser: Any, site: Site, name: str, width: int) -> tuple[Any, Any, Watch]:
    """A fresh browser context at this width, signed in as ``name`` through a sign-in link."""
    context = browser.new_context(viewport={"width": width, "height": 900})
    page = context.new_page()
    watch = Watch(page)
    page.goto(f"{site.url}/#token={site.tokens[name]}")
    expect()(page.locator("#athlete-name")).to_have_text(name)
    return context, page, watch


def get(site: Site, name: str, path: str) -> Any:
    r = httpx2.get(site.url + path, headers=site.auth(name), timeout=60)
    assert r.status_code == 200, r.text
    return r.json()


@pytest.mark.parametrize("width", sorted(WIDTHS))
def test_a_runner_logs_the_heavy_day_checks_in_adds_a_race_and_sees_the_plan_change(
    site: Site, browser: Any, width: int
) -> None:
    name = WIDTHS[width]
    ex = expect()
    context = browser.new_context(viewport={"width": width, "height": 900})
    page = context.new_page()
    watch = Watch(page)
    tag = f"{width}"
    if width == 1280:  # the sign-in form; a wrong token is refused in place
        page.goto(site.url + "/")
        ex(page.get_by_role("heading", name="Sign in")).to_be_visible()
        ex(page.get_by_role("button", name="Sign out")).to_be_hidden()
        accessible(page, "sign-in page")
        shot(page, "signin-1280.png")
        page.get_by_label("Athlete token").fill("not-a-token")
        page.get_by_role("button", name="Sign in").click()
        ex(page.locator("#signin-error")).to_contain_text("not accepted")
        page.get_by_label("Athlete token").fill(site.tokens[name])
        page.get_by_role("button", name="Sign in").click()
    else:  # the link `legday athletes token NAME` prints
        page.goto(f"{site.url}/#token={site.tokens[name]}")
    ex(page.locator("#athlete-name")).to_have_text(name)
    assert "token" not in page.url, "the token stays in the address bar"
    ex(page.locator("#week-title")).to_have_text("This week")
    heavy_now = page.locator(".week-strip li.heavy")
    ex(heavy_now).to_have_count(1)
    assert heavy_now.locator(".minutes").inner_text().startswith(" · ~")
    ex(page.locator(".rationale li").first.locator(".numbers")).not_to_be_empty()
    ex(page.locator(".outlook li")).to_have_count(4)
    accessible(page, "week page")
    shot(page, f"week-{tag}.png")
    plan_before = get(site, name, "/v1/recommendation")

    # last week's heavy day, logged as done with one changed set
    page.get_by_role("link", name="‹ Previous week").click()
    ex(page.locator("#week-title")).to_contain_text("(past)")
    heavy = page.locator(".week-strip li.heavy")
    ex(heavy).to_have_count(1)
    day = heavy.get_attribute("data-date")
    heavy.get_by_role("button", name="Change sets…").click()
    dialog = page.locator("dialog.log-dialog")
    ex(dialog).to_be_visible()
    blocks = dialog.locator("fieldset.exercise")
    ids = [blocks.nth(i).get_attribute("data-exercise") for i in range(blocks.count())]
    lift = next((i for i in ids if "squat" in i or "deadlift" in i), ids[0])
    block = dialog.locator(f"fieldset.exercise[data-exercise='{lift}']")
    last_reps = block.locator("input.reps").last
    reps = int(last_reps.input_value()) + 2
    last_reps.fill(str(reps))
    block.locator("input.kg").last.fill("62.5")
    accessible(page, "log dialog")
    shot(page, f"log-dialog-{tag}.png")
    dialog.get_by_role("button", name="Save").click()
    ex(dialog).to_have_count(0)
    ex(page.locator("#changes")).to_contain_text("What changed")
    ex(page.locator("#changes li").first).to_be_visible()
    ex(page.locator(f".week-strip li[data-date='{day}'] .badge.done")).to_be_visible()
    logged = get(site, name, f"/v1/strength-log?start={day}&end={day}")["entries"]
    assert {e["exercise"] for e in logged} == set(ids)
    (entry,) = [e for e in logged if e["exercise"] == lift]
    assert entry["sets"][-1]["reps"] == reps and entry["sets"][-1]["load_kg"] == 62.5
    assert all(s["load_kg"] != 62.5 for s in entry["sets"][:-1])  # only one set changed
    # a light day done as planned in one tap; a session two weeks back marked skipped
    light = page.locator(".week-strip li.light").filter(
        has=page.get_by_role("button", name="Done as planned")
    )
    assert light.count() >= 1, "last week had a light session to log"
    light_day = light.first.get_attribute("data-date")
    light.first.get_by_role("button", name="Done as planned").click()
    ex(page.locator(f".week-strip li[data-date='{light_day}'] .badge.done")).to_be_visible()
    one_tap = get(site, name, f"/v1/strength-log?start={light_day}&end={light_day}")["entries"]
    assert one_tap and all(e["sets"] for e in one_tap)
    shot(page, f"week-past-logged-{tag}.png")
    page.get_by_role("link", name="‹ Previous week").click()  # two weeks back: skip a session
    skip = page.locator(".week-strip li").filter(has=page.get_by_role("button", name="Skipped"))
    ex(skip.first).to_be_visible()
    skip_day = skip.first.get_attribute("data-date")
    skip.first.get_by_role("button", name="Skipped").click()
    ex(page.locator(f".week-strip li[data-date='{skip_day}'] .badge.skipped")).to_be_visible()
    assert skip_day in get(site, name, "/v1/skips")["skips"]  # kept by the API, not the browser
    plan_after_log = get(site, name, "/v1/recommendation")
    assert plan_after_log != plan_before, "logging last week's lifts changes this week's plan"

    # the morning check-in
    page.get_by_role("link", name="This week").click()
    ex(page.locator("#week-title")).to_have_text("This week")
    page.get_by_label("Sleep last night (hours)").fill("5.5")
    page.get_by_label("Leg soreness (0 none – 10 worst)").fill("8")
    page.get_by_label("Note").fill("Quads still sore from Sunday")
    page.get_by_role("button", name="Save check-in").click()
    ex(page.locator("#changes")).to_contain_text("Check-in saved")
    today = page.evaluate("document.querySelector('#checkin-date').value")
    (checkin,) = get(site, name, f"/v1/checkins?start={today}&end={today}")["checkins"]
    assert checkin["sleep_hours"] == 5.5 and checkin["soreness"] == 8

    # settings: an API error shown in place, then a race, and the plan changes
    nav(page, "Settings")
    ex(page.get_by_label("Time zone")).to_have_value("Europe/Zurich")
    accessible(page, "settings page")
    page.get_by_label("Time zone").fill("Mars/Olympus")
    page.get_by_role("button", name="Save settings").click()
    ex(page.locator("#f-timezone-err")).to_contain_text("time zone")
    ex(page.get_by_label("Time zone")).to_have_attribute("aria-invalid", "true")
    page.get_by_label("Time zone").fill("Europe/Zurich")
    page.get_by_role("button", name="Add a race").click()
    race = page.locator("fieldset.race").last
    race_day = (date.fromisoformat(today) + timedelta(weeks=10)).isoformat()
    race.get_by_label("Name").fill("Eiger Ultra Trail E51")
    race.get_by_label("Date").fill(race_day)
    race.get_by_label("Distance (km)").fill("51")
    race.get_by_label("Ascent (m)").fill("3100")
    race.get_by_label("Descent (m)").fill("3100")
    race.get_by_label("Priority").select_option("A")
    shot(page, f"settings-{tag}.png")
    page.get_by_role("button", name="Save settings").click()
    ex(page.locator(".form-status")).to_contain_text("Saved.")
    assert get(site, name, "/v1/me")["races"][0]["date"] == race_day
    page.get_by_role("link", name="See the plan with these settings").click()
    ex(page.locator("#changes")).to_contain_text("Season phase: base → build")
    ex(page.locator(".badge.phase")).to_have_text("build")
    shot(page, f"week-after-race-{tag}.png")

    # other weeks
    page.get_by_role("link", name="Next week ›").click()
    ex(page.locator("#week-title")).to_contain_text("Week of")
    ex(page.locator(".outlook li.current")).to_have_count(1)
    shot(page, f"week-next-{tag}.png")

    # trends
    nav(page, "Trends")
    ex(page.locator("#page-trends svg .line.s-ctl")).to_have_count(1)
    ex(page.locator("#page-trends svg .band")).to_have_count(1)
    ex(page.locator("#page-trends svg .line.s-e1rm")).to_have_count(1)
    accessible(page, "trends page")
    shot(page, f"trends-{tag}.png")

    # an activity
    nav(page, "Activities")
    table = page.locator(".table-wrap.scroller")
    ex(table.locator("tbody tr").first).to_be_visible()
    if width == 375:  # the table scrolls sideways, and says so; the page does not
        ex(page.locator("#scroll-hint")).to_be_visible()
        assert table.evaluate("e => e.scrollWidth > e.clientWidth")
        assert page.evaluate("document.documentElement.scrollWidth") <= 375
    accessible(page, "activities page")
    shot(page, f"activities-{tag}.png")
    table.locator("tbody tr a").first.click()
    ex(page.locator("#activity-title")).to_be_visible()
    ex(page.locator("#page-activity svg path.line.s-altitude")).to_have_count(1)
    ex(page.locator("#page-activity svg path.track-line")).to_have_count(1)
    assert page.locator("#page-activity svg rect.bar").count() == 4
    accessible(page, "activity page")
    shot(page, f"activity-{tag}.png")
    assert page.evaluate("document.documentElement.scrollWidth") <= width
    watch.check()
    context.close()


def test_a_new_athlete_is_asked_for_runs_and_shown_no_invented_heavy_day(
    site: Site, browser: Any
) -> None:
    ex = expect()
    for width in (375, 1280):
        context = browser.new_context(viewport={"width": width, "height": 800})
        page = context.new_page()
        watch = Watch(page)
        page.goto(f"{site.url}/#token={site.tokens['New']}")
        ex(page.get_by_role("heading", name="Upload your first runs")).to_be_visible()
        assert page.locator(".week-strip li.heavy").count() == 0
        assert page.locator(".week-strip").count() == 0
        accessible(page, "empty week")
        shot(page, f"new-athlete-week-{width}.png")
        nav(page, "Trends")
        ex(page.locator("#page-trends .empty").first).to_be_visible()
        assert page.locator("#page-trends svg").count() == 0, "an empty chart draws no axis"
        values, decimals = page.evaluate("import('/static/js/chart.js').then(m => m.ticks(0, 0))")
        labels = [f"{v:.{decimals}f}" for v in values]  # an all-zero axis: distinct labels
        assert len(set(labels)) == len(labels) >= 2, labels
        accessible(page, "empty trends")
        shot(page, f"new-athlete-trends-{width}.png")
        nav(page, "Activities")
        ex(page.locator("#activity-table")).to_contain_text("No activities yet")
        page.get_by_role("button", name="Sign out").click()
        ex(page.get_by_role("heading", name="Sign in")).to_be_visible()
        ex(page.get_by_role("button", name="Sign out")).to_be_hidden()
        assert page.evaluate("localStorage.getItem('legday.token')") is None
        watch.check()
        context.close()


def test_a_coach_with_the_admin_token_lists_athletes_and_switches_between_them(
    site: Site, browser: Any
) -> None:
    ex = expect()
    context = browser.new_context(viewport={"width": 1280, "height": 800})
    page = context.new_page()
    watch = Watch(page)
    page.goto(site.url + "/")
    page.get_by_label("Athlete token").fill(site.admin)
    page.get_by_role("button", name="Sign in").click()
    ex(page.get_by_role("heading", name="Your athletes")).to_be_visible()
    ex(page.locator("#coach-list li")).to_have_count(3)
    accessible(page, "coach page")
    shot(page, "coach-1280.png")
    page.locator("#coach-list").get_by_role("button", name="Sam").click()
    ex(page.locator("#athlete-name")).to_have_text("Sam")
    ex(page.locator("#week-title")).to_have_text("This week")
    page.get_by_label("Athlete", exact=True).select_option(str(site.ids["New"]))
    ex(page.locator("#athlete-name")).to_have_text("New")
    ex(page.get_by_role("heading", name="Upload your first runs")).to_be_visible()
    page.reload()  # the choice is remembered
    ex(page.locator("#athlete-name")).to_have_text("New")
    shot(page, "coach-switched-1280.png")
    watch.check()
    context.close()


def test_dark_mode_follows_the_system_setting_and_keeps_its_contrast(
    site: Site, browser: Any
) -> None:
    ex = expect()
    context = browser.new_context(viewport={"width": 1280, "height": 900}, color_scheme="dark")
    page = context.new_page()
    watch = Watch(page)
    page.goto(f"{site.url}/#token={site.tokens['Sam']}")
    ex(page.locator("#week-title")).to_have_text("This week")
    background = page.evaluate("getComputedStyle(document.body).backgroundColor")
    assert background == "rgb(17, 23, 25)", background
    accessible(page, "week page, dark")
    shot(page, "week-dark-1280.png")
    nav(page, "Trends")
    ex(page.locator("#page-trends svg .line.s-ctl")).to_have_count(1)
    accessible(page, "trends page, dark")
    shot(page, "trends-dark-1280.png")
    watch.check()
    context.close()


def test_the_keyboard_reaches_every_page_in_order_with_a_visible_focus(
    site: Site, browser: Any
) -> None:
    ex = expect()
    context = browser.new_context(viewport={"width": 1280, "height": 900})
    page = context.new_page()
    page.goto(f"{site.url}/#token={site.tokens['Sam']}")
    ex(page.locator("#week-title")).to_have_text("This week")
    page.keyboard.press("Tab")
    assert page.evaluate("document.activeElement.textContent") == "Skip to the content"
    order = []
    for _ in range(5):
        page.keyboard.press("Tab")
        order.append(page.evaluate("document.activeElement.textContent.trim()"))
    assert order[:4] == ["Week", "Trends", "Activities", "Settings"], order
    page.keyboard.press("Shift+Tab")  # back to Settings
    page.keyboard.press("Enter")
    ex(page.locator("#page-settings")).to_be_visible()
    focused = page.evaluate("document.activeElement.id")
    assert focused == "settings-title", "a page change moves focus to its heading"
    outline = page.evaluate("getComputedStyle(document.activeElement).outlineStyle")
    assert outline != "none" or focused == "settings-title"
    context.close()


def test_the_pages_are_files_of_this_server_only(site: Site) -> None:
    """No CDN: the page and every script and style it loads come from this server."""
    html = httpx2.get(site.url + "/", timeout=30).text
    assert "http://" not in html.replace("http://www.w3.org", "") and "https://" not in html
    for path in ("/static/js/app.js", "/static/js/chart.js", "/static/app.css"):
        r = httpx2.get(site.url + path, timeout=30)
        assert r.status_code == 200 and "cdn" not in r.text.lower()
    assert Path(FILES[0]).exists()


def facts_value(page: Any, term: str) -> Any:
    return page.locator(f".facts dt:text-is('{term}') + dd")


def checkin_date(page: Any) -> str:
    return str(page.evaluate("document.querySelector('#checkin-date').value"))


@pytest.mark.parametrize("width", sorted(WIDTHS))
def test_each_day_card_says_how_long_its_session_takes(
    site: Site, browser: Any, width: int
) -> None:
    name = site.athlete("Ana", FILES)
    ex = expect()
    context, page, watch = open_as(browser, site, name, width)
    ex(page.locator("#week-title")).to_have_text("This week")
    today = checkin_date(page)
    plan = get(site, name, "/v1/recommendation")
    upcoming = [s for s in plan["sessions"] if s["date"] >= today and not s["done"]]
    assert upcoming, "this week has sessions still to do"
    from_plan = all(isinstance(s.get("duration_min"), int) for s in upcoming)
    for s in upcoming:
        shown = page.locator(f".week-strip li[data-date='{s['date']}'] .minutes")
        if from_plan:  # the plan's own estimate, as it gives it
            ex(shown).to_have_text(re.compile(rf"^\s*·\s*~{s['duration_min']} min$"))
            ex(shown).to_have_attribute("data-source", "plan")
        else:  # an older plan API: the page's estimate, said to be one
            ex(shown).to_have_text(re.compile(r"^\s*·\s*~\d+ min \(our estimate\)$"))
            ex(shown).to_have_attribute("data-source", "page")
    shot(page, f"week-durations-{width}.png")
    watch.check()
    context.close()
    if not from_plan:
        pytest.fail("the plan API gives no sessions[].duration_min: the cards show the page's "
                    "own estimate, marked as such")  # fmt: skip


@pytest.mark.parametrize("width", sorted(WIDTHS))
def test_the_acwr_is_labelled_with_the_method_the_plan_reads_it_by(
    site: Site, browser: Any, width: int
) -> None:
    name = site.athlete("Ana", FILES)
    ex = expect()
    context, page, watch = open_as(browser, site, name, width)
    ex(page.locator("#week-title")).to_have_text("This week")
    plan = get(site, name, "/v1/recommendation")
    if plan["inputs"]["acwr"] is not None:
        ex(facts_value(page, "ACWR")).to_contain_text(plan["inputs"]["acwr_method"])
    nav(page, "Trends")
    load = get(site, name, "/v1/trends/load?days=183")
    ex(page.locator("#acwr-method")).to_have_text(
        f"Read as the plan reads it: {load['acwr_method']}."
    )
    (l2,) = [r for r in get(site, name, "/v1/rules")["rules"] if r["id"] == "L2"]
    ex(page.locator("#acwr-rule")).to_contain_text(l2["numbers"])
    weeks = get(site, name, "/v1/weeks?count=26")["weeks"]
    ex(page.locator("#weeks-acwr-method")).to_have_text(
        f"ACWR in this table: {weeks[0]['acwr_method']}."
    )
    ex(
        page.locator("#page-trends svg .line.s-e1rm, #page-trends .lift-pick + .chart .empty")
    ).to_have_count(1)
    accessible(page, "trends page with the ACWR method")
    watch.check()
    context.close()


@pytest.mark.parametrize("width", sorted(WIDTHS))
def test_a_profile_change_shows_a_calm_banner_until_the_figures_follow_it_then_the_page_refreshes(
    site: Site, browser: Any, width: int
) -> None:
    name = site.athlete(f"Rec{width}", FILES)
    ex = expect()
    context, page, watch = open_as(browser, site, name, width)
    banner = page.locator("#recompute-banner")
    ex(page.locator("#week-title")).to_have_text("This week")
    ex(banner).to_be_hidden()
    # the time zone changes in Settings: every activity's local date is recomputed
    nav(page, "Settings")
    page.get_by_label("Time zone").fill("America/New_York")
    page.get_by_role("button", name="Save settings").click()
    ex(banner).to_contain_text("Updating your figures after the profile change…")
    ex(banner).to_contain_text("activities to go")
    accessible(page, "settings page, figures updating")
    shot(page, f"recompute-banner-{width}.png")
    page.get_by_role("link", name="See the plan with these settings").click()
    ex(page.locator("#week-title")).to_have_text("This week")
    page.evaluate("document.querySelector('#week-title').dataset.before = 'recompute'")
    ex(banner).to_be_hidden(timeout=120_000)
    assert get(site, name, "/v1/me")["recomputing"] is False
    ex(page.locator("#announce")).to_have_text("Your figures are up to date with the new profile.")
    ex(page.locator("#week-title")).to_have_text("This week")  # read again, where it was
    assert page.locator("#week-title[data-before]").count() == 0, "the week was not read again"
    ex(page.locator(".outlook li")).to_have_count(4)  # the week page is done loading

    # a change from another device: the page learns it from the Legday-Recomputing header
    r = httpx2.patch(
        site.url + "/v1/me", json={"timezone": "Europe/Zurich"}, headers=site.auth(name)
    )
    assert r.status_code == 200 and r.json()["recomputing"], r.text
    listing = re.compile(r"/v1/activities\?start=[0-9-]+$")  # the list page's, not the week's
    with page.expect_response(lambda a: bool(listing.search(a.url))) as answer:
        nav(page, "Activities")
    assert answer.value.headers.get("legday-recomputing") == "true"
    ex(banner).to_contain_text("Updating your figures after the profile change…")
    ex(page.locator("#activity-table tbody tr").first).to_be_visible()
    page.evaluate("document.querySelector('#activity-table').dataset.before = 'recompute'")
    ex(banner).to_be_hidden(timeout=120_000)
    ex(page.locator("#activity-table tbody tr").first).to_be_visible()
    assert page.locator("#activity-table[data-before]").count() == 0, "the list was not re-read"
    watch.check()
    context.close()


@pytest.mark.parametrize("width", sorted(WIDTHS))
def test_a_reissued_calendar_url_is_announced_with_the_new_link_until_dismissed(
    site: Site, browser: Any, width: int
) -> None:
    name = site.athlete(f"Cal{width}", FILES[-10:])
    ex = expect()
    me = get(site, name, "/v1/me")
    context, page, watch = open_as(browser, site, name, width)
    notice = page.locator("#calendar-notice")
    ex(page.locator("#week-title")).to_have_text("This week")
    ex(notice).to_be_hidden()  # never reissued: nothing to say
    # the notice as the page draws it for this profile once the server reissued the URL
    reissued = {**me, "calendar_url_reissued_at": "2026-11-30T08:00:00Z"}
    draw = "p => import('/static/js/notices.js').then(m => m.calendarNotice(p))"
    page.evaluate(draw, reissued)
    ex(notice).to_be_visible()
    ex(notice).to_contain_text("2026-11-30")
    link = notice.get_by_role("link", name="Subscribe with the new link")
    ex(link).to_have_attribute("href", "webcal:" + me["calendar_url"].split(":", 1)[1])
    ex(notice.get_by_label("New feed address (keep it private)")).to_have_value(me["calendar_url"])
    accessible(page, "calendar notice")
    shot(page, f"calendar-notice-{width}.png")
    notice.get_by_role("button", name="Dismiss").click()
    ex(notice).to_be_hidden()
    page.evaluate(draw, reissued)  # dismissed: not shown again for this reissue
    ex(notice).to_be_hidden()
    page.evaluate(draw, {**reissued, "calendar_url_reissued_at": "2026-12-24T08:00:00Z"})
    ex(notice).to_be_visible()  # a later reissue is news again
    watch.check()
    context.close()

    # the real server: its record of the reissue, read from GET /v1/me on sign-in
    assert site.data_dir is not None
    column = mark_calendar_reissued(site.data_dir, site.ids[name])
    me = get(site, name, "/v1/me")
    if not me.get("calendar_url_reissued_at"):
        pytest.fail(f"GET /v1/me has no calendar_url_reissued_at (athletes column: {column})")
    context, page, watch = open_as(browser, site, name, width)
    notice = page.locator("#calendar-notice")
    ex(notice).to_be_visible()
    ex(notice.get_by_label("New feed address (keep it private)")).to_have_value(me["calendar_url"])
    notice.get_by_role("button", name="Dismiss").click()
    page.reload()
    ex(page.locator("#week-title")).to_have_text("This week")
    ex(notice).to_be_hidden()
    watch.check()
    context.close()


def busy(status: int, times: int, seen: list[str]) -> Any:
    """A route handler: the first ``times`` requests answered ``status`` with Retry-After: 1
    (the server busy), the rest passed on to the real server."""

    def handle(route: Any) -> None:
        seen.append(route.request.url)
        if len(seen) <= times:
            route.fulfill(
                status=status,
                headers={"Retry-After": "1", "Content-Type": "application/json"},
                body='{"detail": "too busy right now"}',
            )
        else:
            route.fallback()

    return handle


@pytest.mark.parametrize("width", sorted(WIDTHS))
def test_a_busy_server_is_waited_out_for_its_retry_after_and_asked_once_more(
    site: Site, browser: Any, width: int
) -> None:
    name = site.athlete("Ana", FILES)
    ex = expect()
    context = browser.new_context(viewport={"width": width, "height": 900})
    page = context.new_page()
    watch = Watch(page)
    plans: list[str] = []  # the week's plan: 429 once, then the real answer
    page.route(re.compile(r"/v1/recommendation\?week=[0-9-]+$"), busy(429, 1, plans))
    page.goto(f"{site.url}/#token={site.tokens[name]}")
    ex(page.locator("#busy")).to_contain_text("busy, retrying in 1 s")
    shot(page, f"busy-{width}.png")
    ex(page.locator("#week-title")).to_have_text("This week")
    ex(page.locator("#busy")).to_be_hidden()
    assert plans.count(plans[0]) == 2, "the refused request is sent again once"
    loads: list[str] = []  # the load trends: 503 twice, so the page gives up after one retry
    page.route(re.compile(r"/v1/trends/load\?"), busy(503, 2, loads))
    nav(page, "Trends")
    ex(page.locator("#page-trends .chart .error").first).to_contain_text("busy")
    page.wait_for_timeout(1500)  # no third try
    assert len(loads) == 2, loads
    watch.check()
    context.close()


@pytest.mark.parametrize("width", sorted(WIDTHS))
def test_files_are_uploaded_one_at_a_time_each_with_its_own_result(
    site: Site, browser: Any, width: int
) -> None:
    name = site.athlete(f"Upl{width}", [])
    ex = expect()
    context, page, watch = open_as(browser, site, name, width)
    nav(page, "Activities")
    ex(page.locator("#activity-table")).to_contain_text("No activities yet")
    posts = Requests(page, "/v1/activities", method="POST")
    notes = b"these are my notes, not a watch file\n"
    first, second = FILES[0], FILES[1]

    def chosen_file(name: str, data: bytes) -> dict[str, Any]:
        return {"name": name, "mimeType": "application/octet-stream", "buffer": data}

    chosen = [
        chosen_file(first.name, first.read_bytes()),
        chosen_file(second.name, second.read_bytes()),
        chosen_file(f"copy-{first.name}", first.read_bytes()),
        chosen_file("notes.fit", notes),
    ]
    page.set_input_files("#file", chosen)
    page.get_by_role("button", name="Upload").click()
    ex(page.locator("#upload-count")).to_contain_text("4 of 4 files sent")
    rows = page.locator("#upload-rows li")
    ex(rows).to_have_count(4)
    assert [rows.nth(i).get_attribute("data-file") for i in range(4)] == [c["name"] for c in chosen]
    states = [rows.nth(i).get_attribute("data-status") for i in range(4)]
    assert states == ["ingested", "ingested", "duplicate", "failed"], states
    assert posts.count() == 4 and posts.one_at_a_time(), posts.events
    (kept,) = [
        a for a in get(site, name, "/v1/activities")["activities"] if a["file_name"] == first.name
    ]
    ex(rows.nth(2)).to_contain_text(f"duplicate: already have it as activity #{kept['id']}")
    refused = httpx2.post(
        site.url + "/v1/activities", files={"file": ("notes.fit", notes)}, headers=site.auth(name)
    )
    assert refused.status_code >= 400
    ex(rows.nth(3)).to_contain_text(f"failed ({refused.status_code}): {refused.json()['detail']}")
    ex(page.locator("#activity-table tbody tr")).to_have_count(2)  # the list read again
    accessible(page, "activities page after an upload")
    shot(page, f"upload-rows-{width}.png")
    watch.check()
    context.close()


EQUIPMENT_LABELS = ("Barbell", "Dumbbells", "Kettlebell", "Box or step", "Bands", "Pull-up bar")


@pytest.mark.parametrize("width", sorted(WIDTHS))
def test_units_and_equipment_are_settings_and_imperial_reads_in_miles_feet_and_pounds(
    site: Site, browser: Any, width: int
) -> None:
    name = site.athlete(f"Uni{width}", FILES[-24:])
    ex = expect()
    auth = site.auth(name)
    context, page, watch = open_as(browser, site, name, width)
    ex(page.locator("#week-title")).to_have_text("This week")
    # the page's rule: the API's lb figure when it gives one, else kg converted, rounded to 5 lb
    rule = page.evaluate(
        "() => import('/static/js/dom.js').then(m => { m.setUnits('imperial');"
        " const out = [m.loadText(100), m.loadText(62.5), m.loadText(100, 225), m.distText(50),"
        " m.elevText(1000)]; m.setUnits('metric'); return out; })"
    )
    assert rule == ["220 lb", "140 lb", "225 lb", "31.1 mi", "3,281 ft"], rule
    probe = httpx2.patch(
        site.url + "/v1/me", json={"units": "metric", "equipment": ["barbell"]}, headers=auth
    )
    nav(page, "Settings")
    units = page.get_by_label("Units")
    if probe.status_code == 422:  # a server without the fields: shown, not editable
        ex(units).to_be_disabled()
        ex(page.locator("#f-units-hint")).to_contain_text("does not store units yet")
        ex(page.get_by_label("Kettlebell")).to_be_disabled()
        accessible(page, "settings page, no units on the server")
        watch.check()
        context.close()
        pytest.fail(f"PATCH /v1/me refuses units and equipment ({probe.json()['detail']})")
    assert probe.status_code == 200, probe.text
    page.reload()
    nav(page, "Settings")
    ex(units).to_be_enabled()
    ex(page.get_by_label("Barbell", exact=True)).to_be_checked()
    # the API's 422 is put next to its field
    page.evaluate("document.querySelector('#f-equipment-kettlebell').value = 'trampoline'")
    page.get_by_label("Kettlebell").check()
    page.get_by_role("button", name="Save settings").click()
    ex(page.locator("#f-equipment-err")).not_to_be_empty()
    ex(page.locator("#f-equipment")).to_have_attribute("aria-invalid", "true")
    page.evaluate("document.querySelector('#f-equipment-kettlebell').value = 'kettlebell'")
    for label in EQUIPMENT_LABELS:  # nothing ticked: bodyweight only
        page.get_by_label(label, exact=True).uncheck()
    units.select_option("imperial")
    page.get_by_role("button", name="Save settings").click()
    ex(page.locator(".form-status")).to_contain_text("Saved.")
    me = get(site, name, "/v1/me")
    assert me["units"] == "imperial" and me["equipment"] == [], me
    page.get_by_label("Kettlebell").check()
    page.get_by_label("Bands").check()
    page.get_by_role("button", name="Add a race").click()
    race = page.locator("fieldset.race").last
    today = date.fromisoformat(get(site, name, "/v1/recommendation")["as_of"][:10])
    race.get_by_label("Name").fill("Eiger E51")
    race.get_by_label("Date").fill((today + timedelta(weeks=10)).isoformat())
    race.get_by_label("Distance (mi)").fill("31.1")
    race.get_by_label("Ascent (ft)").fill("10171")
    page.get_by_role("button", name="Save settings").click()
    ex(page.locator(".form-status")).to_contain_text("Saved.")
    me = get(site, name, "/v1/me")
    assert sorted(me["equipment"]) == ["bands", "kettlebell"]
    (saved,) = me["races"]
    assert abs(saved["distance_km"] - 31.1 * 1.609344) < 0.01, saved
    assert abs(saved["ascent_m"] - 10171 * 0.3048) < 0.01, saved
    page.reload()
    nav(page, "Settings")  # saved again untouched: the same km and m, no drift
    ex(page.locator("fieldset.race").last.get_by_label("Distance (mi)")).to_have_value("31.1")
    page.get_by_role("button", name="Save settings").click()
    ex(page.locator(".form-status")).to_contain_text("Saved.")
    assert get(site, name, "/v1/me")["races"] == me["races"]
    accessible(page, "settings page, imperial")
    shot(page, f"settings-imperial-{width}.png")

    # the week in miles and feet, a load in pounds that goes back as the same kilograms
    day = checkin_date_of(site, name)
    logged = {"date": day, "exercise": "back_squat", "sets": [{"reps": 5, "load_kg": 100}]}
    r = httpx2.post(site.url + "/v1/strength-log", json=logged, headers=auth)
    assert r.status_code == 201, r.text
    nav(page, "Week")
    ex(facts_value(page, "Last week")).to_have_text(re.compile(r" mi$"))
    ex(facts_value(page, "Climb")).to_have_text(re.compile(r" ft$"))
    card = page.locator(f".week-strip li[data-date='{day}']")
    card.get_by_role("button", name="Edit what I logged").click()
    dialog = page.locator("dialog.log-dialog")
    squat = dialog.locator("fieldset.exercise[data-exercise='back_squat']")
    ex(squat.locator("input.kg")).to_have_value("220")
    ex(squat.locator("label", has_text="lb")).to_have_count(1)
    shot(page, f"log-dialog-imperial-{width}.png")
    dialog.get_by_role("button", name="Save").click()
    ex(dialog).to_have_count(0)
    (entry,) = get(site, name, f"/v1/strength-log?start={day}&end={day}")["entries"]
    assert entry["sets"][0]["load_kg"] == 100, entry
    shot(page, f"week-imperial-{width}.png")
    nav(page, "Trends")
    ex(page.locator("#page-trends th", has_text="e1RM lb")).to_have_count(1)
    ex(page.locator("#page-trends th", has_text="Distance mi")).to_have_count(1)
    nav(page, "Activities")
    ex(page.locator("#activity-table thead")).to_contain_text("Climb ft")
    watch.check()
    context.close()


def checkin_date_of(site: Site, name: str) -> str:
    """The athlete's today (their time zone), as the plan reads it."""
    return str(get(site, name, "/v1/recommendation")["as_of"])[:10]


@pytest.mark.parametrize("width", sorted(WIDTHS))
def test_the_workout_file_the_calendar_and_editing_logged_lifts_work_in_the_browser(
    site: Site, browser: Any, width: int, tmp_path: Path
) -> None:
    icalendar = pytest.importorskip("icalendar")
    name = site.athlete(f"Exe{width}", FILES)
    ex = expect()
    context, page, watch = open_as(browser, site, name, width)
    ex(page.locator("#week-title")).to_have_text("This week")
    # the day's workout for the watch: the same FIT file the API gives
    fit_button = page.get_by_role("button", name="Workout for the watch (.fit)")
    card = page.locator(".week-strip li").filter(has=fit_button).first
    day = card.get_attribute("data-date")
    with page.expect_download() as info:
        card.get_by_role("button", name="Workout for the watch (.fit)").click()
    assert info.value.suggested_filename == f"legday-{day}.fit"
    saved = tmp_path / "workout.fit"
    info.value.save_as(saved)
    data = saved.read_bytes()
    assert data[8:12] == b".FIT"
    r = httpx2.get(f"{site.url}/v1/workouts/{day}.fit", headers=site.auth(name), timeout=60)
    assert r.status_code == 200 and data == r.content
    # the calendar: a webcal link to the feed, whose event for that day links the same workout
    feed = page.get_by_label("Feed address (keep it private)").input_value()
    subscribe = page.get_by_role("link", name="Subscribe to your plan in a calendar app")
    ex(subscribe).to_have_attribute("href", "webcal:" + feed.split(":", 1)[1])
    ics = httpx2.get(feed, timeout=60)  # no token: the secret address is the key
    assert ics.status_code == 200 and ics.headers["content-type"].startswith("text/calendar")
    calendar = icalendar.Calendar.from_ical(ics.content)
    events = {e.decoded("dtstart").isoformat(): e for e in calendar.walk("VEVENT")}
    assert day in events, sorted(events)
    from_calendar = httpx2.get(str(events[day]["url"]), timeout=60)
    assert from_calendar.status_code == 200 and from_calendar.content == data

    # last week's heavy day logged, then edited: an exercise added from the catalogue (POST), a
    # set changed (PATCH), an exercise removed (DELETE)
    page.get_by_role("link", name="‹ Previous week").click()
    ex(page.locator("#week-title")).to_contain_text("(past)")
    heavy = page.locator(".week-strip li.heavy")
    past = heavy.get_attribute("data-date")
    heavy.get_by_role("button", name="Done as planned").click()
    logged_card = page.locator(f".week-strip li[data-date='{past}']")
    ex(logged_card.locator(".badge.done")).to_be_visible()
    before = get(site, name, f"/v1/strength-log?start={past}&end={past}")["entries"]
    assert len(before) >= 2, before
    logged_card.get_by_role("button", name="Edit what I logged").click()
    dialog = page.locator("dialog.log-dialog")
    ex(dialog).to_be_visible()
    catalogue = get(site, name, "/v1/exercises")["exercises"]
    options = dialog.locator("#exercise-names option")
    names = {options.nth(i).get_attribute("value") for i in range(options.count())}
    assert {x["name"] for x in catalogue} <= names, "every catalogue exercise is offered"
    extra = next(x for x in catalogue if x["id"] not in {e["exercise"] for e in before})
    dialog.get_by_label("Add an exercise (name as you call it)").fill(extra["name"])
    dialog.get_by_role("button", name="Add", exact=True).click()
    added = dialog.locator(f"fieldset.exercise[data-exercise='{extra['id']}']")
    ex(added.locator(".set-row")).to_have_count(3)
    changed, dropped = before[0], before[1]
    first = dialog.locator(f"fieldset.exercise[data-exercise='{changed['exercise']}']")
    new_reps = changed["sets"][0]["reps"] + 3
    first.locator("input.reps").first.fill(str(new_reps))
    gone = dialog.locator(f"fieldset.exercise[data-exercise='{dropped['exercise']}']")
    for _ in range(len(dropped["sets"])):
        gone.get_by_role("button", name="Remove this set").first.click()
    ex(gone.locator(".set-row")).to_have_count(0)
    accessible(page, "log dialog, editing")
    shot(page, f"log-edit-{width}.png")
    dialog.get_by_role("button", name="Save").click()
    ex(dialog).to_have_count(0)
    ex(page.locator("#changes")).to_contain_text("Changed what you logged")
    after = {
        e["exercise"]: e
        for e in get(site, name, f"/v1/strength-log?start={past}&end={past}")["entries"]
    }
    assert dropped["exercise"] not in after, "the emptied exercise is deleted"
    assert after[changed["exercise"]]["id"] == changed["id"], "edited in place (PATCH)"
    assert after[changed["exercise"]]["sets"][0]["reps"] == new_reps
    assert [s["reps"] for s in after[extra["id"]]["sets"]] == [8, 8, 8]
    watch.check()
    context.close()
