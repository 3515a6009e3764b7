"""GET /v1/recommendation and GET /v1/weeks latency of a real ``legday serve`` process.

Run: ``python benchmarks/api_latency.py`` from the repository root (``--postgres URL`` adds
PostgreSQL; ``LEGDAY_TEST_DATABASE_URL`` is used when set). An athlete with five years of history
(~1,500 activity summaries written through ``Store.add_activity``: 4–6 runs a week, a weekend long
run with its descent, hikes, rides and the odd duplicate export) is served by ``legday serve`` on a
free loopback port; a bounded number of requests is sent by 1 and by 50 concurrent clients
(asyncio + httpx2, keep-alive). Each configuration is measured twice in the same run: with the
plan cache off (``LEGDAY_PLAN_CACHE_SIZE=0``, the baseline) and on, and the ratios are printed.
"""

from __future__ import annotations

import argparse
import asyncio
import hashlib
import math
import os
import re
import shutil
import socket
import subprocess
import sys
import tempfile
import time
import uuid
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta
from pathlib import Path

import httpx2
import numpy as np

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from ingest.measure.summary import ActivitySummary  # noqa: E402
from ingest.pipeline import ParsedActivity  # noqa: E402
from ingest.store import Store  # noqa: E402

YEARS = 5
ADMIN = "benchmark-admin-token"
TIMEZONE = "Europe/Zurich"
PATHS = ("/v1/recommendation", "/v1/weeks")


# --- the athlete -------------------------------------------------------------------------------


def _summary(
    start: datetime, *, sport: str, km: float, climb: float, hr: float | None, fmt: str
) -> ParsedActivity:
    pace = {"hike": 720.0, "ride": 150.0}.get(sport, 330.0 + climb / km * 0.8)
    moving = km * pace
    descent_by_grade = {
        "0-5": climb * 0.2,
        "5-10": climb * 0.35,
        "10-20": climb * 0.3,
        "20+": climb * 0.15,
    }
    content = f"{fmt}|{start.isoformat()}|{sport}|{km:.3f}|{climb:.1f}".encode()
    sha = hashlib.sha256(content).hexdigest()
    trimp = None if hr is None else moving / 60 * (hr - 50) / 60
    summary = ActivitySummary(
        start=start,
        local_date=(start + timedelta(hours=1)).date(),
        utc_offset_s=3600,
        sport=sport,  # type: ignore[arg-type]
        duration_s=moving * 1.06,
        moving_s=moving,
        distance_m=km * 1000,
        ascent_m=climb,
        descent_m=climb,
        elevation_source="device",
        elevation_note="barometric device totals",
        ascent_recomputed_m=climb * 1.03,
        descent_recomputed_m=climb * 1.02,
        ascent_device_m=climb,
        descent_device_m=climb,
        descent_by_grade_m=descent_by_grade,
        descent_load_m=climb * 0.2 * 0.5 + climb * 0.35 + climb * 0.3 * 1.5 + climb * 0.15 * 2.0,
        km_effort=km + climb / 100,
        trimp=trimp,
        avg_hr=hr,
        max_hr=None if hr is None else hr + 18,
        device="garmin fenix 7" if fmt == "fit" else None,
        format=fmt,
        sha256=sha,
        samples=int(moving),
    )
    return ParsedActivity(summary, content, sha, fmt, f"{start:%Y-%m-%d-%H%M}.{fmt}", True)


