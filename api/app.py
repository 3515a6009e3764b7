"""The composition root: ``create_app(settings)`` wires store, auth, routers and the dashboard."""

from __future__ import annotations

import logging
import os
import sys
import uuid
from collections.abc import AsyncIterator, Sequence
from concurrent.futures import Executor
from contextlib import asynccontextmanager
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from fastapi import FastAPI, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse
from fastapi.staticfiles import StaticFiles
from starlette.datastructures import Headers
from starlette.exceptions import HTTPException as StarletteHTTPException
from starlette.routing import compile_path
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from api.access_log import install_feed_token_filter
from api.auth import load_admin_token, load_server_secret
from api.deps import Clock
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
from api.settings import Settings
from api.sync_config import FolderJob
from ingest.store import Store

STATIC = Path(__file__).resolve().parent / "static"
log = logging.getLogger("legday.api")
JSON_BODY_LIMIT = 1024 * 1024  # every route but the upload
MULTIPART_SLACK = 64 * 1024  # boundaries and part headers around the file


TOO_LARGE = "request body too large"


class SchemaNotCurrent(RuntimeError):
    pass


def check_schema(store: Store) -> None:
    """Refuse to serve a database Alembic has not brought to head (``legday db upgrade`` does)."""
    from alembic.runtime.migration import MigrationContext
    from alembic.script import ScriptDirectory

    from ingest.store.migrations import alembic_config

    heads = set(ScriptDirectory.from_config(alembic_config()).get_heads())
    with store.engine.connect() as conn:
        current = set(MigrationContext.configure(conn).get_current_heads())
    if current != heads:
        raise SchemaNotCurrent(
            f"the database schema is at {sorted(current) or 'nothing'}, not {sorted(heads)}: "
            "run `legday db upgrade`"
        )


def _validation_detail(exc: RequestValidationError) -> str:
    parts = []
    for err in exc.errors():
        where = ".".join(str(p) for p in err.get("loc", ()) if p != "body") or "request"
        parts.append(f"{where}: {err.get('msg', 'invalid')}")
    return "; ".join(parts) or "invalid request"


async def _on_validation_error(_: Request, exc: Exception) -> JSONResponse:
    assert isinstance(exc, RequestValidationError)
    return JSONResponse({"detail": _validation_detail(exc)}, status_code=422)


async def _on_unexpected_error(request: Request, exc: Exception) -> JSONResponse:
    """Any other exception: a JSON 500 that names no SQL, no path, no traceback — just a
    reference the server's log shows next to the cause (Starlette logs the traceback too)."""
    reference = uuid.uuid4().hex[:12]
    log.error(
        "%s %s failed (reference %s): %s", request.method, request.url.path, reference,
        type(exc).__name__,
    )  # fmt: skip
    detail = f"internal server error (reference {reference}): the server's log has the cause"
    return JSONResponse({"detail": detail}, status_code=500)


async def _on_http_error(request: Request, exc: Exception) -> JSONResponse:
    assert isinstance(exc, StarletteHTTPException)
    headers = dict(exc.headers or {})
    if exc.status_code == 405:  # Starlette names only the first matching route's methods
        headers["Allow"] = ", ".join(_allowed_methods(request))
    return JSONResponse({"detail": str(exc.detail)}, status_code=exc.status_code, headers=headers)


def _allowed_methods(request: Request) -> list[str]:
    """Every method the API documents for the requested path."""
    app: FastAPI = request.app
    path = request.url.path
    methods: set[str] = set()
    for template, item in app.openapi()["paths"].items():
        regex, _, _ = compile_path(template)
        if regex.match(path):
            methods |= {m.upper() for m in item}
    return sorted(methods)


class JSONTooLarge:
    """Starlette's body limit answers 413 in plain text; every legday error is JSON ``detail``."""

    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        replaced = False

        async def send_json(message: Message) -> None:
            nonlocal replaced
            if replaced:
                return  # the plain-text body of the replaced response
            if message["type"] == "http.response.start" and message["status"] == 413:
                headers = Headers(raw=message.get("headers", []))
                if headers.get("content-type", "").startswith("text/plain"):
                    replaced = True
                    response = JSONResponse({"detail": TOO_LARGE}, status_code=413)
                    await send(
                        {
                            "type": "http.response.start",
                            "status": 413,
                            "headers": response.raw_headers,
                        }
                    )
                    await send({"type": "http.response.body", "body": response.body})
                    return
            await send(message)

        await self.app(scope, receive, send_json)


