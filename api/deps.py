"""Typed dependencies: the store, settings, clock, parse executor and the authenticated caller."""

from __future__ import annotations

import logging
from collections.abc import AsyncIterator, Callable
from concurrent.futures import Executor
from datetime import date, datetime, timedelta
from typing import Annotated, Any
from zoneinfo import ZoneInfo

from fastapi import Depends, HTTPException, Request, status
from fastapi.security import HTTPAuthorizationCredentials, HTTPBearer

from api.auth import AdminToken, feed_token, hash_token
from api.recompute import HEADER as RECOMPUTING
from api.recompute import Recomputer
from api.settings import Settings
from ingest.store import AthleteRecord, QuotaExceeded, Store
from ingest.store.blobs import FULL_ERRNOS

Clock = Callable[[], datetime]
log = logging.getLogger("legday.api")
bearer = HTTPBearer(auto_error=False, description="The athlete's token (or the admin token).")


# The dependencies below only read app state: ``async def`` runs them on the event loop. A plain
# ``def`` dependency costs a thread-pool round trip per request (under 50 clients, waiting on those
# hand-offs was the largest item of the profile of a cached GET /v1/recommendation).


async def get_store(request: Request) -> AsyncIterator[Store]:
    """The store; a full disk under it (raw files or database), or the athlete's storage quota,
    becomes 507 with the cause."""
    store: Store = request.app.state.store
    try:
        yield store
    except QuotaExceeded as exc:  # the athlete's share is full, not the disk: the same status
        raise HTTPException(status.HTTP_507_INSUFFICIENT_STORAGE, str(exc)) from None
    except Exception as exc:
        where = storage_full(exc)
        if where is None:
            raise
        log.error("%s %s: %s is full (%s)", request.method, request.url.path, where, exc)
        raise HTTPException(
            status.HTTP_507_INSUFFICIENT_STORAGE,
            f"insufficient storage: no space left on the server's disk for {where}; "
            "nothing was stored, try again when space is freed",
        ) from None


def storage_full(exc: BaseException) -> str | None:
    """What is full when ``exc`` is a full disk: "the raw files" (ENOSPC/EDQUOT writing a blob)
    or "the database" (SQLite's SQLITE_FULL, PostgreSQL's disk_full 53100); else None."""
    seen: set[int] = set()
    current: BaseException | None = exc
    while current is not None and id(current) not in seen:
        seen.add(id(current))
        if isinstance(current, OSError) and current.errno in FULL_ERRNOS:
            return "the raw files"
        code = getattr(current, "sqlite_errorcode", None)
        if code == SQLITE_FULL or getattr(current, "sqlstate", None) == PG_DISK_FULL:
            return "the database"
        if "database or disk is full" in str(current):
            return "the database"
        current = getattr(current, "orig", None) or current.__cause__ or current.__context__
    return None


SQLITE_FULL = 13
PG_DISK_FULL = "53100"


async def get_settings(request: Request) -> Settings:
    settings: Settings = request.app.state.settings
    return settings


async def get_clock(request: Request) -> Clock:
    clock: Clock = request.app.state.clock
    return clock


async def get_recomputer(request: Request) -> Recomputer:
    recomputer: Recomputer = request.app.state.recomputer
    return recomputer


def recomputing_headers(athlete: AthleteRecord) -> dict[str, str]:
    """The ``Legday-Recomputing`` header for an answer that depends on the athlete's derived data,
    while a profile change is still being applied to it (the old figures are served till then)."""
    return {RECOMPUTING: "true"} if athlete.recomputing else {}


async def get_executor(request: Request) -> Executor | None:
    executor: Executor | None = request.app.state.executor
    return executor


async def get_feed_secret(request: Request) -> bytes:
    secret: bytes = request.app.state.feed_secret
    return secret


StoreDep = Annotated[Store, Depends(get_store)]
SettingsDep = Annotated[Settings, Depends(get_settings)]
ClockDep = Annotated[Clock, Depends(get_clock)]
ExecutorDep = Annotated["Executor | None", Depends(get_executor)]
RecomputerDep = Annotated["Recomputer", Depends(get_recomputer)]
FeedSecretDep = Annotated[bytes, Depends(get_feed_secret)]
Credentials = Annotated[HTTPAuthorizationCredentials | None, Depends(bearer)]


def _unauthorized(detail: str) -> HTTPException:
    return HTTPException(
        status.HTTP_401_UNAUTHORIZED, detail=detail, headers={"WWW-Authenticate": "Bearer"}
    )