def history(today: date, years: int = YEARS, seed: int = 11) -> list[ParsedActivity]:
    """Five years up to yesterday: 4–6 runs a week (a long run at the weekend, one hard session),
    a hike now and then, rides (not counted), and a GPX export of 3 % of the runs (duplicates)."""
    rng = np.random.default_rng(seed)
    first_monday = today - timedelta(days=today.weekday()) - timedelta(weeks=52 * years)
    out: list[ParsedActivity] = []
    for week in range(52 * years + 1):
        monday = first_monday + timedelta(weeks=week)
        season = 1.0 + 0.3 * math.sin(2 * math.pi * week / 52)  # spring and autumn blocks
        runs = int(rng.integers(4, 7))
        long_day = 5 if rng.random() < 0.7 else 6
        easy = [d for d in (0, 1, 2, 3, 4) if d != long_day]
        days = sorted({long_day, 1, *rng.choice(easy, size=runs - 2, replace=False).tolist()})
        for d in days:
            day = monday + timedelta(days=d)
            if day >= today:
                continue
            start = datetime(day.year, day.month, day.day, 6, 30, tzinfo=UTC)
            start += timedelta(minutes=int(rng.integers(0, 600)))
            if d == long_day:
                km, climb = rng.uniform(18, 32) * season, rng.uniform(800, 2200) * season
            elif d == 1:
                km, climb = rng.uniform(10, 14), rng.uniform(100, 300)
            else:
                km, climb = rng.uniform(6, 12), rng.uniform(50, 500)
            hr = float(rng.uniform(135, 165)) if rng.random() < 0.8 else None
            out.append(_summary(start, sport="trail_run", km=km, climb=climb, hr=hr, fmt="fit"))
            if rng.random() < 0.03:  # the same run, exported as GPX: a duplicate
                out.append(_summary(start, sport="trail_run", km=km, climb=climb, hr=hr, fmt="gpx"))
        if rng.random() < 0.6:
            day = monday + timedelta(days=6)
            if day < today:
                start = datetime(day.year, day.month, day.day, 9, tzinfo=UTC)
                km, climb = rng.uniform(8, 15), rng.uniform(600, 1400)
                out.append(_summary(start, sport="hike", km=km, climb=climb, hr=None, fmt="gpx"))
        if rng.random() < 0.4:
            day = monday + timedelta(days=2)
            if day < today:
                start = datetime(day.year, day.month, day.day, 17, tzinfo=UTC)
                out.append(_summary(start, sport="ride", km=40.0, climb=500.0, hr=130.0, fmt="fit"))
    return out


def seed(store: Store, today: date) -> tuple[int, str, int]:
    """The benchmark athlete (id, token) and how many activities were written."""
    athlete, token = store.create_athlete(
        "Bench",
        timezone=TIMEZONE,
        hr_rest=48,
        hr_max=186,
        sex="female",
        lifting_experience="trained",
        races=[
            {
                "date": (today + timedelta(days=60)).isoformat(),
                "name": "ultra",
                "distance_km": 80,
                "ascent_m": 4500,
                "priority": "A",
            }
        ],
    )
    activities = history(today)
    for parsed in activities:
        store.add_activity(athlete.id, parsed)
    for weeks_ago in range(1, 20):
        day = today - timedelta(weeks=weeks_ago, days=today.weekday() - 2)
        store.add_strength(athlete.id, day, "back_squat", [{"reps": 5, "load_kg": 70.0}] * 3)
        store.add_checkin(athlete.id, day, sleep_hours=7.5, soreness=3)
    return athlete.id, token, len(activities)


@contextmanager
def postgres_schema(url: str) -> Iterator[str]:
    """A throw-away schema in the database ``url`` names; yields a URL scoped to it."""
    from sqlalchemy import create_engine, make_url, text

    schema = f"legday_bench_{uuid.uuid4().hex[:10]}"
    admin = create_engine(url)
    with admin.begin() as conn:
        conn.execute(text(f'CREATE SCHEMA "{schema}"'))
    scoped = make_url(url).update_query_dict({"options": f"-csearch_path={schema}"})
    try:
        yield scoped.render_as_string(hide_password=False)
    finally:
        with admin.begin() as conn:
            conn.execute(text(f'DROP SCHEMA "{schema}" CASCADE'))
        admin.dispose()


# --- the server --------------------------------------------------------------------------------


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


@contextmanager
def legday_serve(
    data_dir: Path, database_url: str, *, extra_env: dict[str, str], args: tuple[str, ...] = ()
) -> Iterator[str]:
    """``legday serve`` as a subprocess on a free loopback port; stopped by its pid after."""
    port = free_port()
    env = {k: v for k, v in os.environ.items() if not k.startswith("LEGDAY_")}
    env |= {"LEGDAY_DATA_DIR": str(data_dir), "LEGDAY_ADMIN_TOKEN": ADMIN, **extra_env}
    if database_url:
        env["LEGDAY_DATABASE_URL"] = database_url
    legday = Path(sys.executable).with_name("legday")
    command = [str(legday)] if legday.exists() else [sys.executable, "-m", "api"]
    log = data_dir / f"serve-{port}.log"
    with log.open("w") as out:
        process = subprocess.Popen(
            [*command, "serve", "--port", str(port), "--parse-workers", "0", *args],
            env=env,
            stdout=out,
            stderr=subprocess.STDOUT,
        )
    url = f"http://127.0.0.1:{port}"
    try:
        deadline = time.monotonic() + 60
        while True:
            if process.poll() is not None:
                raise RuntimeError(f"legday serve exited:\n{log.read_text()}")
            try:
                if httpx2.get(f"{url}/healthz", timeout=1).status_code == 200:
                    break
            except httpx2.TransportError:
                pass
            if time.monotonic() > deadline:
                raise RuntimeError(f"legday serve did not start:\n{log.read_text()}")
            time.sleep(0.2)
        yield url
    finally:
        process.terminate()
        try:
            process.wait(timeout=15)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait()


