"""The background worker that keeps stored summaries following the athletes' profiles.

A profile change that touches what the summaries depend on (time zone, heart-rate figures, sex)
makes the athlete's activities stale (``ingest.store.derived``); the API asks this worker to
recompute them (``request``) and answers at once. One daemon thread does the work, one athlete at a
time, parsing in the app's executor when it has one; it also sweeps for stale athletes when it
starts and every ``sweep_s`` (a change made by another worker process, or by one that stopped
before it was done). While an athlete's activities are stale the API says so (``GET /v1/me``
``recomputing``, and the ``Legday-Recomputing`` header on the answers that depend on them), and
serves the old figures, all of them, until one transaction swaps in the new ones.
"""

from __future__ import annotations

import logging
import threading
from concurrent.futures import Executor
from typing import TYPE_CHECKING

from ingest.measure.summary import MetricsProfile
from ingest.pipeline import ParsedActivity, parse_activity

if TYPE_CHECKING:
    from ingest.store import Store

log = logging.getLogger("legday.api")
HEADER = "Legday-Recomputing"


class Recomputer:
    def __init__(
        self, store: Store, *, executor: Executor | None = None, sweep_s: float = 60.0
    ) -> None:
        self._store = store
        self._executor = executor
        self._sweep_s = sweep_s
        self._wanted: set[int] = set()
        self._lock = threading.Lock()
        self._wake = threading.Event()
        self._stopped = threading.Event()
        self._idle = threading.Event()
        self._thread = threading.Thread(target=self._run, name="legday-recompute", daemon=True)

    def start(self) -> None:
        self._thread.start()

    def request(self, athlete_id: int) -> None:
        """Recompute this athlete's stale activities soon (returns at once)."""
        with self._lock:
            self._wanted.add(athlete_id)
            self._idle.clear()
        self._wake.set()

    def wait_idle(self, timeout_s: float) -> bool:
        """Whether every request so far is done within ``timeout_s`` (tests, shutdown)."""
        return self._idle.wait(timeout_s)

    def stop(self) -> None:
        self._stopped.set()
        self._wake.set()
        if self._thread.is_alive():
            self._thread.join(timeout=30)

    def _run(self) -> None:
        self._sweep()
        while not self._stopped.is_set():
            with self._lock:
                athlete = self._wanted.pop() if self._wanted else None
                if athlete is None:
                    self._idle.set()
                    self._wake.clear()
            if athlete is None:
                if not self._wake.wait(self._sweep_s) and not self._stopped.is_set():
                    self._sweep()
                continue
            try:
                self._store.follow_profile(athlete, parse=self._parse)
            except Exception:  # a database hiccup: the next sweep tries again
                log.exception("recomputing athlete %s failed; will retry", athlete)

    def _sweep(self) -> None:
        try:
            for athlete in self._store.stale_athletes():
                self.request(athlete)
        except Exception:
            log.exception("looking for stale activities failed; will retry")

    def _parse(self, data: bytes, file_name: str, profile: MetricsProfile) -> ParsedActivity:
        if self._executor is None:
            return parse_activity(data, file_name, profile)
        return self._executor.submit(parse_activity, data, file_name, profile).result()
