"""GET /v1/weeks: weekly totals in the athlete's local weeks, with ACWR."""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import APIRouter, Query

from api.deps import AthleteDep, ClockDep, StoreDep, local_today, only_query
from api.routers import AUTH, errors
from api.schemas import QueryDate, WeekList
from api.weeks import weekly_totals

router = APIRouter(prefix="/v1/weeks", tags=["weeks"])


@router.get(
    "",
    response_model=WeekList,
    responses=errors(*AUTH, 422),
    dependencies=[only_query("count", "end")],
)
def list_weeks(
    athlete: AthleteDep,
    store: StoreDep,
    clock: ClockDep,
    count: Annotated[int, Query(ge=1, le=520, description="How many weeks")] = 12,
    end: Annotated[QueryDate | None, Query(description="A local date in the last week")] = None,
) -> dict[str, Any]:
    last = end or local_today(athlete, clock)
    frame = store.activities_frame(athlete.id)
    weeks = weekly_totals(frame, end=last, count=count, week_start=athlete.week_start)
    return {"weeks": weeks}
