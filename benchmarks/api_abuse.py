"""Issue 14's abuse figures against a real ``legday serve`` started from a given checkout, so the
same run can be made before (an old checkout with its own venv) and after:

    python -m benchmarks.api_abuse --checkout /tmp/old-legday --label before
    python -m benchmarks.api_abuse --checkout . --label after

1. trickle: 40 uploads send 4 MiB at once, then a byte a second, without a valid token and then
   with the tokens of 10 athletes: the temp disk the server holds for them (its open files in its
   own TMPDIR) and how many are still open, 5 s in and 30 s in (after the timeouts); half-sent
   headers: 500 connections that never end their headers, still open 20 s later.
2. uploads: 20 concurrent uploads of one athlete (~10 MiB GPX each), then another athlete's
   small file: the server's peak RSS (with its parse workers) and that athlete's latency.
3. plan flood: one athlete asks for plans with a random ``as_of`` from 6 threads for 20 s; the
   p50/p99 of another athlete's (cached) plan meanwhile, and without the flood.

Prints one line per figure and the whole as JSON (``--json PATH``). Statuses are counted: a 500
anywhere is reported.
"""

from __future__ import annotations

import argparse
import json
import os
import random
import socket
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from collections import Counter
from datetime import UTC, date, datetime, timedelta
from pathlib import Path
from typing import Any

import httpx2
import psutil

from benchmarks.common import SAMPLE

MiB = 1024 * 1024
BOUNDARY = "benchboundary"


class Server:
    def __init__(self, checkout: Path, work: Path) -> None:
        self.work = work
        self.tmp = work / "tmp"
        self.tmp.mkdir(parents=True)
        with socket.socket() as s:
            s.bind(("127.0.0.1", 0))
            self.port = s.getsockname()[1]
        env = {k: v for k, v in os.environ.items() if not k.startswith("LEGDAY_")}
        env |= {"LEGDAY_DATA_DIR": str(work / "data"), "TMPDIR": str(self.tmp),
                "PYTHONPATH": str(checkout)}  # fmt: skip
        python = checkout / ".venv" / "bin" / "python"
        command = [str(python), "-m", "api", "serve", "--port", str(self.port),
                   "--parse-workers", "2", "--no-access-log"]  # fmt: skip
        self.log = (work / "serve.log").open("wb")
        self.process = subprocess.Popen(
            command, cwd=checkout, env=env, stdout=self.log, stderr=subprocess.STDOUT,
            start_new_session=True,
        )  # fmt: skip
        self.url = f"http://127.0.0.1:{self.port}"
        deadline = time.monotonic() + 90
        while time.monotonic() < deadline:
            try:
                if httpx2.get(f"{self.url}/healthz", timeout=1).status_code == 200:
                    return
            except httpx2.TransportError:
                time.sleep(0.2)
        raise RuntimeError((work / "serve.log").read_text())

    def admin(self) -> dict[str, str]:
        token = (self.work / "data" / "admin_token").read_text().strip()
        return {"Authorization": f"Bearer {token}"}

    def athlete(self, name: str, files: list[Path]) -> dict[str, str]:
        r = httpx2.post(f"{self.url}/v1/athletes", json={"name": name}, headers=self.admin())
        auth = {"Authorization": f"Bearer {r.json()['token']}"}
        for path in files:
            httpx2.post(f"{self.url}/v1/activities", files={"file": (path.name, path.read_bytes())},
                        headers=auth, timeout=120)  # fmt: skip
        return auth

    def rss_mib(self) -> float:
        try:
            root = psutil.Process(self.process.pid)
            procs = [root, *root.children(recursive=True)]
            return sum(p.memory_info().rss for p in procs if p.is_running()) / MiB
        except psutil.Error:
            return 0.0

    def temp_held_mib(self) -> float:
        held = 0
        for fd in Path(f"/proc/{self.process.pid}/fd").iterdir():
            try:
                if os.readlink(fd).startswith(str(self.tmp)):
                    held += os.stat(fd).st_blocks * 512
            except OSError:
                continue
        return held / MiB

    def stop(self) -> None:
        self.process.terminate()
        try:
            self.process.wait(30)
        except subprocess.TimeoutExpired:
            os.killpg(self.process.pid, 9)
        self.log.close()


