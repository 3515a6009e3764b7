"""POST /v1/athletes: the admin creates an athlete and receives their token once."""

from __future__ import annotations

from fastapi import APIRouter, HTTPException, status
from sqlalchemy.exc import IntegrityError

from api.deps import AdminDep, StoreDep
from api.routers import BODY, errors
from api.schemas import AthleteCreate, AthleteCreated

router = APIRouter(prefix="/v1/athletes", tags=["athletes"])


@router.post(
    "",
    status_code=status.HTTP_201_CREATED,
    response_model=AthleteCreated,
    responses=errors(401, 403, 409, *BODY),
)
def create_athlete(body: AthleteCreate, store: StoreDep, _: AdminDep) -> AthleteCreated:
    if store.athlete_by_name(body.name) is not None:
        raise HTTPException(status.HTTP_409_CONFLICT, f"an athlete named {body.name!r} exists")
    try:
        athlete, token = store.create_athlete(
            body.name, timezone=body.timezone, week_start=body.week_start
        )
    except IntegrityError:  # the same name, created concurrently
        raise HTTPException(
            status.HTTP_409_CONFLICT, f"an athlete named {body.name!r} exists"
        ) from None
    return AthleteCreated(id=athlete.id, name=athlete.name, token=token)
