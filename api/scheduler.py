"""APScheduler 3.x wiring for the folder sync: one BackgroundScheduler, one interval job per folder.

Every job has an explicit id (``sync:<athlete>:<path>``) added with ``replace_existing=True``, so
a restart or a second ``add`` never duplicates it; ``coalesce=True`` turns a backlog of missed runs
into one; ``max_instances=1`` keeps a slow run from overlapping the next; ``misfire_grace_time``
(half the interval) lets a late run go ahead rather than be dropped. Across processes and hosts,
the database lease in ``ingest.sync.job`` is what guarantees one runner per folder.

Starting the scheduler does no database work: the folders are bound to their athletes
(``ingest.sync.binding``: once, by name, then by id for good) on the first run, in the scheduler's
thread (DESIGN.md: no database work in start-up hooks), or on the first ``run_now``.
"""

from __future__ import annotations

import logging
import threading
from collections.abc import Callable, Sequence
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from apscheduler.schedulers.background import BackgroundScheduler
from apscheduler.triggers.interval import IntervalTrigger

from api.sync_config import FolderJob
from ingest.store import AthleteRecord, Store, name_key
from ingest.store.sync_bindings import BindingStore
from ingest.sync.binding import FolderBinding, bind_folders, bind_one
from ingest.sync.job import DEFAULT_SETTLE_S, RunReport, run_sync

log = logging.getLogger("legday.sync")
Runner = Callable[..., RunReport]


def job_id(job: FolderJob) -> str:
    return f"sync:{job.athlete}:{job.path.resolve()}"


def misfire_grace_s(interval_s: float) -> int:
    """How late a run may start and still run: half the interval, at least 1 s, at most 1 h."""
    return int(min(3600.0, max(1.0, interval_s / 2)))


class SyncScheduler:
    """The sync jobs of one process. ``run_now`` wakes them (POST /v1/sync/run)."""

    def __init__(
        self,
        store: Store,
        jobs: Sequence[FolderJob],
        *,
        runner: Runner = run_sync,
        on_report: Callable[[FolderJob, RunReport], None] | None = None,
        **run_options: Any,
    ):
        self.store = store
        self.jobs = list(jobs)
        self._runner = runner
        self._on_report = on_report
        self._run_options = run_options
        self._bindings: dict[str, FolderBinding] | None = None
        self._bind_lock = threading.RLock()
        self.scheduler = BackgroundScheduler(timezone=UTC)
        for job in self.jobs:
            self.scheduler.add_job(
                self.run_folder,
                trigger=IntervalTrigger(seconds=job.interval_s, timezone=UTC),
                args=[job],
                id=job_id(job),
                name=f"sync {job.path} for {job.athlete}",
                replace_existing=True,
                coalesce=True,
                max_instances=1,
                misfire_grace_time=misfire_grace_s(job.interval_s),
                next_run_time=datetime.now(UTC),  # the first run right after start
            )

    def start(self, *, paused: bool = False) -> None:
        self.scheduler.start(paused=paused)

    def shutdown(self, wait: bool = True) -> None:
        if self.scheduler.running:
            self.scheduler.shutdown(wait=wait)

    def bindings(self) -> dict[str, FolderBinding]:
        """Each job's athlete (by job id), bound on first use and kept for this process."""
        with self._bind_lock:
            if self._bindings is None:
                found = bind_folders(self.store, [(j.path, j.athlete) for j in self.jobs])
                self._bindings = {job_id(j): b for j, b in zip(self.jobs, found, strict=True)}
                for job, binding in zip(self.jobs, found, strict=True):
                    _log_binding(job, binding)
            return dict(self._bindings)

    def athlete_created(self, athlete: AthleteRecord) -> list[str]:
        """The admin created an account: folders refused only for want of an account with this
        name are bound to it now (a rename never does this). Returns the folders bound."""
        bindings = self.bindings()
        bound = []
        with self._bind_lock:
            for job in self.jobs:
                refused = bindings[job_id(job)]
                if refused.no_account and name_key(job.athlete) == name_key(athlete.name):
                    binding = bind_one(self.store, refused.path, job.athlete)
                    assert self._bindings is not None
                    self._bindings[job_id(job)] = binding
                    _log_binding(job, binding)
                    bound.append(str(job.path))
        return bound

    def run_now(self, athlete_id: int | None = None) -> list[str]:
        """Bring the (athlete's) jobs forward to now; returns the folders woken."""
        bindings = self.bindings()
        woken = []
        for job in self.jobs:
            binding = bindings[job_id(job)]
            if binding.bound and athlete_id in (None, binding.athlete_id):
                self.scheduler.modify_job(job_id(job), next_run_time=datetime.now(UTC))
                woken.append(str(job.path))
        return woken

    def run_folder(self, job: FolderJob) -> None:
        """One run of ``job``'s folder for the athlete it is bound to (the scheduled job)."""
        binding = self.bindings()[job_id(job)]
        if binding.athlete_id is None:
            log.debug("sync %s: not synced: %s", job.path, binding.refusal)
            return
        try:
            report = self._runner(
                self.store, job.path, binding.athlete_id, settle_s=job.settle_s,
                **self._run_options,
            )  # fmt: skip
        except Exception:
            log.exception("sync %s failed", job.path)
            return
        log.info(
            "sync %s: %s, %d ingested, %d duplicate, %d failed, %d pending",
            job.path, report.status, report.ingested, report.duplicate, report.failed,
            report.pending,
        )  # fmt: skip
        if self._on_report is not None:
            self._on_report(job, report)


def _log_binding(job: FolderJob, binding: FolderBinding) -> None:
    if binding.refusal:
        log.error("sync %s (athlete %r): %s", job.path, job.athlete, binding.refusal)
    elif binding.note:
        log.warning("sync %s: %s", job.path, binding.note)


def trigger_run(store: Store, athlete_id: int, scheduler: SyncScheduler | None) -> list[str]:
    """Start a sync of the athlete's folders now (POST /v1/sync/run, 202).

    With the scheduler in this process: wake the jobs bound to this athlete. Otherwise
    (``legday sync`` runs the scheduler elsewhere, or several API workers): run each folder the
    database has bound to the athlete once, in a background thread; the folder's lease keeps it
    from overlapping a run of the sync process. Never by name: a folder is its bound athlete's."""
    if scheduler is not None:
        woken = scheduler.run_now(athlete_id)
        if woken:
            return woken
    bound = BindingStore(store).bound_to(athlete_id)
    for binding in bound:
        settle = DEFAULT_SETTLE_S if binding.settle_s is None else binding.settle_s
        thread = threading.Thread(
            target=_run_once,
            args=(store, binding.path, athlete_id, settle),
            name=f"sync-now-{athlete_id}",
            daemon=True,
        )
        thread.start()
    return [b.path for b in bound]


def _run_once(store: Store, path: str, athlete_id: int, settle_s: float) -> None:
    try:
        run_sync(store, Path(path), athlete_id, settle_s=settle_s)
    except Exception:
        log.exception("sync %s failed", path)