def still_open(socks: list[socket.socket]) -> int:
    """Connections the server has not closed (a read would block, or got an answer only)."""
    count = 0
    for sock in socks:
        sock.setblocking(False)
        try:
            while True:
                data = sock.recv(65536)
                if data == b"":
                    break
        except BlockingIOError:
            count += 1
        except OSError:
            pass
    return count


def trickling(server: Server, tokens: list[str]) -> dict[str, Any]:
    """One upload per token: 4 MiB at once, then a byte a second; the temp disk held and the
    connections open 5 s and 30 s in."""
    socks: list[socket.socket] = []
    stop = threading.Event()

    def one(token: str) -> None:
        head = (
            f"POST /v1/activities HTTP/1.1\r\nHost: x\r\nAuthorization: Bearer {token}\r\n"
            f"Content-Type: multipart/form-data; boundary={BOUNDARY}\r\n"
            f"Content-Length: {60 * MiB}\r\n\r\n--{BOUNDARY}\r\n"
            'Content-Disposition: form-data; name="file"; filename="a.gpx"\r\n\r\n'
        ).encode()
        sock = socket.create_connection(("127.0.0.1", server.port))
        socks.append(sock)
        try:
            sock.sendall(head + b"<" * (4 * MiB))
            while not stop.is_set():
                sock.send(b"<")
                stop.wait(1)
        except OSError:
            return

    threads = [threading.Thread(target=one, args=(t,), daemon=True) for t in tokens]
    for t in threads:
        t.start()
    time.sleep(5)
    early = {"temp_mib": round(server.temp_held_mib(), 1), "open": still_open(list(socks))}
    time.sleep(25)
    late = {"temp_mib": round(server.temp_held_mib(), 1), "open": still_open(list(socks))}
    stop.set()
    for s in socks:
        s.close()
    return {"at_5s": early, "at_30s": late}


def trickle(server: Server) -> dict[str, Any]:
    anonymous = trickling(server, ["nope"] * 40)
    tokens = [server.athlete(f"Trickler {i}", []) for i in range(10)]
    signed_in = trickling(server, [t["Authorization"].split()[1] for t in tokens for _ in range(4)])
    half = []
    for _ in range(500):
        s = socket.create_connection(("127.0.0.1", server.port))
        s.sendall(b"GET /healthz HTTP/1.1\r\nHost: x\r\nX-Slow: ")
        half.append(s)
    time.sleep(20)
    half_open = still_open(half)
    for s in half:
        s.close()
    return {"unauthenticated_40": anonymous, "authenticated_40_of_10_athletes": signed_in,
            "half_headers_500_open_at_20s": half_open}  # fmt: skip


def big_gpx(start: datetime, points: int) -> bytes:
    rows = []
    for i in range(points):
        t = (start + timedelta(seconds=i * 5)).strftime("%Y-%m-%dT%H:%M:%SZ")
        lat = 47.0 + (i % 20000) * 0.00002
        rows.append(f'<trkpt lat="{lat:.6f}" lon="8.5"><ele>{500 + (i % 400)}</ele>'
                    f"<time>{t}</time></trkpt>")  # fmt: skip
    return ('<?xml version="1.0"?><gpx version="1.1" creator="bench" '
            'xmlns="http://www.topografix.com/GPX/1/1"><trk><type>running</type><trkseg>'
            + "".join(rows) + "</trkseg></trk></gpx>").encode()  # fmt: skip


