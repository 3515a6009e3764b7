"""APScheduler 3.x wiring for the folder sync: one BackgroundScheduler, one interval job per folder.

Every job has an explicit id (``sync:<athlete>:<path>``) added with ``replace_existing=True``, so
a restart or a second ``add`` never duplicates it; ``coalesce=True`` turns a backlog of missed runs
into one; ``max_instances=1`` keeps a slow run from overlapping the next; ``misfire_grace_time``
(half the interval) lets a late run go ahead rather than be dropped. Across processes and hosts,
the database lease in ``ingest.sync.job`` is what guarantees one runner per folder.

Starting the scheduler does no database work: the folders are bound to their athletes
(``ingest.sync.binding``: once, by name, then by id for good) on the first run, in the scheduler's
thread (DESIGN.md: no database work in start-up hooks), or on the first ``run_now``. A folder
whose configured name has no account yet waits for one: each run looks for an account created
since (never an existing athlete renamed into the name).
"""

from __future__ import annotations

import logging
import shlex
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
        # Per job refused for want of an account: the highest athlete id there was when the
        # name was last looked up (only an account created after that may take the folder).
        self._seen_ids: dict[str, int] = {}
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
                newest = self._newest_athlete_id()  # before the names are looked up
                found = bind_folders(self.store, [(j.path, j.athlete) for j in self.jobs])
                self._bindings = {job_id(j): b for j, b in zip(self.jobs, found, strict=True)}
                for job, binding in zip(self.jobs, found, strict=True):
                    _log_binding(job, binding)
                    if binding.no_account:
                        self._seen_ids[job_id(job)] = newest
            return dict(self._bindings)

    def _newest_athlete_id(self) -> int:
        return max((a.id for a in self.store.list_athletes()), default=0)

    def _bind_new_account(self, job: FolderJob) -> FolderBinding:
        """A folder refused for want of an account waits for one (a service started before its
        athlete exists: a container's first start). An account created since the name was last
        looked up — an id above every id there was then — gets the folder; an athlete who was
        already there and renamed themself into the configured name never does (issue 14,
        finding 1). Another name looks the name up again at the next run."""
        key = job_id(job)
        with self._bind_lock:
            assert self._bindings is not None
            refused = self._bindings[key]
            if not refused.no_account:
                return refused
            newest = self._newest_athlete_id()
            athlete = self.store.athlete_by_name(job.athlete)
            if athlete is None or athlete.id <= self._seen_ids.get(key, newest):
                self._seen_ids[key] = newest
                return refused
            binding = bind_one(self.store, refused.path, job.athlete)
            self._bindings[key] = binding
            self._seen_ids.pop(key, None)
            _log_binding(job, binding)
            return binding

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
            if binding.no_account:  # an account created since may have it now
                binding = self._bind_new_account(job)
            if binding.bound and athlete_id in (None, binding.athlete_id):
                self.scheduler.modify_job(job_id(job), next_run_time=datetime.now(UTC))
                woken.append(str(job.path))
        return woken

    def run_folder(self, job: FolderJob) -> None:
        """One run of ``job``'s folder for the athlete it is bound to (the scheduled job)."""
        binding = self.bindings()[job_id(job)]
        if binding.no_account:
            binding = self._bind_new_account(job)
        if binding.athlete_id is None:
            log.debug("sync %s: not synced: %s", job.path, binding.refusal)
            return
        try:
            report = self._runner(
                self.store, job.path, binding.athlete_id, settle_s=job.settle_s,
                **self._run_options,
            )  # fmt: skip
        except Exception:
            log.exception("sync %s for %r failed", job.path, job.athlete)
            return
        log_report(report, job.athlete)
        if self._on_report is not None:
            self._on_report(job, report)


def log_report(report: RunReport, athlete: str) -> None:
    """One line per run (INFO; WARNING when it ended in error) and one per failed file (WARNING),
    with the figures as ``extra`` fields for ``LEGDAY_LOG_FORMAT=json``."""
    figures = {
        "folder": report.folder,
        "athlete": athlete,
        "status": report.status,
        **report.counts(),
        "seconds": round(report.seconds, 3),
    }
    if report.status == "locked":
        log.info("sync %s for %r: another runner holds it", report.folder, athlete, extra=figures)
        return
    level = logging.WARNING if report.status == "error" else logging.INFO
    log.log(
        level,
        "sync %s for %r: %s, %d ingested, %d duplicate, %d failed, %d skipped, %d pending, "
        "%d files read in %.1f s%s",
        report.folder, athlete, report.status, report.ingested, report.duplicate, report.failed,
        report.skipped, report.pending, report.opened, report.seconds,
        f" ({report.error})" if report.error else "",
        extra=figures,
    )  # fmt: skip
    for path, reason in report.failures:
        log.warning(
            "sync %s: failed %s: %s", report.folder, path, reason,
            extra={"folder": report.folder, "athlete": athlete, "file": path, "reason": reason},
        )  # fmt: skip


def _log_binding(job: FolderJob, binding: FolderBinding) -> None:
    if binding.no_account:  # waits for the account (``SyncScheduler.run_folder``)
        log.warning(
            "no athlete named %r yet: %s is synced once an account with that name is created "
            "(legday athletes create %s)", job.athlete, job.path, shlex.quote(job.athlete),
        )  # fmt: skip
    elif binding.refusal:
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
            args=(store, binding.path, athlete_id, binding.configured_name, settle),
            name=f"sync-now-{athlete_id}",
            daemon=True,
        )
        thread.start()
    return [b.path for b in bound]


def _run_once(store: Store, path: str, athlete_id: int, athlete: str, settle_s: float) -> None:
    try:
        report = run_sync(store, Path(path), athlete_id, settle_s=settle_s)
    except Exception:
        log.exception("sync %s for %r failed", path, athlete)
        return
    log_report(report, athlete)
