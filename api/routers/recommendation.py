"""GET /v1/recommendation: the WeekPlan for a week, as of a day (the clock is read here)."""

from __future__ import annotations

from datetime import date
from typing import Annotated

from fastapi import APIRouter, Query, Response
from starlette.concurrency import run_in_threadpool

from api.deps import AthleteDep, ClockDep, StoreDep, local_today, only_query, recomputing_headers
from api.plans import athlete_plan, week_start_of
from api.rate_limit import PlanLimiterDep
from api.response_cache import ResponsesDep
from api.routers import AUTH, errors
from api.schemas.common import QueryDate
from api.schemas.plan import WeekPlan
from ingest.store import AthleteRecord, Store

router = APIRouter(prefix="/v1/recommendation", tags=["recommendation"])


def plan_json(store: Store, athlete: AthleteRecord, week_start: date, as_of: date) -> bytes:
    """The WeekPlan as the response model serialises it."""
    plan = athlete_plan(store, athlete, week_start, as_of)
    return WeekPlan.model_validate(plan.to_dict()).model_dump_json().encode()


@router.get(
    "",
    response_model=WeekPlan,
    responses=errors(*AUTH, 422, 429),
    dependencies=[only_query("week", "as_of")],
)
async def get_recommendation(
    athlete: AthleteDep,
    store: StoreDep,
    clock: ClockDep,
    responses: ResponsesDep,
    limiter: PlanLimiterDep,
    week: Annotated[
        QueryDate | None, Query(description="The week's first day (default: this week)")
    ] = None,
    as_of: Annotated[
        QueryDate | None, Query(description="Plan as of this day (default: today)")
    ] = None,
) -> Response:
    day = as_of or local_today(athlete, clock)
    start = week_start_of(week or day, athlete.week_start)
    key = ("plan", athlete.id, athlete.data_version, start, day)
    body = responses.get(key)  # a hit is answered on the event loop, without a thread hop
    if body is None:  # a plan to compute: the athlete's rate limit applies (429)
        limiter.check(athlete.id)
        body = await run_in_threadpool(
            responses.get_or_compute, key, lambda: plan_json(store, athlete, start, day), athlete.id
        )
    return Response(body, media_type="application/json", headers=recomputing_headers(athlete))