# --- the load ----------------------------------------------------------------------------------


@dataclass(frozen=True)
class Stats:
    requests: int
    p50_ms: float
    p99_ms: float
    per_s: float
    errors: int

    def row(self) -> str:
        return (
            f"p50 {self.p50_ms:7.1f} ms  p99 {self.p99_ms:7.1f} ms  "
            f"{self.per_s:7.1f} req/s  ({self.requests} requests, {self.errors} errors)"
        )


def percentile(values: list[float], q: float) -> float:
    return float(np.percentile(np.asarray(values), q))


async def _get(reader: asyncio.StreamReader, writer: asyncio.StreamWriter, request: bytes) -> int:
    """One keep-alive HTTP/1.1 GET on an open connection; the status code."""
    writer.write(request)
    await writer.drain()
    head = await reader.readuntil(b"\r\n\r\n")
    status = int(head.split(b" ", 2)[1])
    length = 0
    for line in head.split(b"\r\n")[1:]:
        name, _, value = line.partition(b":")
        if name.strip().lower() == b"content-length":
            length = int(value)
    await reader.readexactly(length)
    return status


async def _load(url: str, path: str, token: str, clients: int, requests: int) -> Stats:
    """``clients`` keep-alive connections share ``requests`` GETs. A bare asyncio client (no
    HTTP library): on a 2-core machine the load generator's own CPU is taken from the server."""
    host, port = url.removeprefix("http://").split(":")
    request = (
        f"GET {path} HTTP/1.1\r\nHost: {host}:{port}\r\n"
        f"Authorization: Bearer {token}\r\nAccept: application/json\r\n\r\n"
    ).encode()
    latencies: list[float] = []
    errors = 0
    remaining = requests

    async def client() -> None:
        nonlocal remaining, errors
        reader, writer = await asyncio.open_connection(host, int(port))
        try:
            await _get(reader, writer, request)  # warm: the connection, the first plan
            while remaining > 0:
                remaining -= 1
                t = time.perf_counter()
                status = await _get(reader, writer, request)
                latencies.append((time.perf_counter() - t) * 1000)
                errors += status != 200
        finally:
            writer.close()

    t0 = time.perf_counter()
    await asyncio.gather(*(client() for _ in range(clients)))
    wall = time.perf_counter() - t0
    return Stats(
        len(latencies),
        percentile(latencies, 50),
        percentile(latencies, 99),
        len(latencies) / wall,
        errors,
    )


def measure(url: str, path: str, token: str, clients: int, requests: int) -> Stats:
    return asyncio.run(_load(url, path, token, clients, requests))


def measure_wrk(url: str, path: str, token: str, clients: int, seconds: int) -> Stats | None:
    """The same load from ``wrk`` (C, one thread: less of the 2 cores taken from the server),
    bounded by time; None when wrk is not installed (``apt-get install wrk``)."""
    wrk = shutil.which("wrk")
    if wrk is None:
        return None
    auth = ("-H", f"Authorization: Bearer {token}")
    out = subprocess.run(
        [wrk, "-t1", f"-c{clients}", f"-d{seconds}s", "--latency", *auth, url + path],
        capture_output=True,
        text=True,
        check=True,
    ).stdout
    lat: dict[str, float] = {}
    for q, value, unit in re.findall(r"^\s+(50|99)%\s+([\d.]+)(us|ms|s)\s*$", out, re.M):
        lat[q] = float(value) * {"us": 0.001, "ms": 1.0, "s": 1000.0}[unit]
    total = int(re.search(r"(\d+) requests in", out).group(1))  # type: ignore[union-attr]
    per_s = float(re.search(r"Requests/sec:\s+([\d.]+)", out).group(1))  # type: ignore[union-attr]
    bad = re.search(r"Non-2xx or 3xx responses: (\d+)", out)
    return Stats(total, lat["50"], lat["99"], per_s, int(bad.group(1)) if bad else 0)


# --- the run -----------------------------------------------------------------------------------


@dataclass(frozen=True)
class Case:
    backend: str
    variant: str  # "baseline" (cache off) or "cached"
    path: str
    clients: int
    stats: Stats


