"""Computed JSON answers kept per (what was asked, the athlete's data version).

The athlete's ``data_version`` changes in the transaction of every write that can change a plan
or the weekly totals (activities, strength log, check-ins, profile), and it is read with the
bearer token on every request, so a key that names it never serves stale data: after a write,
in this process or another one (a second worker, ``legday sync``), the next request asks for a
new key. Old keys age out of the LRU. One computation per key at a time: 50 clients asking for a
plan that is not cached yet wait for one computation instead of making 50.

Each athlete (the ``owner`` of a key) holds at most ``per_owner`` entries: past that their own
oldest goes, never another athlete's (issue 14, finding 9: one athlete's flood of random
``as_of`` days evicted everyone's plans). The LRU across athletes only evicts when more than
``size / per_owner`` athletes are at their share.
"""

from __future__ import annotations

import threading
from collections import OrderedDict
from collections.abc import Callable, Hashable
from typing import Annotated

from fastapi import Depends, Request


class ResponseCache:
    """A thread-safe LRU of response bodies; ``size`` 0 turns it off (every call computes)."""

    def __init__(self, size: int, per_owner: int | None = None) -> None:
        self.size = size
        self.per_owner = per_owner or size
        self._items: OrderedDict[Hashable, bytes] = OrderedDict()
        self._owner: dict[Hashable, Hashable] = {}  # key → its owner
        self._owned: dict[Hashable, OrderedDict[Hashable, None]] = {}  # owner → keys, LRU order
        self._lock = threading.Lock()
        self._computing: dict[Hashable, threading.Lock] = {}
        self.computed = 0  # how many times ``compute`` ran

    def get_or_compute(
        self, key: Hashable, compute: Callable[[], bytes], owner: Hashable = None
    ) -> bytes:
        if self.size <= 0:
            self.computed += 1
            return compute()
        found = self._get(key)
        if found is not None:
            return found
        with self._lock:
            gate = self._computing.setdefault(key, threading.Lock())
        with gate:
            found = self._get(key)  # computed while this thread waited at the gate
            if found is not None:
                return found
            try:
                self.computed += 1
                body = compute()
                self._put(key, body, owner)
            finally:
                with self._lock:
                    self._computing.pop(key, None)
        return body

    def get(self, key: Hashable) -> bytes | None:
        """The cached body, without computing (cheap enough for the event loop)."""
        return self._get(key) if self.size > 0 else None

    def _get(self, key: Hashable) -> bytes | None:
        with self._lock:
            body = self._items.get(key)
            if body is not None:
                self._items.move_to_end(key)
                owner = self._owner.get(key)
                if owner is not None:
                    self._owned[owner].move_to_end(key)
            return body

    def _put(self, key: Hashable, body: bytes, owner: Hashable = None) -> None:
        with self._lock:
            self._items[key] = body
            self._items.move_to_end(key)
            if owner is not None:
                owned = self._owned.setdefault(owner, OrderedDict())
                owned[key] = None
                owned.move_to_end(key)
                self._owner[key] = owner
                while len(owned) > self.per_owner:  # the owner's share: their own oldest goes
                    self._evict(next(iter(owned)))
            while len(self._items) > self.size:
                self._evict(next(iter(self._items)))

    def _evict(self, key: Hashable) -> None:
        self._items.pop(key, None)
        owner = self._owner.pop(key, None)
        if owner is not None:
            owned = self._owned[owner]
            owned.pop(key, None)
            if not owned:
                del self._owned[owner]

    def owned(self, owner: Hashable) -> int:
        """How many entries ``owner`` holds."""
        with self._lock:
            return len(self._owned.get(owner, ()))

    def __len__(self) -> int:
        return len(self._items)


async def get_responses(request: Request) -> ResponseCache:
    cache: ResponseCache = request.app.state.responses
    return cache


ResponsesDep = Annotated[ResponseCache, Depends(get_responses)]
