"""A real ``legday serve`` logs each request, the calendar feed token redacted (one worker or N)."""

from __future__ import annotations

import os
import subprocess
import sys
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import httpx2
import pytest

from api.access_log import redact
from tests.serve_support import free_port

ADMIN = "admin-token-for-the-access-log-test"


@contextmanager
def serve(tmp_path: Path, *args: str) -> Iterator[tuple[str, Path]]:
    """``legday serve`` with its access log on; stopped by its pid after."""
    port = free_port()
    env = {k: v for k, v in os.environ.items() if not k.startswith("LEGDAY_")}
    env |= {"LEGDAY_DATA_DIR": str(tmp_path / "data"), "LEGDAY_ADMIN_TOKEN": ADMIN}
    env["PYTHONUNBUFFERED"] = "1"
    log = tmp_path / "serve.log"
    with log.open("w") as out:
        process = subprocess.Popen(
            [sys.executable, "-m", "api", "serve", "--port", str(port), "--parse-workers", "0",
             "--no-scheduler", *args],
            env=env, stdout=out, stderr=subprocess.STDOUT,
        )  # fmt: skip
    url = f"http://127.0.0.1:{port}"
    try:
        deadline = time.monotonic() + 60
        while True:
            assert process.poll() is None, log.read_text()
            try:
                if httpx2.get(f"{url}/healthz", timeout=1).status_code == 200:
                    break
            except httpx2.TransportError:
                pass
            assert time.monotonic() < deadline, log.read_text()
            time.sleep(0.2)
        yield url, log
    finally:
        process.terminate()
        try:
            process.wait(timeout=20)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait()


def test_the_feed_path_is_redacted_up_to_its_extension() -> None:
    assert redact('"GET /v1/calendar/7.abc.ics?x=1 HTTP/1.1"') == (
        '"GET /v1/calendar/<redacted>.ics?x=1 HTTP/1.1"'
    )
    assert redact("/v1/calendar/secret") == "/v1/calendar/<redacted>"
    assert redact("/v1/me") == "/v1/me"


@pytest.mark.slow
@pytest.mark.parametrize("workers", [1, 2])
def test_the_access_log_never_shows_the_calendar_feed_token(tmp_path: Path, workers: int) -> None:
    with serve(tmp_path, "--workers", str(workers)) as (url, log):
        with httpx2.Client(base_url=url, timeout=30) as http:
            made = http.post(
                "/v1/athletes", json={"name": "Sam"}, headers={"Authorization": f"Bearer {ADMIN}"}
            )
            me = http.get("/v1/me", headers={"Authorization": f"Bearer {made.json()['token']}"})
            feed = me.json()["calendar_url"]
            token = feed.rsplit("/", 1)[1].removesuffix(".ics")
            for _ in range(2 * workers):  # new connections: the kernel spreads them over workers
                with httpx2.Client(timeout=30) as fresh:
                    assert fresh.get(feed).status_code == 200
            assert http.get(f"{url}/v1/calendar/not-a-feed.ics").status_code == 404
        deadline = time.monotonic() + 10
        while log.read_text().count("/v1/calendar/<redacted>.ics") < 2 * workers + 1:
            assert time.monotonic() < deadline, log.read_text()
            time.sleep(0.1)
    output = log.read_text()
    assert token not in output and "not-a-feed" not in output
    assert '"GET /v1/me HTTP/1.1" 200' in output  # the access log is on
