"""/v1/skips: the days a planned strength session was skipped ("Skipped" on the dashboard).

The recommender does not read them: a past day with nothing logged already counts as not done.
They let every device show the day as skipped, and the dashboard re-plan the rest of the week
from tomorrow when today is skipped."""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import APIRouter, HTTPException, Path, Query, Response, status

from api.deps import AthleteDep, StoreDep, only_query
from api.routers import AUTH, BODY, FULL, errors
from api.schemas.common import InDay, QueryDate
from api.schemas.skips import Skip, SkipList

router = APIRouter(prefix="/v1/skips", tags=["skipped sessions"])
SkipDay = Annotated[InDay, Path(description="The day, YYYY-MM-DD")]


@router.get(
    "",
    response_model=SkipList,
    responses=errors(*AUTH, 422),
    dependencies=[only_query("start", "end")],
)
def list_skips(
    athlete: AthleteDep,
    store: StoreDep,
    start: Annotated[QueryDate | None, Query()] = None,
    end: Annotated[QueryDate | None, Query()] = None,
) -> dict[str, Any]:
    return {"skips": store.list_skips(athlete.id, start, end)}


@router.post(
    "",
    status_code=status.HTTP_201_CREATED,
    response_model=Skip,
    responses=errors(*AUTH, *BODY, *FULL),
)
def skip(body: Skip, athlete: AthleteDep, store: StoreDep) -> Skip:
    """Mark the day skipped (again: no change, the same answer)."""
    store.skip_session(athlete.id, body.date)
    return body


@router.delete(
    "/{day}",
    status_code=status.HTTP_204_NO_CONTENT,
    response_class=Response,
    responses=errors(*AUTH, 404, 422, *FULL),
)
def unskip(day: SkipDay, athlete: AthleteDep, store: StoreDep) -> Response:
    if not store.unskip_session(athlete.id, day):
        raise HTTPException(status.HTTP_404_NOT_FOUND, "that day is not marked skipped")
    return Response(status_code=status.HTTP_204_NO_CONTENT)
