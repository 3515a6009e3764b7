"""The parse gate: who parses next when uploads outnumber the parse workers (issue 14, finding 7:
20 uploads of one athlete made another athlete's small file wait 273 s).

Work-conserving fair queueing: while a slot is free nobody waits, so one athlete alone may use
every slot. When slots are short, a freed slot goes to the waiting athlete with the fewest
parses running, and among those to the one served least recently (round robin), so an athlete
who arrives while another holds every slot waits for one parse to end, not for the other's
queue.

One gate per process (each ``legday serve --workers N`` worker has its own, over its own pool).
"""

from __future__ import annotations

import asyncio
import itertools
from collections import Counter, deque
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager


class ParseGate:
    def __init__(self, slots: int) -> None:
        self.slots = max(1, slots)
        self.running: Counter[int] = Counter()  # athlete id → parses running
        self._waiting: dict[int, deque[tuple[int, asyncio.Future[None]]]] = {}
        self._order = itertools.count()
        self._served: dict[int, int] = {}  # athlete id → when last granted (the order counter)
        self.granted: list[int] = []  # athlete ids, in the order slots were granted (recent)

    @property
    def busy(self) -> int:
        return sum(self.running.values())

    @asynccontextmanager
    async def slot(self, athlete_id: int) -> AsyncIterator[None]:
        await self.acquire(athlete_id)
        try:
            yield
        finally:
            self.release(athlete_id)

    async def acquire(self, athlete_id: int) -> None:
        if self.busy < self.slots and not self._waiting:
            self._grant(athlete_id)
            return
        future: asyncio.Future[None] = asyncio.get_running_loop().create_future()
        self._waiting.setdefault(athlete_id, deque()).append((next(self._order), future))
        try:
            await future
        except asyncio.CancelledError:
            if future.done() and not future.cancelled():
                self.release(athlete_id)  # granted as the caller went away: pass it on
            else:
                self._forget(athlete_id, future)
            raise

    def release(self, athlete_id: int) -> None:
        self.running[athlete_id] -= 1
        if self.running[athlete_id] <= 0:
            del self.running[athlete_id]
        self._dispatch()

    def _grant(self, athlete_id: int) -> None:
        self.running[athlete_id] += 1
        self._served[athlete_id] = next(self._order)
        if len(self._served) > 10_000:  # only the waiting athletes' turns matter
            self._served = {a: self._served[a] for a in (*self._waiting, *self.running)}
        self.granted.append(athlete_id)
        del self.granted[:-1000]

    def _dispatch(self) -> None:
        while self.busy < self.slots and self._waiting:
            athlete_id = min(self._waiting, key=self._turn)
            queue = self._waiting[athlete_id]
            _, future = queue.popleft()
            if not queue:
                del self._waiting[athlete_id]
            if future.done():  # cancelled while queued
                continue
            self._grant(athlete_id)
            future.set_result(None)

    def _turn(self, athlete_id: int) -> tuple[int, int, int]:
        """Fewest parses running first, then the athlete served least recently, then the
        earliest request."""
        first = self._waiting[athlete_id][0][0]
        return self.running[athlete_id], self._served.get(athlete_id, -1), first

    def _forget(self, athlete_id: int, future: asyncio.Future[None]) -> None:
        queue = self._waiting.get(athlete_id)
        if queue is None:
            return
        for item in list(queue):
            if item[1] is future:
                queue.remove(item)
        if not queue:
            del self._waiting[athlete_id]
