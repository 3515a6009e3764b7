"""GET /v1/recommendation: the WeekPlan for a week, as of a day (the clock is read here)."""

from __future__ import annotations

from datetime import date
from typing import Annotated, Any

from fastapi import APIRouter, Query

from api.deps import AthleteDep, ClockDep, StoreDep, local_today, only_query
from api.routers import AUTH, errors
from api.schemas import QueryDate, WeekPlan
from api.weeks import plan_for, week_start_of
from ingest.store import AthleteRecord, Store
from recommender.types import WeekPlan as Plan

router = APIRouter(prefix="/v1/recommendation", tags=["recommendation"])


def athlete_plan(store: Store, athlete: AthleteRecord, week: date, as_of: date) -> Plan:
    """Read what the recommender needs from the store; plan (pure) the week holding ``week``."""
    return plan_for(
        store.activities_frame(athlete.id),
        athlete,
        store.list_strength(athlete.id, end=as_of),
        store.list_checkins(athlete.id, end=as_of),
        week_start=week_start_of(week, athlete.week_start),
        as_of=as_of,
    )


@router.get(
    "",
    response_model=WeekPlan,
    responses=errors(*AUTH, 422),
    dependencies=[only_query("week", "as_of")],
)
def get_recommendation(
    athlete: AthleteDep,
    store: StoreDep,
    clock: ClockDep,
    week: Annotated[
        QueryDate | None, Query(description="The week's first day (default: this week)")
    ] = None,
    as_of: Annotated[
        QueryDate | None, Query(description="Plan as of this day (default: today)")
    ] = None,
) -> dict[str, Any]:
    today = local_today(athlete, clock)
    day = as_of or today
    return athlete_plan(store, athlete, week or day, day).to_dict()
