"""Issue 14, finding 15: every answer carries the security headers, and ``/docs`` and ``/redoc``
work from local assets: in Debian's Chromium, against a real ``legday serve``, with every request
to anywhere but the server aborted, both pages render, load nothing from elsewhere and break no
rule of the Content-Security-Policy the server sends (the dashboard neither)."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

import pytest
from fastapi.testclient import TestClient

from tests.api_support import api_client, new_athlete, settings_for
from tests.dashboard_support import CHROMIUM_ARGS, WATCH_VIOLATIONS
from tests.hardening_support import Served, served

REDOC_LOGO = "img-src https://cdn.redoc.ly/redoc/logo-mini.svg"
EXPECTED = {
    "x-content-type-options": "nosniff",
    "x-frame-options": "DENY",
    "referrer-policy": "no-referrer",
}


@pytest.fixture
def client(tmp_path: Path) -> Iterator[TestClient]:
    with api_client(settings_for(tmp_path / "data")) as c:
        yield c


def test_every_answer_carries_the_security_headers(client: TestClient) -> None:
    _, ana = new_athlete(client, "Ana")
    answers = {
        "dashboard": client.get("/"),
        "static": client.get("/static/app.css"),
        "api": client.get("/v1/me", headers=ana),
        "401": client.get("/v1/me"),
        "404": client.get("/v1/nothing-here"),
        "feed 404": client.get("/v1/calendar/1.abc.ics"),
        "docs": client.get("/docs"),
        "openapi": client.get("/openapi.json"),
    }
    for what, r in answers.items():
        for name, value in EXPECTED.items():
            assert r.headers.get(name) == value, f"{what}: {name}"
        policy = r.headers.get("content-security-policy", "")
        assert "frame-ancestors 'none'" in policy, what
        assert "default-src 'self'" in policy, what
    dashboard = answers["dashboard"].headers["content-security-policy"]
    assert "script-src 'self';" in dashboard and "unsafe-inline" not in dashboard


def test_the_docs_pages_name_no_other_host(client: TestClient) -> None:
    for path in ("/docs", "/redoc"):
        page = client.get(path)
        assert page.status_code == 200
        assert "http" not in page.text.replace("http-equiv", ""), page.text
        for asset in ("/static-docs/swagger-ui-bundle.js", "/static-docs/redoc.standalone.js"):
            assert client.get(asset).status_code == 200


@pytest.fixture(scope="module")
def server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Served]:
    with served(tmp_path_factory.mktemp("docs")) as s:
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


@pytest.mark.browser
@pytest.mark.slow
@pytest.mark.parametrize(
    ("path", "rendered"),
    [("/docs", ".swagger-ui .info .title"), ("/redoc", "h1"), ("/", "h1, h2")],
)
def test_the_docs_and_the_dashboard_work_offline_under_the_servers_policy(
    server: Served, browser: Any, path: str, rendered: str
) -> None:
    context = browser.new_context()
    elsewhere: list[str] = []
    errors: list[str] = []

    def offline(route: Any) -> None:
        if urlsplit(route.request.url).hostname in ("127.0.0.1", "localhost"):
            route.continue_()
        else:
            elsewhere.append(route.request.url)
            route.abort()

    context.route("**/*", offline)
    page = context.new_page()
    page.add_init_script(WATCH_VIOLATIONS)
    page.on("pageerror", lambda e: errors.append(str(e)))
    page.on("console", lambda m: errors.append(m.text) if m.type == "error" else None)
    response = page.goto(server.url + path)
    assert response is not None and response.status == 200
    assert "frame-ancestors 'none'" in response.headers["content-security-policy"]
    page.wait_for_selector(rendered, timeout=30_000)
    if path != "/":
        page.get_by_text("legday").first.wait_for(timeout=30_000)
        page.get_by_text("/v1/recommendation").first.wait_for(timeout=30_000)
    page.wait_for_timeout(500)
    assert elsewhere == []
    violations = page.evaluate("window.__csp || []")
    # ReDoc's bundle links its maker's logo from its CDN: the policy blocks it (no request
    # leaves, as ``elsewhere`` shows); any other violation is a page the policy breaks.
    assert [v for v in violations if not v.startswith(REDOC_LOGO)] == []
    known = ("Failed to load resource", "redoc/logo-mini.svg")
    assert [e for e in errors if not any(k in e for k in known)] == []
    context.close()
