"""The executors that parse files: a local process pool, this process, or a Dask cluster.

Each is a ``concurrent.futures.Executor`` used as a context manager; bulk ingest and the folder
sync submit ``parse_activity(bytes, name, profile)`` to it and store the results themselves. The
Dask one sends bytes to the cluster's workers and gets ParsedActivity back; the workers need
legday installed (the same version) and never touch the database.
"""

from __future__ import annotations

import multiprocessing
import os
from collections.abc import Callable
from concurrent.futures import Executor, Future, ProcessPoolExecutor
from functools import partial
from typing import Any

ExecutorFactory = Callable[[], Executor]
PRELOAD = [
    "ingest.pipeline",
    "ingest.decode.decoder",
    "ingest.measure.metrics",
    "ingest.decode.fit_records",
]


def process_pool(workers: int | None = None) -> Executor:
    """A process pool; workers fork from a server that has already imported the parsers."""
    context = multiprocessing.get_context("forkserver")
    context.set_forkserver_preload(PRELOAD)
    return ProcessPoolExecutor(max_workers=workers or os.cpu_count() or 1, mp_context=context)


class InlineExecutor(Executor):
    """Runs each call at submit time, in this process (``--workers 0``, tests, debugging)."""

    capacity = 1

    def submit(self, fn: Callable[..., Any], /, *args: Any, **kwargs: Any) -> Future[Any]:
        future: Future[Any] = Future()
        try:
            future.set_result(fn(*args, **kwargs))
        except BaseException as exc:
            future.set_exception(exc)
        return future


class DaskExecutor(Executor):
    """The concurrent.futures executor of a Dask distributed cluster (``Client.get_executor``).

    Shutting it down waits for (or cancels) this executor's tasks and closes the client; the
    cluster itself is left running: it belongs to whoever started it.
    """

    def __init__(self, address: str, *, timeout_s: float = 30.0) -> None:
        from distributed import Client

        self._client = Client(address, timeout=timeout_s, set_as_default=False)
        try:
            # pure=False: every file is its own task (no hashing of the bytes into a task key)
            self._executor = self._client.get_executor(pure=False)
            workers = self._client.scheduler_info()["workers"].values()
            self.capacity = max(1, sum(int(w.get("nthreads", 1)) for w in workers))
        except BaseException:
            self._client.close()
            raise

    def submit(self, fn: Callable[..., Any], /, *args: Any, **kwargs: Any) -> Future[Any]:
        return self._executor.submit(fn, *args, **kwargs)

    def shutdown(self, wait: bool = True, *, cancel_futures: bool = False) -> None:
        try:
            self._executor.shutdown(wait=wait and not cancel_futures)
        finally:
            self._client.close()


def executor_factory(
    workers: int | None = None, dask_scheduler: str | None = None
) -> ExecutorFactory:
    """What ``legday ingest --workers N --dask-scheduler ADDR`` parses with: the Dask cluster at
    ADDR when given, else this process for ``workers == 0``, else a pool of ``workers`` processes
    (default: one per core)."""
    if dask_scheduler:
        return partial(DaskExecutor, dask_scheduler)
    if workers == 0:
        return InlineExecutor
    return partial(process_pool, workers)


def capacity(executor: Executor, workers: int | None = None) -> int:
    """How many calls the executor runs at once (a Dask cluster: its worker threads)."""
    return int(getattr(executor, "capacity", 0) or workers or os.cpu_count() or 1)
