"""One router per resource. ``errors(...)`` documents the error statuses a route can answer."""

from __future__ import annotations

from typing import Any

from api.schemas.common import Error

DESCRIPTIONS = {
    400: "Bad request",
    401: "Missing, invalid or revoked bearer token",
    403: "Not allowed with this token",
    404: "Not found (or not yours)",
    408: "The request body arrived too slowly (a long pause, or under the minimum rate)",
    409: "Conflicts with existing data",
    413: "Request body too large",
    415: "Not an activity file",
    422: "Invalid request, or an unreadable file (the detail says why)",
    429: "Too many requests of this kind for now: `Retry-After` says when to try again",
    503: "The server's capacity for this is taken for now: `Retry-After` says when to try again",
    507: "The server's disk, or the athlete's storage quota, is full: nothing was stored "
    "(the detail says which)",
}


def errors(*codes: int) -> dict[int | str, dict[str, Any]]:
    """``responses=`` for a route: each status with the ``{"detail": "..."}`` body."""
    return {code: {"model": Error, "description": DESCRIPTIONS[code]} for code in codes}


AUTH = (401,)
BODY = (400, 413, 422)
FULL = (507,)  # a route that writes: a full disk answers 507, never a partial write
