"""uvicorn's HTTP protocol with a header timeout: a connection that has not sent a whole request
head (request line and headers) within ``LEGDAY_HEADER_TIMEOUT_S`` seconds of opening, or of the
first byte of its next request, gets a 408 and is closed.

uvicorn has no such timer: its ``timeout_keep_alive`` only runs between two requests, so 2,000
half-sent headers stayed open for good (issue 14, finding 4). The body's own timeouts are
``api.body_deadline``'s. Named by import string in ``uvicorn.run(http=...)``, so each worker of
``legday serve --workers N`` loads it too, with the timeout from the environment.
"""

from __future__ import annotations

import asyncio
import os
from typing import Any

from uvicorn.protocols.http.httptools_impl import HttpToolsProtocol

HEADER_TIMEOUT_ENV = "LEGDAY_HEADER_TIMEOUT_S"
DEFAULT_HEADER_TIMEOUT_S = 10.0
REQUEST_TIMEOUT = (
    b"HTTP/1.1 408 Request Timeout\r\ncontent-type: application/json\r\n"
    b"connection: close\r\ncontent-length: %d\r\n\r\n%s"
)
DETAIL = b'{"detail":"request headers not received in time"}'


def header_timeout() -> float:
    try:
        value = float(os.environ.get(HEADER_TIMEOUT_ENV, DEFAULT_HEADER_TIMEOUT_S))
    except ValueError:
        return DEFAULT_HEADER_TIMEOUT_S
    return value if value > 0 else DEFAULT_HEADER_TIMEOUT_S


class HeaderTimeoutProtocol(HttpToolsProtocol):
    """httptools' protocol, plus one timer per request head."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self._header_timeout = header_timeout()
        self._header_timer: asyncio.TimerHandle | None = None

    def connection_made(self, transport: asyncio.Transport) -> None:  # type: ignore[override]
        super().connection_made(transport)
        self._arm_header_timer()

    def connection_lost(self, exc: Exception | None) -> None:
        self._cancel_header_timer()
        super().connection_lost(exc)

    def on_message_begin(self) -> None:
        super().on_message_begin()
        if self._header_timer is None:
            self._arm_header_timer()

    def on_headers_complete(self) -> None:
        self._cancel_header_timer()
        super().on_headers_complete()

    def _arm_header_timer(self) -> None:
        self._cancel_header_timer()
        self._header_timer = self.loop.call_later(self._header_timeout, self._headers_too_slow)

    def _cancel_header_timer(self) -> None:
        if self._header_timer is not None:
            self._header_timer.cancel()
            self._header_timer = None

    def _headers_too_slow(self) -> None:
        self._header_timer = None
        if self.transport.is_closing():
            return
        busy = self.cycle is not None and not self.cycle.response_complete
        if busy:  # a request is being answered: its head arrived, the body has its own timer
            return
        self.transport.write(REQUEST_TIMEOUT % (len(DETAIL), DETAIL))
        self.transport.close()
