"""The composition root: ``create_app(settings)`` wires store, auth, routers, the middleware
(security headers, body deadlines, the upload's guard) and the dashboard. ``legday serve`` is
``api.server``; error answers ``api.error_responses``."""

from __future__ import annotations

import sys
from collections.abc import AsyncIterator, Sequence
from concurrent.futures import Executor
from contextlib import asynccontextmanager
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from fastapi import FastAPI
from fastapi.staticfiles import StaticFiles

from api.access_log import install_feed_token_filter
from api.auth import load_admin_token, load_server_secret
from api.body_deadline import BodyDeadline
from api.deps import Clock
from api.docs_pages import install_docs
from api.error_responses import JSONTooLarge, install_error_handlers
from api.parse_gate import ParseGate
from api.rate_limit import RateLimiter
from api.recompute import Recomputer
from api.response_cache import ResponseCache
from api.routers import (
    activities,
    activity_track,
    athletes,
    calendar,
    checkins,
    dashboard,
    exercises,
    health,
    me,
    recommendation,
    roster,
    rules,
    skips,
    strength,
    sync,
    trends,
    weeks,
    workouts,
)
from api.scheduler import SyncScheduler
from api.schema_check import SchemaNotCurrent, check_schema
from api.security_headers import SecurityHeaders
from api.settings import Settings
from api.sync_config import FolderJob
from api.upload_guard import UploadGuard
from ingest.store import Store

__all__ = ["SchemaNotCurrent", "create_app"]
STATIC = Path(__file__).resolve().parent / "static"
JSON_BODY_LIMIT = 1024 * 1024  # every route but the upload
MULTIPART_SLACK = 64 * 1024  # boundaries and part headers around the file
THREAD_PARSE_SLOTS = 2  # parses at once when they run in threads (no process pool)


def create_app(
    settings: Settings,
    *,
    clock: Clock | None = None,
    executor: Executor | None = None,
    store: Store | None = None,
    sync_jobs: Sequence[FolderJob] = (),
    parse_slots: int | None = None,
    owns_executor: bool = False,
) -> FastAPI:
    """One app per settings object.

    ``clock`` (UTC now), the parse ``executor`` (None: a thread) and the ``store`` are seams; by
    default the store is opened from the settings in the lifespan. With ``sync_jobs`` this process
    runs the folder-sync scheduler (``legday serve`` with sync folders configured).
    ``parse_slots``: parses at once (the pool's workers); with ``owns_executor`` the app stops
    the pool when it shuts down (``legday serve``: no parse worker outlives the server).
    """

    @asynccontextmanager
    async def lifespan(app: FastAPI) -> AsyncIterator[None]:
        own = store is None
        opened = store or Store(
            settings.database_url, settings.data_dir, quota_bytes=settings.quota_bytes
        )
        try:
            check_schema(opened)
            admin = load_admin_token(_secret(settings.admin_token), settings.data_dir)
            if admin.generated:  # printed once, to the console only: never logged
                print(
                    f"legday: admin token (saved to {admin.path}, mode 0600): {admin.generated}",
                    file=sys.stdout,
                    flush=True,
                )
            app.state.store = opened
            app.state.admin_token = admin
            app.state.feed_secret = load_server_secret(settings.data_dir)
            app.state.recomputer = Recomputer(opened, executor=app.state.executor)
            app.state.recomputer.start()  # sweeps for profile changes not yet applied first
            scheduler = SyncScheduler(opened, sync_jobs) if sync_jobs else None
            app.state.scheduler = scheduler
            if scheduler is not None:
                scheduler.start()
            yield
        finally:
            if getattr(app.state, "scheduler", None) is not None:
                app.state.scheduler.shutdown(wait=False)
            if getattr(app.state, "recomputer", None) is not None:
                app.state.recomputer.stop()
            if own:
                opened.dispose()
            if owns_executor and executor is not None:
                stop_executor(executor)

    install_feed_token_filter()
    app = FastAPI(
        docs_url=None,
        redoc_url=None,
        title="legday",
        version="1",
        summary="Trail-running watch files in; the week's heavy leg day and strength dose out.",
        lifespan=lifespan,
    )
    app.state.settings = settings
    app.state.clock = clock or (lambda: datetime.now(UTC))
    app.state.executor = executor
    app.state.responses = ResponseCache(settings.plan_cache_size, settings.plan_cache_per_athlete)
    app.state.plan_limiter = RateLimiter(settings.plan_rate_per_minute, settings.plan_rate_burst)
    app.state.parse_gate = ParseGate(parse_slots or THREAD_PARSE_SLOTS)
    install_error_handlers(app)
    install_docs(app)

    routers = (health, athletes, me, weeks, recommendation, strength, exercises, workouts, checkins)
    for router in (*routers, calendar, sync):
        app.include_router(router.router, max_body_size=JSON_BODY_LIMIT)
    for router in (roster, trends, activity_track, rules, skips):  # the dashboard's
        app.include_router(router.router, max_body_size=JSON_BODY_LIMIT)
    upload_limit = int(settings.max_upload_bytes) + MULTIPART_SLACK
    app.include_router(activities.router, max_body_size=upload_limit)
    app.include_router(dashboard.router, max_body_size=JSON_BODY_LIMIT)
    app.add_middleware(JSONTooLarge)
    app.add_middleware(UploadGuard, settings=settings, slack=MULTIPART_SLACK)
    app.add_middleware(
        BodyDeadline,
        idle_s=settings.body_idle_timeout_s,
        min_rate=settings.body_min_rate_kib_s * 1024,
        window_s=settings.body_rate_window_s,
    )
    app.add_middleware(SecurityHeaders)  # the last added is the outermost: every answer
    app.mount("/static", StaticFiles(directory=STATIC), name="static")
    return app


def _secret(value: Any) -> str | None:
    """The admin token from settings, whether a plain or a pydantic secret string."""
    if value is None:
        return None
    getter = getattr(value, "get_secret_value", None)
    return str(getter() if getter else value) or None


def stop_executor(executor: Executor) -> None:
    """Cancel what waits, give running parses a moment, then end the pool's processes (issue 14,
    finding 13: after SIGTERM they were orphaned, and with them the multiprocessing resource
    tracker, which exits by itself once no process holds its pipe)."""
    manager = getattr(executor, "_executor_manager_thread", None)  # a process pool's
    workers = list((getattr(executor, "_processes", None) or {}).values())
    executor.shutdown(wait=False, cancel_futures=True)
    for process in workers:
        process.join(timeout=5)
    for process in workers:
        if process.is_alive():
            process.terminate()
            process.join(timeout=5)
    if manager is not None:
        manager.join(timeout=10)