def uploads(server: Server) -> dict[str, Any]:
    ana = server.athlete("Flood", [])
    bo = server.athlete("Other", [])
    files = [big_gpx(datetime(2026, 1, 1, tzinfo=UTC) + timedelta(days=d), 110_000)
             for d in range(20)]  # fmt: skip
    statuses: Counter[int] = Counter()
    base = server.rss_mib()
    peak = base
    done = threading.Event()

    def sample() -> None:
        nonlocal peak
        while not done.is_set():
            peak = max(peak, server.rss_mib())
            time.sleep(0.2)

    def post(auth: dict[str, str], data: bytes, name: str) -> float:
        started = time.monotonic()
        try:
            r = httpx2.post(f"{server.url}/v1/activities", files={"file": (name, data)},
                            headers=auth, timeout=900)  # fmt: skip
            statuses[r.status_code] += 1
        except httpx2.TransportError:
            statuses[0] += 1
        return time.monotonic() - started

    sampler = threading.Thread(target=sample, daemon=True)
    sampler.start()
    threads = [threading.Thread(target=post, args=(ana, f, "big.gpx")) for f in files]
    for t in threads:
        t.start()
    time.sleep(3)
    small = (SAMPLE / "2026-09-09-easy-run.gpx").read_bytes()
    latency = post(bo, small, "small.gpx")
    for t in threads:
        t.join()
    done.set()
    return {"file_mib": round(len(files[0]) / MiB, 1), "rss_before_mib": round(base),
            "rss_peak_mib": round(peak), "other_athlete_latency_s": round(latency, 2),
            "statuses": dict(statuses)}  # fmt: skip


def flood(server: Server) -> dict[str, Any]:
    files = sorted(SAMPLE.glob("*.*"))
    ana = server.athlete("Flooder", files)
    bo = server.athlete("Victim", files)
    plan = f"{server.url}/v1/recommendation"

    def victim(seconds: float) -> list[float]:
        times = []
        end = time.monotonic() + seconds
        with httpx2.Client(timeout=60) as http:
            http.get(plan, headers=bo)
            while time.monotonic() < end:
                started = time.monotonic()
                http.get(plan, headers=bo)
                times.append((time.monotonic() - started) * 1000)
                time.sleep(0.05)
        return times

    quiet = victim(8)
    statuses: Counter[int] = Counter()
    stop = threading.Event()

    def attacker() -> None:
        with httpx2.Client(timeout=60) as http:
            while not stop.is_set():
                day = date(2020, 1, 1) + timedelta(days=random.randrange(2500))
                r = http.get(plan, params={"as_of": day.isoformat()}, headers=ana)
                statuses[r.status_code] += 1

    attackers = [threading.Thread(target=attacker, daemon=True) for _ in range(6)]
    for t in attackers:
        t.start()
    time.sleep(2)
    loud = victim(20)
    stop.set()
    for t in attackers:
        t.join()

    def pct(xs: list[float], q: float) -> float:
        return round(statistics.quantiles(xs, n=100)[q - 1], 1) if len(xs) > 2 else float("nan")

    return {"victim_quiet_p50_ms": pct(quiet, 50), "victim_quiet_p99_ms": pct(quiet, 99),
            "victim_flood_p50_ms": pct(loud, 50), "victim_flood_p99_ms": pct(loud, 99),
            "flood_statuses": dict(statuses)}  # fmt: skip


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--checkout", type=Path, required=True, help="a checkout with .venv")
    parser.add_argument("--label", default="run")
    parser.add_argument("--only", choices=("trickle", "uploads", "flood"), action="append")
    parser.add_argument("--json", type=Path)
    args = parser.parse_args(argv)
    results: dict[str, Any] = {"label": args.label, "checkout": str(args.checkout.resolve())}
    for name, fn in (("trickle", trickle), ("uploads", uploads), ("flood", flood)):
        if args.only and name not in args.only:
            continue
        with tempfile.TemporaryDirectory(prefix="legday-abuse-") as work:
            server = Server(args.checkout.resolve(), Path(work))
            try:
                results[name] = fn(server)
            finally:
                server.stop()
        print(f"{args.label} {name}: {json.dumps(results[name])}", flush=True)
    if args.json:
        args.json.write_text(json.dumps(results, indent=2))
    return 0


if __name__ == "__main__":
    sys.exit(main())
