"""The folder's lease, kept alive while a run works: renewed every third of its lifetime."""

from __future__ import annotations

import threading

from ingest.store.ledger import SyncStore


class LeaseLost(RuntimeError):
    """Another runner took this folder's lease (ours expired): stop before writing more."""


class Heartbeat(threading.Thread):
    """Renews the lease every third of its lifetime; sets ``lost`` when it is no longer ours."""

    def __init__(
        self, ledger: SyncStore, name: str, holder: str, ttl_s: float, lost: threading.Event
    ):
        super().__init__(name=f"lease-{name}", daemon=True)
        self._args = (ledger, name, holder, ttl_s)
        self._lost = lost
        self._stopped = threading.Event()

    def run(self) -> None:
        ledger, name, holder, ttl_s = self._args
        while not self._stopped.wait(ttl_s / 3):
            try:
                if not ledger.renew(name, holder, ttl_s):
                    self._lost.set()
                    return
            except Exception:  # a database hiccup: try again at the next beat
                continue

    def stop(self) -> None:
        self._stopped.set()
        self.join()
