"""Typed dependencies: the store, settings, clock, parse executor and the authenticated caller."""

from __future__ import annotations

from collections.abc import Callable
from concurrent.futures import Executor
from datetime import date, datetime
from typing import Annotated, Any
from zoneinfo import ZoneInfo

from fastapi import Depends, HTTPException, Request, status
from fastapi.security import HTTPAuthorizationCredentials, HTTPBearer

from api.auth import AdminToken, feed_token, hash_token
from api.settings import Settings
from ingest.store import AthleteRecord, Store

Clock = Callable[[], datetime]
bearer = HTTPBearer(auto_error=False, description="The athlete's token (or the admin token).")


def get_store(request: Request) -> Store:
    store: Store = request.app.state.store
    return store


def get_settings(request: Request) -> Settings:
    settings: Settings = request.app.state.settings
    return settings


def get_clock(request: Request) -> Clock:
    clock: Clock = request.app.state.clock
    return clock


def get_executor(request: Request) -> Executor | None:
    executor: Executor | None = request.app.state.executor
    return executor


def get_feed_secret(request: Request) -> bytes:
    secret: bytes = request.app.state.feed_secret
    return secret


StoreDep = Annotated[Store, Depends(get_store)]
SettingsDep = Annotated[Settings, Depends(get_settings)]
ClockDep = Annotated[Clock, Depends(get_clock)]
ExecutorDep = Annotated["Executor | None", Depends(get_executor)]
FeedSecretDep = Annotated[bytes, Depends(get_feed_secret)]
Credentials = Annotated[HTTPAuthorizationCredentials | None, Depends(bearer)]


def _unauthorized(detail: str) -> HTTPException:
    return HTTPException(
        status.HTTP_401_UNAUTHORIZED, detail=detail, headers={"WWW-Authenticate": "Bearer"}
    )


def current_athlete(store: StoreDep, credentials: Credentials) -> AthleteRecord:
    """The athlete whose (unrevoked) token this is; 401 otherwise."""
    if credentials is None or not credentials.credentials:
        raise _unauthorized("missing bearer token")
    athlete = store.athlete_by_token_hash(hash_token(credentials.credentials))
    if athlete is None or athlete.token_revoked_at is not None:
        raise _unauthorized("invalid or revoked token")
    return athlete


def require_admin(request: Request, store: StoreDep, credentials: Credentials) -> None:
    """The admin token passes; an athlete's token is 403; anything else is 401."""
    if credentials is None or not credentials.credentials:
        raise _unauthorized("missing bearer token")
    admin: AdminToken = request.app.state.admin_token
    if admin.accepts(credentials.credentials):
        return
    if store.athlete_by_token_hash(hash_token(credentials.credentials)) is not None:
        raise HTTPException(status.HTTP_403_FORBIDDEN, detail="the admin token is required")
    raise _unauthorized("invalid token")


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

    def check(request: Request) -> None:
        unknown = sorted(set(request.query_params) - allowed)
        if unknown:
            listed = ", ".join(repr(u) for u in unknown)
            raise HTTPException(
                status.HTTP_422_UNPROCESSABLE_CONTENT, f"unknown query parameter(s): {listed}"
            )

    return Depends(check)
