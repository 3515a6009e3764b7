"""API test builders: settings and a real store in tmp_path, watch files made on the fly."""

from __future__ import annotations

import gzip
import math
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import UTC, datetime, timedelta
from pathlib import Path

from fastapi.testclient import TestClient

from api.app import create_app
from api.settings import Settings
from ingest.store import Store
from tests.store_fixtures import postgres_schema

ADMIN = "admin-token-for-tests"
NOW = datetime(2026, 3, 4, 10, 0, tzinfo=UTC)  # a Wednesday


def settings_for(data_dir: Path, database_url: str = "", **overrides: object) -> Settings:
    return Settings(
        data_dir=data_dir,
        database_url=database_url,
        admin_token=ADMIN,
        **overrides,  # type: ignore[arg-type]
    )


@contextmanager
def api_client(settings: Settings, now: datetime = NOW) -> Iterator[TestClient]:
    """A TestClient on a fresh app over a migrated store (SQLite or PostgreSQL)."""
    store = Store(settings.database_url, settings.data_dir)
    store.upgrade()
    store.dispose()
    with TestClient(create_app(settings, clock=lambda: now)) as client:
        yield client


def bearer(token: str) -> dict[str, str]:
    return {"Authorization": f"Bearer {token}"}


def new_athlete(client: TestClient, name: str, **profile: object) -> tuple[int, dict[str, str]]:
    r = client.post("/v1/athletes", json={"name": name, **profile}, headers=bearer(ADMIN))
    assert r.status_code == 201, r.text
    return r.json()["id"], bearer(r.json()["token"])


def gpx_run(
    start: datetime, *, km: float = 8.0, climb: float = 200.0, pace_s_per_km: float = 330.0
) -> bytes:
    """A GPX 1.1 run: out and back on a hill (``climb`` metres up, then down), a point every 5 s."""
    step_s = 5.0
    total_s = km * pace_s_per_km
    n = int(total_s / step_s) + 1
    lat0, lon0, ele0 = 47.37, 8.54, 430.0
    metres_per_deg = 111_320.0
    points = []
    for i in range(n):
        frac = i / (n - 1)
        along = km * 1000 * frac
        there = along if frac <= 0.5 else km * 1000 - along  # out, then back
        ele = ele0 + climb * math.sin(math.pi * frac)
        t = (start + timedelta(seconds=i * step_s)).astimezone(UTC)
        points.append(
            f'<trkpt lat="{lat0 + there / metres_per_deg:.7f}" lon="{lon0:.7f}">'
            f"<ele>{ele:.1f}</ele><time>{t.strftime('%Y-%m-%dT%H:%M:%SZ')}</time></trkpt>"
        )
    return (
        '<?xml version="1.0" encoding="UTF-8"?>\n'
        '<gpx version="1.1" creator="legday tests" xmlns="http://www.topografix.com/GPX/1/1">'
        f"<trk><name>test run</name><type>running</type><trkseg>{''.join(points)}</trkseg></trk>"
        "</gpx>"
    ).encode()


def gzipped(data: bytes) -> bytes:
    return gzip.compress(data, mtime=0)


@contextmanager
def client_on(
    backend: str, tmp_path: Path, postgres_url: str | None = None
) -> Iterator[TestClient]:
    """A client over SQLite in tmp_path, or over a throw-away PostgreSQL schema."""
    if backend == "sqlite":
        with api_client(settings_for(tmp_path / "data")) as client:
            yield client
        return
    assert postgres_url
    with (
        postgres_schema(postgres_url) as scoped,
        api_client(settings_for(tmp_path / "data", scoped)) as client,
    ):
        yield client