ACT_AS = "X-Legday-Athlete"


def current_athlete(
    request: Request, store: StoreDep, credentials: Credentials, clock: ClockDep
) -> AthleteRecord:
    """The athlete whose (unrevoked, unexpired) token this is; 401 otherwise (``authenticate``)."""
    token = credentials.credentials if credentials is not None else None
    admin: AdminToken = request.app.state.admin_token
    return authenticate(store, admin, token, request.headers.get(ACT_AS), clock)


def authenticate(
    store: Store, admin: AdminToken, token: str | None, act_as: str | None, clock: Clock
) -> AthleteRecord:
    """The athlete whose (unrevoked, unexpired) token this is; 401 otherwise. The upload's guard
    calls it before a byte of the body is read (``api.upload_guard``), the routes through
    ``current_athlete``.

    The token is looked up by its SHA-256 (the store keeps nothing else), so no comparison of
    secrets happens here that could leak through timing. The admin token with an
    ``X-Legday-Athlete: <id>`` header acts as that athlete (a coach switching between athletes on
    the dashboard); the admin can already issue any athlete's token, so this grants nothing new."""
    if not token:
        raise _unauthorized("missing bearer token")
    athlete = store.athlete_by_token_hash(hash_token(token))
    if athlete is None and act_as is not None:
        return _acted_on(store, admin, token, act_as)
    if athlete is None or athlete.token_revoked_at is not None:
        raise _unauthorized("invalid or revoked token")
    if expired(athlete, clock):
        raise _unauthorized("token expired: ask the admin for a new one")
    return athlete


def _acted_on(store: Store, admin: AdminToken, token: str, act_as: str) -> AthleteRecord:
    if not admin.accepts(token):
        raise _unauthorized("invalid or revoked token")
    wanted = act_as.strip()
    athlete = store.get_athlete(int(wanted)) if wanted.isdigit() and len(wanted) < 10 else None
    if athlete is None:
        raise _unauthorized(f"{ACT_AS}: no athlete with id {wanted[:20]!r}")
    return athlete


def token_expiry(settings: Settings, clock: Clock) -> datetime | None:
    """When a token issued now expires (``LEGDAY_TOKEN_TTL_DAYS``), or None: never."""
    if settings.token_ttl_days is None:
        return None
    return clock() + timedelta(days=settings.token_ttl_days)


def require_admin(
    request: Request, store: StoreDep, credentials: Credentials, clock: ClockDep
) -> None:
    """The admin token passes; a live athlete's token is 403; anything else (wrong, revoked,
    expired) is 401, so this route tells nobody more about a dead token than any other does."""
    if credentials is None or not credentials.credentials:
        raise _unauthorized("missing bearer token")
    admin: AdminToken = request.app.state.admin_token
    if admin.accepts(credentials.credentials):
        return
    athlete = store.athlete_by_token_hash(hash_token(credentials.credentials))
    if athlete is not None and not expired(athlete, clock):
        raise HTTPException(status.HTTP_403_FORBIDDEN, detail="the admin token is required")
    raise _unauthorized("invalid token")


def expired(athlete: AthleteRecord, clock: Clock) -> bool:
    return athlete.token_expires_at is not None and athlete.token_expires_at <= clock()


AthleteDep = Annotated[AthleteRecord, Depends(current_athlete)]
AdminDep = Annotated[None, Depends(require_admin)]


def calendar_url(request: Request, athlete: AthleteRecord, secret: bytes) -> str:
    """The athlete's secret ICS feed URL, on the host the client used."""
    token = feed_token(secret, athlete.id, athlete.feed_nonce)
    return str(request.url_for("calendar_feed", feed_token=token))


def local_today(athlete: AthleteRecord, clock: Clock) -> date:
    """Today in the athlete's time zone: the clock is read here, at the edge."""
    return clock().astimezone(ZoneInfo(athlete.timezone)).date()


def only_query(*names: str) -> Any:
    """A route dependency: 422 for a query parameter other than ``names`` (a typo in ``start``
    must not silently widen a date filter)."""
    allowed = frozenset(names)

    async def check(request: Request) -> None:
        unknown = sorted(set(request.query_params) - allowed)
        if unknown:
            listed = ", ".join(repr(u) for u in unknown)
            raise HTTPException(
                status.HTTP_422_UNPROCESSABLE_CONTENT, f"unknown query parameter(s): {listed}"
            )

    return Depends(check)
