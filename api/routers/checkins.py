"""/v1/checkins: sleep and soreness, which soften the plan."""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import APIRouter, Query, status

from api.deps import AthleteDep, StoreDep, only_query
from api.routers import AUTH, BODY, FULL, errors
from api.schemas.common import QueryDate
from api.schemas.logs import Checkin, CheckinIn, CheckinList
from ingest.store import CheckinRecord

router = APIRouter(prefix="/v1/checkins", tags=["check-ins"])


def _checkin(r: CheckinRecord) -> dict[str, Any]:
    return {
        "id": r.id,
        "date": r.date,
        "sleep_hours": r.sleep_hours,
        "soreness": r.soreness,
        "note": r.note,
    }


@router.post(
    "",
    status_code=status.HTTP_201_CREATED,
    response_model=Checkin,
    responses=errors(*AUTH, *BODY, *FULL),
)
def add_checkin(body: CheckinIn, athlete: AthleteDep, store: StoreDep) -> dict[str, Any]:
    record = store.add_checkin(
        athlete.id, body.date, sleep_hours=body.sleep_hours, soreness=body.soreness, note=body.note
    )
    return _checkin(record)


@router.get(
    "",
    response_model=CheckinList,
    responses=errors(*AUTH, 422),
    dependencies=[only_query("start", "end")],
)
def list_checkins(
    athlete: AthleteDep,
    store: StoreDep,
    start: Annotated[QueryDate | None, Query()] = None,
    end: Annotated[QueryDate | None, Query()] = None,
) -> dict[str, Any]:
    return {"checkins": [_checkin(r) for r in store.list_checkins(athlete.id, start, end)]}
