"""/v1/me: the athlete's own profile, with their id and secret calendar URL; rotating their token
and their calendar feed URL."""

from __future__ import annotations

from datetime import datetime

from fastapi import APIRouter, HTTPException, Request, status

from api.deps import (
    AthleteDep,
    ClockDep,
    FeedSecretDep,
    RecomputerDep,
    SettingsDep,
    StoreDep,
    calendar_url,
    token_expiry,
)
from api.routers import AUTH, BODY, FULL, errors
from api.routers.athletes import CalendarRotated, TokenIssued
from api.schemas.profile import ProfileOut, ProfilePatch
from ingest.store import AthleteRecord, NameTaken, Store

router = APIRouter(prefix="/v1/me", tags=["me"])


def _out(
    request: Request, athlete: AthleteRecord, secret: bytes, store: Store | None = None
) -> ProfileOut:
    pending = store.stale(athlete.id) if store is not None and athlete.recomputing else 0
    return ProfileOut(
        **athlete.profile_dict(),
        calendar_url=calendar_url(request, athlete, secret),
        recomputing=athlete.recomputing,
        recompute_pending=pending,
        calendar_url_reissued_at=athlete.calendar_url_reissued_at,
    )


@router.get("", response_model=ProfileOut, responses=errors(*AUTH))
def get_me(
    request: Request, athlete: AthleteDep, store: StoreDep, secret: FeedSecretDep
) -> ProfileOut:
    return _out(request, athlete, secret, store)


@router.patch("", response_model=ProfileOut, responses=errors(*AUTH, 409, *BODY, *FULL))
def patch_me(
    request: Request,
    body: ProfilePatch,
    athlete: AthleteDep,
    store: StoreDep,
    secret: FeedSecretDep,
    recomputer: RecomputerDep,
) -> ProfileOut:
    changes = body.changes()
    if not changes:
        return _out(request, athlete, secret, store)
    try:
        updated = store.update_athlete(athlete.id, **changes)
    except NameTaken as taken:  # another athlete has the name (compared ignoring case)
        raise HTTPException(status.HTTP_409_CONFLICT, str(taken)) from None
    if updated.recomputing:  # the time zone or HR figures changed: follow them in the background
        recomputer.request(athlete.id)
    return _out(request, updated, secret, store)


@router.post("/token/rotate", response_model=TokenIssued, responses=errors(*AUTH, *FULL))
def rotate_token(
    athlete: AthleteDep, store: StoreDep, settings: SettingsDep, clock: ClockDep
) -> TokenIssued:
    """A new token for the caller, shown this once; the token that made this call stops working.
    It expires when the one it replaces did (LEGDAY_TOKEN_TTL_DAYS counts from the admin's issue,
    so rotating never extends a token's life), or sooner if the TTL was set since."""
    expires = _earliest(athlete.token_expires_at, token_expiry(settings, clock))
    token = store.rotate_token(athlete.id, expires_at=expires)
    return TokenIssued(id=athlete.id, name=athlete.name, token=token, expires_at=expires)


@router.post("/calendar/rotate", response_model=CalendarRotated, responses=errors(*AUTH, *FULL))
def rotate_calendar(
    request: Request, athlete: AthleteDep, store: StoreDep, secret: FeedSecretDep
) -> CalendarRotated:
    """A new secret calendar feed URL (the old one was shared by mistake); the old URL is 404."""
    updated = store.rotate_feed(athlete.id)
    return CalendarRotated(calendar_url=calendar_url(request, updated, secret))


def _earliest(*moments: datetime | None) -> datetime | None:
    known = [m for m in moments if m is not None]
    return min(known) if known else None
