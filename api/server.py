"""``legday serve``: uvicorn over the app, uploads parsed in a process pool."""

from __future__ import annotations

import os
from collections.abc import Sequence
from concurrent.futures import Executor
from typing import Any

from fastapi import FastAPI

from api.app import create_app, stop_executor
from api.http_protocol import HEADER_TIMEOUT_ENV
from api.settings import Settings
from api.sync_config import FolderJob

HTTP_PROTOCOL = "api.http_protocol:HeaderTimeoutProtocol"  # uvicorn's, with a header timeout
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
    os.environ[HEADER_TIMEOUT_ENV] = str(settings.header_timeout_s)  # read by the protocol

    if workers > 1:
        if sync_jobs:
            raise ValueError("several workers run no sync scheduler: run `legday sync` instead")
        os.environ["LEGDAY_DATA_DIR"] = str(settings.data_dir)
        os.environ["LEGDAY_DATABASE_URL"] = settings.database_url
        os.environ[PARSE_WORKERS_ENV] = str(parse_workers)
        uvicorn.run(
            "api.server:worker_app",
            factory=True,
            workers=workers,
            host=settings.host,
            port=settings.port,
            log_config=log_config,
            access_log=access_log,
            http=HTTP_PROTOCOL,
        )
        return
    pool = _parse_pool(parse_workers)
    try:
        app = create_app(
            settings, executor=pool, sync_jobs=sync_jobs, parse_slots=parse_workers,
            owns_executor=True,
        )  # fmt: skip
        _freeze_heap()
        uvicorn.run(
            app,
            host=settings.host,
            port=settings.port,
            log_config=log_config,
            access_log=access_log,
            http=HTTP_PROTOCOL,
        )
    finally:  # after SIGTERM uvicorn re-raises the signal: the app's shutdown stops the pool
        if pool is not None:
            stop_executor(pool)


def worker_app() -> FastAPI:
    """One of ``legday serve --workers N``'s apps: settings from ``LEGDAY_*``, its own parse
    pool, no sync scheduler."""
    parse_workers = int(os.environ.get(PARSE_WORKERS_ENV, "2"))
    pool = _parse_pool(parse_workers)
    app = create_app(Settings(), executor=pool, parse_slots=parse_workers, owns_executor=True)
    _freeze_heap()
    return app
