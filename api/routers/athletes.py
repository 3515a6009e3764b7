"""/v1/athletes: the admin creates an athlete (their token shown once), revokes a token (which
kills the calendar feed URL too), issues a new one (after a revocation, an expiry or a lost
token), or gives an athlete a new calendar feed URL."""

from __future__ import annotations

from datetime import datetime
from typing import Annotated

from fastapi import APIRouter, HTTPException, Path, Request, Response, status
from pydantic import BaseModel

from api.deps import (
    AdminDep,
    ClockDep,
    FeedSecretDep,
    SettingsDep,
    StoreDep,
    calendar_url,
    token_expiry,
)
from api.routers import BODY, FULL, errors
from api.schemas.profile import AthleteCreate, AthleteCreated
from ingest.store import NameTaken

router = APIRouter(prefix="/v1/athletes", tags=["athletes"])
AthleteId = Annotated[int, Path(ge=1, le=2**31 - 1)]


class TokenIssued(BaseModel):
    """A bearer token, shown this once (only its hash is kept); `expires_at` null: never."""

    id: int
    name: str
    token: str
    expires_at: datetime | None


class CalendarRotated(BaseModel):
    """The new secret feed URL; the previous one answers 404 from now on."""

    calendar_url: str


@router.post(
    "",
    status_code=status.HTTP_201_CREATED,
    response_model=AthleteCreated,
    responses=errors(401, 403, 409, *BODY, *FULL),
)
def create_athlete(
    request: Request,
    body: AthleteCreate,
    store: StoreDep,
    settings: SettingsDep,
    clock: ClockDep,
    _: AdminDep,
) -> AthleteCreated:
    """A new athlete; 409 when the name is taken (names are compared ignoring case). A sync
    folder this process was configured with for this name, refused for want of an account,
    is bound to the new athlete (the admin creating the account; a rename never does that)."""
    try:
        athlete, token = store.create_athlete(
            body.name,
            timezone=body.timezone,
            week_start=body.week_start,
            token_expires_at=token_expiry(settings, clock),
        )
    except NameTaken as taken:
        raise HTTPException(status.HTTP_409_CONFLICT, str(taken)) from None
    scheduler = getattr(request.app.state, "scheduler", None)
    if scheduler is not None:
        scheduler.athlete_created(athlete)
    return AthleteCreated(id=athlete.id, name=athlete.name, token=token)


@router.post(
    "/{athlete_id}/token",
    status_code=status.HTTP_201_CREATED,
    response_model=TokenIssued,
    responses=errors(401, 403, 404, 422, *FULL),
)
def issue_token(
    athlete_id: AthleteId, store: StoreDep, settings: SettingsDep, clock: ClockDep, _: AdminDep
) -> TokenIssued:
    """A new token for the athlete; their previous one (revoked, expired or not) stops working."""
    athlete = store.get_athlete(athlete_id)
    if athlete is None:
        raise HTTPException(status.HTTP_404_NOT_FOUND, "no such athlete")
    expires = token_expiry(settings, clock)
    token = store.rotate_token(athlete_id, expires_at=expires)
    return TokenIssued(id=athlete.id, name=athlete.name, token=token, expires_at=expires)


@router.delete(
    "/{athlete_id}/token",
    status_code=status.HTTP_204_NO_CONTENT,
    response_class=Response,
    responses=errors(401, 403, 404, 422, *FULL),
)
def revoke_token(athlete_id: AthleteId, store: StoreDep, _: AdminDep) -> Response:
    """Revoke the athlete's token at once (a lost phone): their calendar feed URL stops working
    too (a new one comes with the next token, in `GET /v1/me`); the admin can issue a new one."""
    if store.get_athlete(athlete_id) is None:
        raise HTTPException(status.HTTP_404_NOT_FOUND, "no such athlete")
    store.revoke_token(athlete_id)
    return Response(status_code=status.HTTP_204_NO_CONTENT)


@router.post(
    "/{athlete_id}/calendar/rotate",
    response_model=CalendarRotated,
    responses=errors(401, 403, 404, 422, *FULL),
)
def rotate_calendar(
    request: Request, athlete_id: AthleteId, store: StoreDep, secret: FeedSecretDep, _: AdminDep
) -> CalendarRotated:
    """A new secret calendar feed URL for the athlete (theirs was shared or leaked); the old one
    answers 404 at once. The athlete sees the new one in `GET /v1/me`."""
    if store.get_athlete(athlete_id) is None:
        raise HTTPException(status.HTTP_404_NOT_FOUND, "no such athlete")
    updated = store.rotate_feed(athlete_id)
    return CalendarRotated(calendar_url=calendar_url(request, updated, secret))
