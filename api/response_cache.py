"""Computed JSON answers kept per (what was asked, the athlete's data version).

The athlete's ``data_version`` changes in the transaction of every write that can change a plan
or the weekly totals (activities, strength log, check-ins, profile), and it is read with the
bearer token on every request, so a key that names it never serves stale data: after a write,
in this process or another one (a second worker, ``legday sync``), the next request asks for a
new key. Old keys age out of the LRU. One computation per key at a time: 50 clients asking for a
plan that is not cached yet wait for one computation instead of making 50.
"""

from __future__ import annotations

import threading
from collections import OrderedDict
from collections.abc import Callable, Hashable
from typing import Annotated

from fastapi import Depends, Request


class ResponseCache:
    """A thread-safe LRU of response bodies; ``size`` 0 turns it off (every call computes)."""

    def __init__(self, size: int) -> None:
        self.size = size
        self._items: OrderedDict[Hashable, bytes] = OrderedDict()
        self._lock = threading.Lock()
        self._computing: dict[Hashable, threading.Lock] = {}
        self.computed = 0  # how many times ``compute`` ran

    def get_or_compute(self, key: Hashable, compute: Callable[[], bytes]) -> bytes:
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
                self._put(key, body)
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
            return body

    def _put(self, key: Hashable, body: bytes) -> None:
        with self._lock:
            self._items[key] = body
            self._items.move_to_end(key)
            while len(self._items) > self.size:
                self._items.popitem(last=False)

    def __len__(self) -> int:
        return len(self._items)


async def get_responses(request: Request) -> ResponseCache:
    cache: ResponseCache = request.app.state.responses
    return cache


ResponsesDep = Annotated[ResponseCache, Depends(get_responses)]
