"""GET /v1/weeks: weekly totals in the athlete's local weeks, with ACWR."""

from __future__ import annotations

from datetime import date
from typing import Annotated

from fastapi import APIRouter, Query, Response
from starlette.concurrency import run_in_threadpool

from api.deps import AthleteDep, ClockDep, StoreDep, local_today, only_query, recomputing_headers
from api.plans import athlete_weeks
from api.response_cache import ResponsesDep
from api.routers import AUTH, errors
from api.schemas.common import QueryDate
from api.schemas.weeks import WeekList
from ingest.store import AthleteRecord, Store

router = APIRouter(prefix="/v1/weeks", tags=["weeks"])


def weeks_json(store: Store, athlete: AthleteRecord, end: date, count: int) -> bytes:
    """The weeks from the store's daily totals (no per-activity read), as the model serialises."""
    weeks = athlete_weeks(store, athlete, end=end, count=count)
    return WeekList.model_validate({"weeks": weeks}).model_dump_json().encode()


@router.get(
    "",
    response_model=WeekList,
    responses=errors(*AUTH, 422),
    dependencies=[only_query("count", "end")],
)
async def list_weeks(
    athlete: AthleteDep,
    store: StoreDep,
    clock: ClockDep,
    responses: ResponsesDep,
    count: Annotated[int, Query(ge=1, le=520, description="How many weeks")] = 12,
    end: Annotated[QueryDate | None, Query(description="A local date in the last week")] = None,
) -> Response:
    last = end or local_today(athlete, clock)
    key = ("weeks", athlete.id, athlete.data_version, last, count)
    body = responses.get(key)  # a hit is answered on the event loop, without a thread hop
    if body is None:
        body = await run_in_threadpool(
            responses.get_or_compute,
            key,
            lambda: weeks_json(store, athlete, last, count),
            athlete.id,
        )
    return Response(body, media_type="application/json", headers=recomputing_headers(athlete))
