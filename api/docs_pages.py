"""``/docs`` (Swagger UI) and ``/redoc`` from local assets: the pinned ``fastapi-offline`` package
ships the scripts and styles, served here under ``/static-docs``; nothing is loaded from a CDN
(issue 14, finding 15: a floating ``swagger-ui-dist@5`` from a CDN ran without SRI on the origin
that keeps the token in ``localStorage``), and the docs work offline.

Each page's one inline script is allowed by its SHA-256 in the page's own Content-Security-Policy
(``api.security_headers`` sets the strict one everywhere else)."""

from __future__ import annotations

import base64
import hashlib
import re
from pathlib import Path

import fastapi_offline
from fastapi import FastAPI, Request
from fastapi.openapi.docs import (
    get_redoc_html,
    get_swagger_ui_html,
    get_swagger_ui_oauth2_redirect_html,
)
from fastapi.responses import HTMLResponse
from fastapi.staticfiles import StaticFiles

ASSETS = Path(fastapi_offline.__file__).resolve().parent / "static"
PREFIX = "/static-docs"
INLINE_SCRIPT = re.compile(r"<script>(.*?)</script>", re.S)


def docs_policy(html: str) -> str:
    """The docs pages' CSP: their own scripts and the inline one by hash; Swagger UI and ReDoc
    set inline styles and ReDoc runs a worker from a blob."""
    hashes = " ".join(
        f"'sha256-{base64.b64encode(hashlib.sha256(s.encode()).digest()).decode()}'"
        for s in INLINE_SCRIPT.findall(html)
    )
    return (
        f"default-src 'self'; script-src 'self' {hashes}; style-src 'self' 'unsafe-inline'; "
        "img-src 'self' data:; font-src 'self'; connect-src 'self'; worker-src 'self' blob:; "
        "object-src 'none'; base-uri 'none'; form-action 'self'; frame-ancestors 'none'"
    )


def _page(html: HTMLResponse) -> HTMLResponse:
    text = bytes(html.body).decode()
    return HTMLResponse(text, headers={"Content-Security-Policy": docs_policy(text)})


def install_docs(app: FastAPI, *, docs_url: str = "/docs", redoc_url: str = "/redoc") -> None:
    app.mount(PREFIX, StaticFiles(directory=ASSETS), name="static-docs")
    redirect = f"{docs_url}/oauth2-redirect"

    @app.get(docs_url, include_in_schema=False)
    async def swagger_ui(request: Request) -> HTMLResponse:
        root = request.scope.get("root_path", "")
        return _page(
            get_swagger_ui_html(
                openapi_url=f"{root}{app.openapi_url}",
                title=f"{app.title} - Swagger UI",
                oauth2_redirect_url=f"{root}{redirect}",
                swagger_js_url=f"{root}{PREFIX}/swagger-ui-bundle.js",
                swagger_css_url=f"{root}{PREFIX}/swagger-ui.css",
                swagger_favicon_url=f"{root}{PREFIX}/favicon.png",
                swagger_ui_parameters={"validatorUrl": None},  # no badge from the validator's site
            )
        )

    @app.get(redirect, include_in_schema=False)
    async def swagger_ui_redirect() -> HTMLResponse:
        return _page(get_swagger_ui_oauth2_redirect_html())

    @app.get(redoc_url, include_in_schema=False)
    async def redoc(request: Request) -> HTMLResponse:
        root = request.scope.get("root_path", "")
        return _page(
            get_redoc_html(
                openapi_url=f"{root}{app.openapi_url}",
                title=f"{app.title} - ReDoc",
                redoc_js_url=f"{root}{PREFIX}/redoc.standalone.js",
                redoc_favicon_url=f"{root}{PREFIX}/favicon.png",
                with_google_fonts=False,
            )
        )
