"""Per-athlete token buckets for plan computations (issue 14, finding 9: plan requests with a
random ``as_of`` burned the CPU at 8.6 req/s and pushed other athletes' p50 from 5 to 202 ms).

Only a plan that has to be computed takes a token: a cached answer is free, so the dashboard
(a few weeks, again and again) never meets the limit; a flood of distinct ``as_of`` days does,
and gets 429 with ``Retry-After``. Per process, like the cache."""

from __future__ import annotations

import math
import threading
import time
from collections.abc import Callable
from typing import Annotated

from fastapi import Depends, HTTPException, Request, status


class RateLimiter:
    def __init__(
        self, per_minute: float, burst: int, clock: Callable[[], float] = time.monotonic
    ) -> None:
        self.rate = per_minute / 60.0
        self.burst = float(burst)
        self.clock = clock
        self._buckets: dict[int, tuple[float, float]] = {}  # athlete → (tokens, when)
        self._lock = threading.Lock()

    def wait_s(self, athlete_id: int) -> float:
        """Take one token: 0 if one was there, else the seconds until there is one (not taken)."""
        now = self.clock()
        with self._lock:
            tokens, then = self._buckets.get(athlete_id, (self.burst, now))
            tokens = min(self.burst, tokens + (now - then) * self.rate)
            if tokens >= 1.0:
                self._buckets[athlete_id] = (tokens - 1.0, now)
                return 0.0
            self._buckets[athlete_id] = (tokens, now)
            if len(self._buckets) > 100_000:  # full buckets carry no information: drop them
                self._buckets = {
                    a: b for a, b in self._buckets.items() if b[0] + (now - b[1]) * self.rate < 1
                }
            return (1.0 - tokens) / self.rate

    def check(self, athlete_id: int, what: str = "plans") -> None:
        """429 with ``Retry-After`` when the athlete has no token left."""
        wait = self.wait_s(athlete_id)
        if wait > 0:
            seconds = max(1, math.ceil(wait))
            raise HTTPException(
                status.HTTP_429_TOO_MANY_REQUESTS,
                f"too many {what} computed for this athlete in a short time: try again in "
                f"{seconds} s (answers already computed are not limited)",
                headers={"Retry-After": str(seconds)},
            )


async def get_plan_limiter(request: Request) -> RateLimiter:
    limiter: RateLimiter = request.app.state.plan_limiter
    return limiter


PlanLimiterDep = Annotated[RateLimiter, Depends(get_plan_limiter)]
