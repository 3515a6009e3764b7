"""A deadline on every request body: a pause longer than ``idle_s`` between two pieces, or less
than ``min_rate`` bytes/s on average over the last ``window_s`` seconds (the first window is
free), answers 408 and closes the connection (issue 14, finding 4: 40 trickling uploads held
2,000 MiB of the temp folder for 150 s). The request's temporary files go with it (Starlette
closes a form's files on error).

The window slides: a burst does not buy time for a trickle after it (an average since the start
would have let 4 MiB sent at once cover two minutes of a byte a second)."""

from __future__ import annotations

import asyncio
import time
from collections import deque

from fastapi.responses import JSONResponse
from starlette.types import ASGIApp, Message, Receive, Scope, Send


class BodyTooSlow(Exception):
    pass


class BodyDeadline:
    def __init__(self, app: ASGIApp, *, idle_s: float, min_rate: float, window_s: float) -> None:
        self.app = app
        self.idle_s = idle_s
        self.min_rate = min_rate
        self.window_s = window_s

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        start = time.monotonic()
        recent: deque[tuple[float, int]] = deque()  # (when, bytes) within the window
        timed_out = False
        started = False
        done = False

        async def timed_receive() -> Message:
            nonlocal timed_out, done
            if done or timed_out:
                return await receive()
            now = time.monotonic()
            allowed = self._deadline(start, now, recent) - now
            try:
                message = await asyncio.wait_for(receive(), max(0.01, min(self.idle_s, allowed)))
            except TimeoutError:
                timed_out = True
                raise BodyTooSlow from None
            if message["type"] == "http.request":
                recent.append((time.monotonic(), len(message.get("body", b""))))
                done = not message.get("more_body", False)
            return message

        async def guarded_send(message: Message) -> None:
            nonlocal started
            if timed_out:
                return  # the app's own answer to the cut-off body (a 400): 408 instead, below
            if message["type"] == "http.response.start":
                started = True
            await send(message)

        try:
            await self.app(scope, timed_receive, guarded_send)
        except BodyTooSlow:
            pass
        except Exception:
            if not timed_out:
                raise
        if timed_out and not started:
            await self._too_slow(send)

    def _deadline(self, start: float, now: float, recent: deque[tuple[float, int]]) -> float:
        """When, if nothing more arrives, the last window will hold less than it must."""
        while recent and recent[0][0] <= now - self.window_s:
            recent.popleft()
        need = self.min_rate * self.window_s
        free_until = start + self.window_s
        left = sum(size for _, size in recent)
        if left < need:
            return max(now, free_until)
        for when, size in recent:  # the oldest leave the window first
            left -= size
            if left < need:
                return max(when + self.window_s, free_until)
        return max(now, free_until)  # unreachable: left reaches 0 < need

    async def _too_slow(self, send: Send) -> None:
        rate = self.min_rate / 1024
        detail = (
            f"the request body arrived too slowly (a pause over {self.idle_s:g} s, or under "
            f"{rate:g} KiB/s over {self.window_s:g} s): send it again"
        )
        response = JSONResponse({"detail": detail}, status_code=408)
        headers = [*response.raw_headers, (b"connection", b"close")]
        await send({"type": "http.response.start", "status": 408, "headers": headers})
        await send({"type": "http.response.body", "body": response.body})
