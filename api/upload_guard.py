"""The upload's gatekeeper, before a byte of its body is read (issue 14, findings 4 and 7).

``POST /v1/activities`` declares a file, so FastAPI reads and spools the whole multipart body
before any dependency runs: an unauthenticated 60 MB POST was read fully before its 401. This
middleware answers first, from the request head alone, and closes the connection:

1. the bearer token (``api.deps.authenticate``): 401;
2. a ``Content-Length`` over the upload limit: 413;
3. uploads in flight: at most ``upload_concurrency_per_athlete`` for one athlete and
   ``upload_concurrency`` in all: 429 with ``Retry-After``;
4. the memory budget: the bodies in flight (each counted at its ``Content-Length``, or at the
   upload limit without one) stay under ``upload_memory_mb``: 503 with ``Retry-After``.

The body itself then has ``api.body_deadline``'s timeouts, and the parse ``api.parse_gate``'s
fair share."""

from __future__ import annotations

from collections import Counter
from collections.abc import Mapping

from fastapi import HTTPException
from fastapi.responses import JSONResponse
from starlette.concurrency import run_in_threadpool
from starlette.datastructures import Headers
from starlette.types import ASGIApp, Receive, Scope, Send

from api.auth import bearer_token
from api.deps import ACT_AS, authenticate
from api.settings import MiB, Settings

UPLOAD_PATH = "/v1/activities"
RETRY_AFTER_S = 5


class UploadGuard:
    def __init__(self, app: ASGIApp, settings: Settings, *, slack: int) -> None:
        self.app = app
        self.settings = settings
        self.limit = int(settings.max_upload_bytes) + slack
        self.budget = int(settings.upload_memory_mb * MiB)
        self.in_flight: Counter[int] = Counter()  # athlete id → uploads
        self.reserved = 0  # bytes of the bodies in flight

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if (
            scope["type"] != "http"
            or scope["method"] != "POST"
            or scope["path"].rstrip("/") != UPLOAD_PATH
        ):
            await self.app(scope, receive, send)
            return
        headers = Headers(scope=scope)
        state = scope["app"].state
        try:
            athlete = await run_in_threadpool(
                authenticate,
                state.store,
                state.admin_token,
                bearer_token(headers.get("authorization")),
                headers.get(ACT_AS),
                state.clock,
            )
        except HTTPException as refused:
            await _answer(send, refused.status_code, str(refused.detail), refused.headers)
            return
        size = _content_length(headers)
        if size is not None and size > self.limit:
            detail = f"request body too large: the limit is {self.settings.max_upload_bytes} bytes"
            await _answer(send, 413, detail)
            return
        refusal = self._refusal(athlete.id, self.limit if size is None else size)
        if refusal is not None:
            await _answer(send, *refusal, {"Retry-After": str(RETRY_AFTER_S)})
            return
        reserved = self.limit if size is None else size
        self.in_flight[athlete.id] += 1
        self.reserved += reserved
        try:
            await self.app(scope, receive, send)
        finally:
            self.reserved -= reserved
            self.in_flight[athlete.id] -= 1
            if self.in_flight[athlete.id] <= 0:
                del self.in_flight[athlete.id]

    def _refusal(self, athlete_id: int, size: int) -> tuple[int, str] | None:
        mine = self.in_flight[athlete_id]
        if mine >= self.settings.upload_concurrency_per_athlete:
            return 429, (
                f"too many uploads at once: {mine} of yours are in progress (the limit is "
                f"{self.settings.upload_concurrency_per_athlete}); send this one when one ends"
            )
        total = sum(self.in_flight.values())
        if total >= self.settings.upload_concurrency:
            return 429, "the server is busy with other uploads: try again in a few seconds"
        if self.reserved and self.reserved + size > self.budget:
            return 503, (
                "the server's memory for uploads in progress is taken: try again in a few seconds"
            )
        return None


def _content_length(headers: Headers) -> int | None:
    value = headers.get("content-length")
    if value is None or not value.strip().isdigit():
        return None
    return int(value)


async def _answer(
    send: Send, status: int, detail: str, extra: Mapping[str, str] | None = None
) -> None:
    """The JSON answer, and the connection closed: the unread body is never read."""
    response = JSONResponse({"detail": detail}, status_code=status, headers=extra)
    headers = [*response.raw_headers, (b"connection", b"close")]
    await send({"type": "http.response.start", "status": status, "headers": headers})
    await send({"type": "http.response.body", "body": response.body})