def create_app(
    settings: Settings,
    *,
    clock: Clock | None = None,
    executor: Executor | None = None,
    store: Store | None = None,
    sync_jobs: Sequence[FolderJob] = (),
) -> FastAPI:
    """One app per settings object.

    ``clock`` (UTC now), the parse ``executor`` (None: a thread) and the ``store`` are seams; by
    default the store is opened from the settings in the lifespan. With ``sync_jobs`` this process
    runs the folder-sync scheduler (``legday serve`` with sync folders configured).
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

    install_feed_token_filter()
    app = FastAPI(
        title="legday",
        version="1",
        summary="Trail-running watch files in; the week's heavy leg day and strength dose out.",
        lifespan=lifespan,
    )
    app.state.settings = settings
    app.state.clock = clock or (lambda: datetime.now(UTC))
    app.state.executor = executor
    app.state.responses = ResponseCache(settings.plan_cache_size)
    app.add_exception_handler(RequestValidationError, _on_validation_error)
    app.add_exception_handler(StarletteHTTPException, _on_http_error)
    app.add_exception_handler(Exception, _on_unexpected_error)

    routers = (health, athletes, me, weeks, recommendation, strength, exercises, workouts, checkins)
    for router in (*routers, calendar, sync):
        app.include_router(router.router, max_body_size=JSON_BODY_LIMIT)
    for router in (roster, trends, activity_track, rules, skips):  # the dashboard's
        app.include_router(router.router, max_body_size=JSON_BODY_LIMIT)
    upload_limit = int(settings.max_upload_bytes) + MULTIPART_SLACK
    app.include_router(activities.router, max_body_size=upload_limit)
    app.include_router(dashboard.router, max_body_size=JSON_BODY_LIMIT)
    app.add_middleware(JSONTooLarge)
    app.mount("/static", StaticFiles(directory=STATIC), name="static")
    return app


def _secret(value: Any) -> str | None:
    """The admin token from settings, whether a plain or a pydantic secret string."""
    if value is None:
        return None
    getter = getattr(value, "get_secret_value", None)
    return str(getter() if getter else value) or None


PARSE_WORKERS_ENV = "LEGDAY_SERVE_PARSE_WORKERS"  # from ``legday serve`` to its workers


def _freeze_heap() -> None:
    """Move what start-up made (pandas, SQLAlchemy, the app: ~140,000 objects) out of the garbage
    collector's generations: a full collection walked them for ~70 ms, a p99 spike under load."""
    import gc

    gc.collect()
    gc.freeze()


def _parse_pool(parse_workers: int) -> Executor | None:
    import multiprocessing
    from concurrent.futures import ProcessPoolExecutor

    if parse_workers <= 0:
        return None
    return ProcessPoolExecutor(parse_workers, mp_context=multiprocessing.get_context("spawn"))


def serve(
    settings: Settings,
    *,
    parse_workers: int = 2,
    sync_jobs: Sequence[FolderJob] = (),
    workers: int = 1,
    access_log: bool = True,
    log_config: dict[str, Any] | None = None,
) -> None:
    """``legday serve``: uvicorn on settings.host:port, uploads parsed in a process pool.

    ``workers`` > 1: that many uvicorn worker processes on the one port (``worker_app`` in each,
    settings from the environment); they run no sync scheduler, so ``sync_jobs`` must be empty
    (``legday sync`` runs it as its own process). ``log_config``: ``api.logs.logging_config``'s
    dictionary, applied by uvicorn in this process and in each worker (default: from the
    ``LEGDAY_LOG_*`` environment)."""
    import uvicorn

    from api.logs import configure

    if log_config is None:
        log_config = configure(os.environ)

    if workers > 1:
        if sync_jobs:
            raise ValueError("several workers run no sync scheduler: run `legday sync` instead")
        os.environ["LEGDAY_DATA_DIR"] = str(settings.data_dir)
        os.environ["LEGDAY_DATABASE_URL"] = settings.database_url
        os.environ[PARSE_WORKERS_ENV] = str(parse_workers)
        uvicorn.run(
            "api.app:worker_app",
            factory=True,
            workers=workers,
            host=settings.host,
            port=settings.port,
            log_config=log_config,
            access_log=access_log,
        )
        return
    pool = _parse_pool(parse_workers)
    try:
        app = create_app(settings, executor=pool, sync_jobs=sync_jobs)
        _freeze_heap()
        uvicorn.run(
            app,
            host=settings.host,
            port=settings.port,
            log_config=log_config,
            access_log=access_log,
        )
    finally:
        if pool is not None:
            pool.shutdown(cancel_futures=True)


def worker_app() -> FastAPI:
    """One of ``legday serve --workers N``'s apps: settings from ``LEGDAY_*``, its own parse
    pool, no sync scheduler."""
    import atexit

    pool = _parse_pool(int(os.environ.get(PARSE_WORKERS_ENV, "2")))
    if pool is not None:
        atexit.register(pool.shutdown, cancel_futures=True)
    app = create_app(Settings(), executor=pool)
    _freeze_heap()
    return app
