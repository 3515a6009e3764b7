"""A deadline on every request body: a pause longer than ``idle_s`` between two pieces, or an
average rate under ``min_rate`` bytes/s once ``grace_s`` has passed, answers 408 and closes the
connection (issue 14, finding 4: 40 trickling uploads held 2,000 MiB of the temp folder for
150 s). The request's temporary files go with it (Starlette closes a form's files on error).

At each ``receive`` the body may take as long as ``grace_s + received / min_rate`` from the start
of the request allows, and never more than ``idle_s`` for the next piece."""

from __future__ import annotations

import asyncio
import time

from fastapi.responses import JSONResponse
from starlette.types import ASGIApp, Message, Receive, Scope, Send


class BodyTooSlow(Exception):
    pass


class BodyDeadline:
    def __init__(self, app: ASGIApp, *, idle_s: float, min_rate: float, grace_s: float) -> None:
        self.app = app
        self.idle_s = idle_s
        self.min_rate = min_rate
        self.grace_s = grace_s

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        start = time.monotonic()
        received = 0
        timed_out = False
        started = False
        done = False

        async def timed_receive() -> Message:
            nonlocal received, timed_out, done
            if done or timed_out:
                return await receive()
            allowed = start + self.grace_s + received / self.min_rate - time.monotonic()
            try:
                message = await asyncio.wait_for(receive(), max(0.01, min(self.idle_s, allowed)))
            except TimeoutError:
                timed_out = True
                raise BodyTooSlow from None
            if message["type"] == "http.request":
                received += len(message.get("body", b""))
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

    async def _too_slow(self, send: Send) -> None:
        rate = self.min_rate / 1024
        detail = (
            f"the request body arrived too slowly (a pause over {self.idle_s:g} s, or under "
            f"{rate:g} KiB/s on average): send it again"
        )
        response = JSONResponse({"detail": detail}, status_code=408)
        headers = [*response.raw_headers, (b"connection", b"close")]
        await send({"type": "http.response.start", "status": 408, "headers": headers})
        await send({"type": "http.response.body", "body": response.body})