# name → (environment, extra ``legday serve`` flags); the first is the baseline of the run
VARIANTS: dict[str, tuple[dict[str, str], tuple[str, ...]]] = {
    "baseline": ({"LEGDAY_PLAN_CACHE_SIZE": "0"}, ()),
    "cached": ({}, ()),
    "cached-2w": ({}, ("--workers", "2", "--no-access-log")),
}


def run_backend(
    backend: str,
    database_url: str,
    data_dir: Path,
    *,
    requests: dict[int, int],
    variants: Sequence[str] = tuple(VARIANTS),
    wrk_seconds: int = 0,
) -> tuple[list[Case], str, int]:
    store = Store(database_url or None, data_dir)
    store.upgrade()
    today = datetime.now(UTC).date()
    t = time.perf_counter()
    _, token, n = seed(store, today)
    seeded_s = time.perf_counter() - t
    store.dispose()
    print(f"[{backend}] seeded {n} activities through Store.add_activity in {seeded_s:.1f} s")
    cases = []
    for variant in variants:
        env, flags = VARIANTS[variant]
        with legday_serve(data_dir, database_url, extra_env=env, args=flags) as url:
            for path in PATHS:
                for clients, count in requests.items():
                    stats = measure(url, path, token, clients, count)
                    cases.append(Case(backend, variant, path, clients, stats))
                    print(f"[{backend}] {variant:9} {path:19} {clients:2} clients: {stats.row()}")
                    if wrk_seconds and variant != "baseline" and clients > 1:
                        by_wrk = measure_wrk(url, path, token, clients, wrk_seconds)
                        if by_wrk is not None:
                            name = f"{variant}/wrk"
                            cases.append(Case(backend, name, path, clients, by_wrk))
                            row = by_wrk.row()
                            print(f"[{backend}] {name:9} {path:19} {clients:2} clients: {row}")
    return cases, token, n


def report(cases: list[Case]) -> None:
    print("\nratios against the baseline of the same run (cache off, 1 worker):")
    index = {(c.backend, c.variant, c.path, c.clients): c.stats for c in cases}
    for c in cases:
        if c.variant == "baseline":
            continue
        base = index.get((c.backend, "baseline", c.path, c.clients))
        if base is None:
            continue
        new = c.stats
        print(
            f"  {c.backend:10} {c.variant:9} {c.path:19} {c.clients:2} clients: "
            f"p50 {base.p50_ms:.1f} → {new.p50_ms:.1f} ms ({base.p50_ms / new.p50_ms:.1f}×), "
            f"p99 {base.p99_ms:.1f} → {new.p99_ms:.1f} ms ({base.p99_ms / new.p99_ms:.1f}×), "
            f"{base.per_s:.0f} → {new.per_s:.0f} req/s ({new.per_s / base.per_s:.1f}×)"
        )
    for c in cases:
        if c.variant != "baseline" and c.path == "/v1/recommendation" and c.clients == 50:
            verdict = "meets" if c.stats.p99_ms <= 50 else "misses"
            print(
                f"  {c.backend} {c.variant}: recommendation p99 at 50 clients "
                f"{c.stats.p99_ms:.1f} ms {verdict} the 50 ms target"
            )


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--postgres", default=os.environ.get("LEGDAY_TEST_DATABASE_URL", ""))
    parser.add_argument("--single", type=int, default=200, help="requests with 1 client")
    parser.add_argument("--concurrent", type=int, default=1000, help="requests with 50 clients")
    parser.add_argument("--variants", default=",".join(VARIANTS), help="which, comma-separated")
    parser.add_argument("--wrk", type=int, default=10, help="seconds of wrk at 50 clients (0: no)")
    args = parser.parse_args(argv)
    requests = {1: args.single, 50: args.concurrent}
    variants = args.variants.split(",")
    wrk = args.wrk
    print(f"machine: {os.cpu_count()} cores; Python {sys.version.split()[0]}")
    cases: list[Case] = []
    with tempfile.TemporaryDirectory(prefix="legday-bench-") as tmp:
        sqlite_dir = Path(tmp) / "sqlite"
        cases += run_backend(
            "sqlite", "", sqlite_dir, requests=requests, variants=variants, wrk_seconds=wrk
        )[0]
        if args.postgres:
            with postgres_schema(args.postgres) as url:
                pg_dir = Path(tmp) / "pg"
                cases += run_backend(
                    "postgresql", url, pg_dir, requests=requests, variants=variants, wrk_seconds=wrk
                )[0]
        else:
            print("PostgreSQL skipped: pass --postgres URL or set LEGDAY_TEST_DATABASE_URL")
    report(cases)


if __name__ == "__main__":
    main()
