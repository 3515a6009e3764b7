"""/v1/trends: fitness, fatigue and form (CTL/ATL/TSB) with ACWR over months; e1RM per lift."""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import APIRouter, Query

from api.deps import AthleteDep, ClockDep, StoreDep, local_today, only_query
from api.routers import AUTH, errors
from api.schemas.common import QueryDate
from api.schemas.trends import LiftList, LoadSeries
from api.trends import lift_series, load_series

router = APIRouter(prefix="/v1/trends", tags=["trends"])


@router.get(
    "/load",
    response_model=LoadSeries,
    responses=errors(*AUTH, 422),
    dependencies=[only_query("days", "end")],
)
def get_load(
    athlete: AthleteDep,
    store: StoreDep,
    clock: ClockDep,
    days: Annotated[int, Query(ge=7, le=3660, description="How many days")] = 365,
    end: Annotated[QueryDate | None, Query(description="The last local date (default: today)")]
    | None = None,
) -> dict[str, Any]:
    return load_series(store, athlete, end=end or local_today(athlete, clock), days=days)


@router.get(
    "/lifts",
    response_model=LiftList,
    responses=errors(*AUTH, 422),
    dependencies=[only_query("start", "end")],
)
def get_lifts(
    athlete: AthleteDep,
    store: StoreDep,
    start: Annotated[QueryDate | None, Query(description="First date (inclusive)")] = None,
    end: Annotated[QueryDate | None, Query(description="Last date (inclusive)")] = None,
) -> dict[str, Any]:
    return {"lifts": lift_series(store.list_strength(athlete.id, start, end))}
