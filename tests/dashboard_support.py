"""The dashboard tests' tools: a served legday with athletes in it, Debian's Chromium through
Playwright under a strict Content-Security-Policy, axe-core, and screenshots in bench-out/."""

from __future__ import annotations

import sqlite3
import time
from contextlib import closing
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import httpx2

from tests.conftest import ROOT, SAMPLE_DATA

CHROMIUM_ARGS = [
    "--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
    "--disable-background-networking", "--disable-component-update", "--disable-sync",
]  # fmt: skip
FILES = sorted((SAMPLE_DATA / "athlete").glob("*.*"))
BENCH_OUT = ROOT / "bench-out"
# What issue 14's headers will ask of the page: nothing inline, nothing from elsewhere.
CSP = (
    "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data: blob:; "
    "connect-src 'self'; frame-ancestors 'none'; base-uri 'none'; form-action 'self'"
)
WATCH_VIOLATIONS = """
window.__csp = [];
document.addEventListener("securitypolicyviolation", (e) =>
  window.__csp.push(`${e.violatedDirective} ${e.blockedURI} ${e.sourceFile}:${e.lineNumber}`));
"""


@dataclass
class Site:
    url: str
    admin: str
    tokens: dict[str, str] = field(default_factory=dict)
    ids: dict[str, int] = field(default_factory=dict)
    data_dir: Path | None = None

    def auth(self, name: str) -> dict[str, str]:
        return {"Authorization": f"Bearer {self.tokens[name]}"}

    def athlete(self, name: str, files: list[Path]) -> str:
        """An athlete of one test (created on first use, with these files), so no test depends
        on what another did before it."""
        if name not in self.tokens:
            with httpx2.Client(base_url=self.url, timeout=60) as http:
                add_athlete(http, self, name, files)
        return name


def add_athlete(http: httpx2.Client, site: Site, name: str, files: list[Path]) -> None:
    admin = {"Authorization": f"Bearer {site.admin}"}
    r = http.post("/v1/athletes", json={"name": name, "timezone": "Europe/Zurich"}, headers=admin)
    assert r.status_code == 201, r.text
    site.tokens[name], site.ids[name] = r.json()["token"], r.json()["id"]
    for path in files:
        upload = {"file": (path.name, path.read_bytes())}
        up = http.post("/v1/activities", files=upload, headers=site.auth(name))
        assert up.status_code in (200, 201), up.text
    profile = {"hr_rest": 50, "hr_max": 188, "sex": "male", "lifting_experience": "trained"}
    assert http.patch("/v1/me", json=profile, headers=site.auth(name)).status_code == 200
    wait_for_figures(http, site, name)


def wait_for_figures(http: httpx2.Client, site: Site, name: str, timeout_s: float = 180) -> None:
    """Until the athlete's stored figures follow their profile (the heart-rate figures just set
    are applied in the background): a test starts from a settled athlete."""
    deadline = time.monotonic() + timeout_s
    while http.get("/v1/me", headers=site.auth(name)).json()["recomputing"]:
        assert time.monotonic() < deadline, f"{name}'s figures were still being recomputed"
        time.sleep(0.2)


def strict_csp(route: Any) -> None:
    """Serve every response of the site with the strict CSP (whatever the server sends)."""
    try:
        response = route.fetch()
    except Exception as gone:  # the test closed its page while this request was in flight
        if "disposed" in str(gone) or "closed" in str(gone):
            return
        raise
    headers = {**response.headers, "content-security-policy": CSP}
    route.fulfill(response=response, headers=headers)


class Watch:
    """Page errors, failed requests and CSP violations seen by a page."""

    def __init__(self, page: Any) -> None:
        self.errors: list[str] = []
        page.on("pageerror", lambda e: self.errors.append(f"page error: {e}"))
        page.on(
            "requestfailed",  # a reload cancels what is in flight (ERR_ABORTED): not a failure
            lambda r: (
                self.errors.append(f"failed: {r.url} {r.failure}")
                if "ERR_ABORTED" not in str(r.failure)
                else None
            ),
        )
        page.on(
            "console",
            # an API answering 4xx is logged by Chromium as "Failed to load resource": expected
            lambda m: (
                self.errors.append(f"console: {m.text}")
                if m.type == "error" and not m.text.startswith("Failed to load resource")
                else None
            ),
        )
        page.add_init_script(WATCH_VIOLATIONS)
        page.route("**/*", strict_csp)
        self.page = page

    def check(self, expected_console: tuple[str, ...] = ()) -> None:
        violations = self.page.evaluate("window.__csp || []")
        assert not violations, violations
        errors = [e for e in self.errors if not any(x in e for x in expected_console)]
        assert not errors, errors
        self.page.unroute_all(behavior="ignoreErrors")  # a request still in flight may end now


def axe_serious(page: Any) -> list[str]:
    """axe-core (the copy axe-playwright-python ships) on the page as it is: the serious and
    critical violations, one line each. Injected through the DevTools protocol, so the page's
    own CSP does not apply to it."""
    from axe_playwright_python.base import AXE_SCRIPT

    if not page.evaluate("typeof window.axe !== 'undefined'"):
        page.evaluate(AXE_SCRIPT)
    tags = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "best-practice"]
    result = page.evaluate(
        "t => axe.run(document, {resultTypes: ['violations'], runOnly: {type: 'tag', values: t}})",
        tags,
    )
    return [
        f"{v['id']} ({v['impact']}): {v['help']} — "
        + "; ".join(n["target"][0] if n["target"] else "?" for n in v["nodes"][:4])
        for v in result["violations"]
        if v["impact"] in ("serious", "critical")
    ]


def shot(page: Any, name: str) -> Path:
    """A full-page screenshot in bench-out/ (gitignored), to look at."""
    BENCH_OUT.mkdir(exist_ok=True)
    path = BENCH_OUT / name
    page.screenshot(path=str(path), full_page=True)
    return path


def mark_calendar_reissued(data_dir: Path, athlete_id: int) -> str | None:
    """Stamp the athlete's feed as reissued now in the served SQLite database, the way a server
    reissuing feed URLs records it: the athletes column whose name says "reissued". The column's
    name, or None when this schema has none (a server that does not reissue feed URLs)."""
    with closing(sqlite3.connect(data_dir / "legday.db", timeout=30)) as db, db:
        columns = [row[1] for row in db.execute("PRAGMA table_info(athletes)")]
        column = next((c for c in columns if "reissued" in c), None)
        if column is not None:
            now = datetime.now(UTC).replace(tzinfo=None).isoformat(sep=" ")
            db.execute(f'UPDATE athletes SET "{column}" = ? WHERE id = ?', (now, athlete_id))
    return column


class Requests:
    """The requests a page sends to one API path, as the browser reports them, in order:
    ("start", url) when one is sent, ("end", url) when its answer is in (or it failed)."""

    def __init__(self, page: Any, path: str, method: str = "GET") -> None:
        self.events: list[tuple[str, str]] = []

        def log(kind: str) -> Any:
            def seen(request: Any) -> None:
                if request.method == method and path in request.url:
                    self.events.append((kind, request.url))

            return seen

        page.on("request", log("start"))
        page.on("requestfinished", log("end"))
        page.on("requestfailed", log("end"))

    def count(self, url_part: str = "") -> int:
        return sum(1 for kind, url in self.events if kind == "start" and url_part in url)

    def one_at_a_time(self) -> bool:
        """No request was sent before the previous one's answer was in."""
        kinds = [kind for kind, _ in self.events]
        return kinds == ["start", "end"] * (len(kinds) // 2)
