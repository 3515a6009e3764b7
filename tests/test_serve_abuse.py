"""Issue 14, findings 4, 7 and 13, against a real ``legday serve`` over real sockets: the token is
checked before the upload's body is read, slow headers and slow bodies are cut off (their temp
files go), uploads in flight are bounded per athlete, in total and in memory, a second athlete's
small file waits for at most one parse while the first floods the parser, and SIGTERM leaves no
parse worker or resource tracker behind."""

from __future__ import annotations

import os
import select
import signal
import socket
import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import timedelta
from pathlib import Path

import httpx2
import psutil
import pytest

from tests.api_support import NOW, gpx_run
from tests.hardening_support import Served, served

pytestmark = pytest.mark.slow
BOUNDARY = "legdayboundary"


def athlete(server: Served, name: str) -> str:
    admin = {"Authorization": f"Bearer {server.admin_token()}"}
    r = httpx2.post(f"{server.url}/v1/athletes", json={"name": name}, headers=admin, timeout=30)
    assert r.status_code == 201, r.text
    return str(r.json()["token"])


def upload_head(token: str, length: int) -> bytes:
    return (
        "POST /v1/activities HTTP/1.1\r\nHost: 127.0.0.1\r\n"
        f"Authorization: Bearer {token}\r\n"
        f"Content-Type: multipart/form-data; boundary={BOUNDARY}\r\n"
        f"Content-Length: {length}\r\n\r\n"
    ).encode()


def part_head(name: str = "big.gpx") -> bytes:
    return (
        f'--{BOUNDARY}\r\nContent-Disposition: form-data; name="file"; filename="{name}"\r\n'
        "Content-Type: application/octet-stream\r\n\r\n"
    ).encode()


OPENED: list[socket.socket] = []


@pytest.fixture(autouse=True)
def close_sockets() -> Iterator[None]:
    yield
    while OPENED:
        OPENED.pop().close()


def connect(server: Served) -> socket.socket:
    sock = socket.create_connection(("127.0.0.1", server.port), timeout=10)
    OPENED.append(sock)
    return sock


def answer(sock: socket.socket, within_s: float) -> bytes:
    """What the server sent within ``within_s`` (b"" if nothing)."""
    sock.settimeout(within_s)
    try:
        return sock.recv(65536)
    except TimeoutError:
        return b""


def closed_by_server(sock: socket.socket, within_s: float) -> bool:
    """Whether the server closed the connection (EOF or reset) within ``within_s``."""
    deadline = time.monotonic() + within_s
    while time.monotonic() < deadline:
        readable, _, _ = select.select([sock], [], [], max(0.0, deadline - time.monotonic()))
        if not readable:
            return False
        try:
            if sock.recv(65536) == b"":
                return True
        except ConnectionError:
            return True
    return False


def temp_files(pid: int, tmp: Path) -> int:
    """The server's open files in its temp folder (spooled upload bodies, unlinked or not)."""
    count = 0
    for fd in Path(f"/proc/{pid}/fd").iterdir():
        try:
            if os.readlink(fd).startswith(str(tmp)):
                count += 1
        except OSError:
            continue
    return count


@pytest.fixture
def tight(tmp_path: Path) -> Iterator[Served]:
    """A server with short timeouts and small bounds, its temp folder its own."""
    with tight_server(tmp_path) as server:
        yield server


@contextmanager
def tight_server(tmp_path: Path, **extra: str) -> Iterator[Served]:
    tmp = tmp_path / "tmp"
    tmp.mkdir()
    env = {
        "TMPDIR": str(tmp), "LEGDAY_HEADER_TIMEOUT_S": "1", "LEGDAY_BODY_RATE_WINDOW_S": "1",
        "LEGDAY_BODY_MIN_RATE_KIB_S": "1024", "LEGDAY_BODY_IDLE_TIMEOUT_S": "2",
        "LEGDAY_UPLOAD_CONCURRENCY_PER_ATHLETE": "2", "LEGDAY_UPLOAD_MEMORY_MB": "12",
    }  # fmt: skip
    with served(tmp_path, extra_env=env | extra, parse_workers=1) as server:
        yield server


def test_an_unauthenticated_upload_is_refused_before_its_body_is_read(tight: Served) -> None:
    sock = connect(tight)
    sock.sendall(upload_head("not-a-token", 60 * 1024 * 1024))  # the head only: no body at all
    reply = answer(sock, 5)
    assert reply.startswith(b"HTTP/1.1 401"), reply[:200]
    assert closed_by_server(sock, 5)  # the 60 MB are never read


def test_half_sent_headers_are_closed_after_the_header_timeout(tight: Served) -> None:
    socks = [connect(tight) for _ in range(50)]
    for sock in socks:
        sock.sendall(b"GET /healthz HTTP/1.1\r\nHost: 127.0.0.1\r\nX-Slow: ")
    time.sleep(2.5)
    still_open = [s for s in socks if not closed_by_server(s, 2)]
    assert still_open == []
    assert httpx2.get(f"{tight.url}/healthz", timeout=5).status_code == 200


def test_a_trickled_upload_body_is_cut_off_and_its_temp_file_released(
    tight: Served, tmp_path: Path
) -> None:
    token = athlete(tight, "Ana")
    assert tight.process is not None
    sock = connect(tight)
    sock.sendall(upload_head(token, 10 * 1024 * 1024) + part_head())
    sock.sendall(b"<" * (2 * 1024 * 1024))  # past the 1 MiB spooled in memory: a temp file
    started = time.monotonic()
    while temp_files(tight.process.pid, tmp_path / "tmp") == 0 and time.monotonic() - started < 5:
        time.sleep(0.1)
    reply = b""
    while not reply and time.monotonic() - started < 12:  # then a byte a second
        try:
            sock.sendall(b"<")
        except OSError:
            break
        reply = answer(sock, 1)
    assert reply.startswith(b"HTTP/1.1 408"), reply[:200]
    assert time.monotonic() - started < 10
    time.sleep(0.5)
    assert temp_files(tight.process.pid, tmp_path / "tmp") == 0


