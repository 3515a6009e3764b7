"""APScheduler 3.x wiring for the folder sync: one BackgroundScheduler, one interval job per folder.

Every job has an explicit id (``sync:<athlete>:<path>``) added with ``replace_existing=True``, so
a restart or a second ``add`` never duplicates it; ``coalesce=True`` turns a backlog of missed runs
into one; ``max_instances=1`` keeps a slow run from overlapping the next; ``misfire_grace_time``
(half the interval) lets a late run go ahead rather than be dropped. Across processes and hosts,
the database lease in ``ingest.sync.job`` is what guarantees one runner per folder.

Starting the scheduler does no database work: the athlete is looked up and the folder registered by
the job itself, in the scheduler's thread (DESIGN.md: no database work in start-up hooks).
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
from ingest.store import Store
from ingest.store.ledger import SyncStore
from ingest.sync.job import RunReport, run_sync

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
        self.scheduler = BackgroundScheduler(timezone=UTC)
        for job in self.jobs:
            self.scheduler.add_job(
                self._run_folder,
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

    def run_now(self, athlete_name: str | None = None) -> list[str]:
        """Bring the (athlete's) jobs forward to now; returns the folders woken."""
        woken = []
        for job in self.jobs:
            if athlete_name is None or job.athlete == athlete_name:
                self.scheduler.modify_job(job_id(job), next_run_time=datetime.now(UTC))
                woken.append(str(job.path))
        return woken

    def _run_folder(self, job: FolderJob) -> None:
        athlete = self.store.athlete_by_name(job.athlete)
        if athlete is None:
            log.error("sync %s: no athlete named %r", job.path, job.athlete)
            return
        try:
            report = self._runner(
                self.store, job.path, athlete.id, settle_s=job.settle_s, **self._run_options
            )
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


def trigger_run(
    store: Store, athlete_id: int, athlete_name: str, scheduler: SyncScheduler | None
) -> list[str]:
    """Start a sync of the athlete's folders now (POST /v1/sync/run, 202).

    With the scheduler in this process: wake its jobs. Otherwise (``legday sync`` runs the
    scheduler elsewhere, or several API workers): run each folder the database knows for the
    athlete once, in a background thread; the folder's lease keeps it from overlapping a run of
    the sync process."""
    if scheduler is not None and any(j.athlete == athlete_name for j in scheduler.jobs):
        return scheduler.run_now(athlete_name)
    folders = SyncStore(store).folders(athlete_id)
    for folder in folders:
        thread = threading.Thread(
            target=_run_once,
            args=(store, folder.path, athlete_id, athlete_name, folder.settle_s),
            name=f"sync-now-{folder.id}",
            daemon=True,
        )
        thread.start()
    return [f.path for f in folders]


def _run_once(store: Store, path: str, athlete_id: int, athlete: str, settle_s: float) -> None:
    try:
        report = run_sync(store, Path(path), athlete_id, settle_s=settle_s)
    except Exception:
        log.exception("sync %s for %r failed", path, athlete)
        return
    log_report(report, athlete)
