"""Builders for store tests: a ParsedActivity without a parser, and a fresh store on SQLite or on a
throw-away PostgreSQL schema (so the tests can run again and again against database ``test``)."""

from __future__ import annotations

import hashlib
import uuid
from collections.abc import Iterator
from contextlib import ExitStack, contextmanager
from datetime import UTC, date, datetime, timedelta
from pathlib import Path
from typing import Any

from sqlalchemy import create_engine, make_url, text

from ingest.measure.summary import ActivitySummary
from ingest.pipeline import ParsedActivity
from ingest.store import Store

START = datetime(2026, 3, 2, 7, 0, tzinfo=UTC)


def make_parsed(
    *,
    start: datetime = START,
    minutes: float = 60.0,
    km: float = 10.0,
    climb: float = 300.0,
    fmt: str = "fit",
    samples: int = 3600,
    hr: float | None = 150.0,
    barometric: bool | None = None,
    content: bytes | None = None,
    file_name: str = "run.fit",
) -> ParsedActivity:
    content = content or f"{fmt}|{start.isoformat()}|{minutes}|{km}|{samples}".encode()
    sha = hashlib.sha256(content).hexdigest()
    summary = ActivitySummary(
        start=start,
        local_date=start.date(),
        utc_offset_s=3600,
        sport="trail_run",
        duration_s=minutes * 60,
        moving_s=minutes * 55,
        distance_m=km * 1000,
        ascent_m=climb,
        descent_m=climb,
        elevation_source="device",
        elevation_note="barometric device totals",
        ascent_recomputed_m=climb * 1.02,
        descent_recomputed_m=climb * 1.01,
        ascent_device_m=climb,
        descent_device_m=climb,
        descent_by_grade_m={"0-5": 0.0, "5-10": climb / 2, "10-20": climb / 2, "20+": 0.0},
        descent_load_m=climb * 1.2,
        km_effort=km + climb / 100,
        trimp=None if hr is None else minutes * 1.5,
        avg_hr=hr,
        max_hr=None if hr is None else hr + 20,
        device="garmin fenix 6" if fmt == "fit" else None,
        format=fmt,
        sha256=sha,
        samples=samples,
    )
    return ParsedActivity(
        summary=summary,
        content=content,
        sha256=sha,
        format=fmt,
        file_name=file_name,
        barometric=barometric,
    )


def day(n: int) -> datetime:
    return START + timedelta(days=n)


def on(d: date) -> datetime:
    return datetime(d.year, d.month, d.day, 7, tzinfo=UTC)


def sqlite_store(data_dir: Path) -> Store:
    store = Store(None, data_dir)
    store.upgrade()
    return store


@contextmanager
def postgres_schema(url: str) -> Iterator[str]:
    """A fresh schema in the test database; yields a URL whose search_path is that schema."""
    schema = f"legday_test_{uuid.uuid4().hex[:12]}"
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


@contextmanager
def backend_store(request: Any, tmp_path: Path) -> Iterator[Store]:
    """An upgraded store on the backend the fixture's ``request.param`` names ("sqlite" or
    "postgresql", a throw-away schema), disposed afterwards."""
    with ExitStack() as stack:
        url = None
        if request.param == "postgresql":
            url = stack.enter_context(postgres_schema(request.getfixturevalue("postgres_url")))
        s = Store(url, tmp_path / "data")
        s.upgrade()
        try:
            yield s
        finally:
            s.dispose()