def test_uploads_in_flight_are_bounded_per_athlete_and_by_the_memory_budget(
    tmp_path: Path,
) -> None:
    slow_is_fine = {"LEGDAY_BODY_RATE_WINDOW_S": "60", "LEGDAY_BODY_IDLE_TIMEOUT_S": "60"}
    with tight_server(tmp_path, **slow_is_fine) as server:
        bounded(server)


def bounded(tight: Served) -> None:
    ana, bo = athlete(tight, "Ana"), athlete(tight, "Bo")
    held = []
    for _ in range(2):  # two uploads of Ana's in progress (the per-athlete bound)
        sock = connect(tight)
        sock.sendall(upload_head(ana, 5 * 1024 * 1024) + part_head())
        held.append(sock)
    time.sleep(0.5)
    third = connect(tight)
    third.sendall(upload_head(ana, 1024))
    reply = answer(third, 5)
    assert reply.startswith(b"HTTP/1.1 429"), reply[:200]
    assert b"retry-after: 5" in reply.lower()
    # Bo is within his own bound, but 2 × 5 MiB of Ana's are held: 5 MiB more is over 12 MiB.
    fourth = connect(tight)
    fourth.sendall(upload_head(bo, 5 * 1024 * 1024))
    reply = answer(fourth, 5)
    assert reply.startswith(b"HTTP/1.1 503"), reply[:200]
    assert b"retry-after" in reply.lower()
    small = gpx_run(NOW - timedelta(days=1), km=2)
    ok = httpx2.post(
        f"{tight.url}/v1/activities", files={"file": ("s.gpx", small)},
        headers={"Authorization": f"Bearer {bo}"}, timeout=30,
    )  # fmt: skip
    assert ok.status_code == 201, ok.text


def test_a_second_athletes_small_file_waits_for_at_most_one_parse_while_the_first_floods(
    tmp_path: Path,
) -> None:
    """One parse worker; Ana sends 8 large runs at once, Bo a small one just after. Counted in
    Ana's uploads answered while Bo waited (not in seconds, which depend on the machine's load):
    at most the one being parsed when Bo arrived, and one more that may have ended as he did."""
    env = {"LEGDAY_UPLOAD_CONCURRENCY_PER_ATHLETE": "12", "LEGDAY_UPLOAD_CONCURRENCY": "20",
           "LEGDAY_UPLOAD_MEMORY_MB": "1024"}  # fmt: skip
    with served(tmp_path, extra_env=env, parse_workers=1) as server:
        ana, bo = athlete(server, "Ana"), athlete(server, "Bo")
        url = f"{server.url}/v1/activities"
        answered: list[float] = []

        def post(token: str, data: bytes) -> float:
            r = httpx2.post(url, files={"file": ("a.gpx", data)},
                            headers={"Authorization": f"Bearer {token}"}, timeout=300)  # fmt: skip
            assert r.status_code in (200, 201), r.text
            answered.append(time.monotonic())
            return answered[-1]

        post(ana, gpx_run(NOW - timedelta(days=30), km=300))  # the worker is warm
        big = [gpx_run(NOW - timedelta(days=d, minutes=d), km=300) for d in range(1, 9)]
        flood = [threading.Thread(target=post, args=(ana, data)) for data in big]
        for thread in flood:
            thread.start()
        time.sleep(1.0)  # Ana's first run is being parsed, the others wait
        asked = time.monotonic()
        done = post(bo, gpx_run(NOW - timedelta(days=1), km=2))
        for thread in flood:
            thread.join()
        before_bo = [t for t in answered if asked < t < done]
        after_bo = [t for t in answered if t > done]
        assert len(before_bo) <= 2, f"{len(before_bo)} of Ana's parses went before Bo's"
        assert len(after_bo) >= 4  # Ana's flood was still queued when Bo was answered


def test_sigterm_stops_the_parse_workers_and_the_resource_tracker(tmp_path: Path) -> None:
    with served(tmp_path, parse_workers=2) as server:
        token = athlete(server, "Ana")
        runs = [gpx_run(NOW - timedelta(days=d), km=20) for d in (1, 2)]
        threads = [
            threading.Thread(
                target=httpx2.post,
                args=(f"{server.url}/v1/activities",),
                kwargs={
                    "files": {"file": ("r.gpx", run)},
                    "headers": {"Authorization": f"Bearer {token}"},
                    "timeout": 60,
                },
            )
            for run in runs
        ]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join()
        assert server.process is not None
        children = psutil.Process(server.process.pid).children(recursive=True)
        assert len(children) >= 2, children  # parse workers (and the resource tracker)
        os.kill(server.process.pid, signal.SIGTERM)
        server.process.wait(timeout=30)
        deadline = time.monotonic() + 10
        alive = children
        while alive and time.monotonic() < deadline:
            alive = [c for c in alive if c.is_running() and c.status() != psutil.STATUS_ZOMBIE]
            time.sleep(0.2)
        leftover = [(c.pid, " ".join(c.cmdline()[-3:])) for c in alive]
        for child in alive:
            child.kill()
        assert leftover == []
