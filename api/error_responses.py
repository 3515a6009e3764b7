"""Every error the API answers is JSON ``{"detail": ...}``: validation errors, HTTP errors (with the
full ``Allow`` list on 405), Starlette's plain-text 413, and any unexpected exception (a 500 that
names no SQL, path or traceback, only a reference the log shows next to the cause)."""

from __future__ import annotations

import logging
import uuid

from fastapi import FastAPI, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse
from starlette.datastructures import Headers
from starlette.exceptions import HTTPException as StarletteHTTPException
from starlette.routing import compile_path
from starlette.types import ASGIApp, Message, Receive, Scope, Send

log = logging.getLogger("legday.api")
TOO_LARGE = "request body too large"


def install_error_handlers(app: FastAPI) -> None:
    app.add_exception_handler(RequestValidationError, _on_validation_error)
    app.add_exception_handler(StarletteHTTPException, _on_http_error)
    app.add_exception_handler(Exception, _on_unexpected_error)


def _validation_detail(exc: RequestValidationError) -> str:
    parts = []
    for err in exc.errors():
        where = ".".join(str(p) for p in err.get("loc", ()) if p != "body") or "request"
        parts.append(f"{where}: {err.get('msg', 'invalid')}")
    return "; ".join(parts) or "invalid request"


async def _on_validation_error(_: Request, exc: Exception) -> JSONResponse:
    assert isinstance(exc, RequestValidationError)
    return JSONResponse({"detail": _validation_detail(exc)}, status_code=422)


async def _on_unexpected_error(request: Request, exc: Exception) -> JSONResponse:
    """Any other exception: a JSON 500 that names no SQL, no path, no traceback — just a
    reference the server's log shows next to the cause (Starlette logs the traceback too)."""
    reference = uuid.uuid4().hex[:12]
    log.error(
        "%s %s failed (reference %s): %s", request.method, request.url.path, reference,
        type(exc).__name__,
    )  # fmt: skip
    detail = f"internal server error (reference {reference}): the server's log has the cause"
    return JSONResponse({"detail": detail}, status_code=500)


async def _on_http_error(request: Request, exc: Exception) -> JSONResponse:
    assert isinstance(exc, StarletteHTTPException)
    headers = dict(exc.headers or {})
    if exc.status_code == 405:  # Starlette names only the first matching route's methods
        headers["Allow"] = ", ".join(_allowed_methods(request))
    return JSONResponse({"detail": str(exc.detail)}, status_code=exc.status_code, headers=headers)


def _allowed_methods(request: Request) -> list[str]:
    """Every method the API documents for the requested path."""
    app: FastAPI = request.app
    path = request.url.path
    methods: set[str] = set()
    for template, item in app.openapi()["paths"].items():
        regex, _, _ = compile_path(template)
        if regex.match(path):
            methods |= {m.upper() for m in item}
    return sorted(methods)


class JSONTooLarge:
    """Starlette's body limit answers 413 in plain text; every legday error is JSON ``detail``."""

    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        replaced = False

        async def send_json(message: Message) -> None:
            nonlocal replaced
            if replaced:
                return  # the plain-text body of the replaced response
            if message["type"] == "http.response.start" and message["status"] == 413:
                headers = Headers(raw=message.get("headers", []))
                if headers.get("content-type", "").startswith("text/plain"):
                    replaced = True
                    response = JSONResponse({"detail": TOO_LARGE}, status_code=413)
                    await send(
                        {
                            "type": "http.response.start",
                            "status": 413,
                            "headers": response.raw_headers,
                        }
                    )
                    await send({"type": "http.response.body", "body": response.body})
                    return
            await send(message)

        await self.app(scope, receive, send_json)
