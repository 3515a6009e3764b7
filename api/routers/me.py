"""GET/PATCH /v1/me: the athlete's own profile, with their id and secret calendar URL."""

from __future__ import annotations

from fastapi import APIRouter, HTTPException, Request, status
from sqlalchemy.exc import IntegrityError

from api.deps import AthleteDep, FeedSecretDep, StoreDep, calendar_url
from api.routers import AUTH, BODY, errors
from api.schemas import ProfileOut, ProfilePatch
from ingest.store import AthleteRecord

router = APIRouter(prefix="/v1/me", tags=["me"])


def _out(request: Request, athlete: AthleteRecord, secret: bytes) -> ProfileOut:
    return ProfileOut(**athlete.profile_dict(), calendar_url=calendar_url(request, athlete, secret))


@router.get("", response_model=ProfileOut, responses=errors(*AUTH))
def get_me(request: Request, athlete: AthleteDep, secret: FeedSecretDep) -> ProfileOut:
    return _out(request, athlete, secret)


@router.patch("", response_model=ProfileOut, responses=errors(*AUTH, 409, *BODY))
def patch_me(
    request: Request,
    body: ProfilePatch,
    athlete: AthleteDep,
    store: StoreDep,
    secret: FeedSecretDep,
) -> ProfileOut:
    changes = body.changes()
    if not changes:
        return _out(request, athlete, secret)
    try:
        updated = store.update_athlete(athlete.id, **changes)
    except IntegrityError:  # the name belongs to another athlete
        raise HTTPException(status.HTTP_409_CONFLICT, "another athlete has that name") from None
    return _out(request, updated, secret)
