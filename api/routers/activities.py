"""/v1/activities: upload a watch file, list, read and delete the athlete's activities."""

from __future__ import annotations

import asyncio
from functools import partial
from typing import Annotated, Any

from fastapi import APIRouter, File, HTTPException, Path, Query, Response, UploadFile, status
from starlette.concurrency import run_in_threadpool

from api.deps import AthleteDep, ExecutorDep, SettingsDep, StoreDep, only_query
from api.routers import AUTH, FULL, errors
from api.schemas.activities import ActivityList, ActivitySummary
from api.schemas.common import QueryDate
from ingest.errors import IngestError
from ingest.pipeline import parse_activity
from ingest.store import ActivityRecord

router = APIRouter(prefix="/v1/activities", tags=["activities"])
ActivityId = Annotated[int, Path(ge=1, le=2**31 - 1)]


def summary(record: ActivityRecord, duplicate_of: int | None = None) -> dict[str, Any]:
    """The API's activity summary: the store's columns plus why that elevation is reported."""
    d = record.to_dict()
    d["elevation_note"] = record.summary.get("elevation_note")
    d["ascent_device_m"] = record.summary.get("ascent_device_m")
    d["descent_device_m"] = record.summary.get("descent_device_m")
    if duplicate_of is not None:
        d["duplicate_of"] = duplicate_of
    return d


@router.post(
    "",
    status_code=status.HTTP_201_CREATED,
    response_model=ActivitySummary,
    responses={
        200: {"model": ActivitySummary, "description": "Already stored: `duplicate_of` says which"},
        **errors(*AUTH, 400, 413, 415, 422, *FULL),
    },
)
async def upload_activity(
    file: Annotated[UploadFile, File(description=".fit, .gpx, .fit.gz or .gpx.gz")],
    athlete: AthleteDep,
    store: StoreDep,
    settings: SettingsDep,
    executor: ExecutorDep,
    response: Response,
) -> dict[str, Any]:
    limit = int(settings.max_upload_bytes)
    data = await file.read(limit + 1)
    parse = partial(
        parse_activity,
        data,
        file.filename or "activity",
        athlete.metrics_profile(),
        max_bytes=limit,
        max_inflated=int(settings.max_inflated_bytes),
    )
    try:  # parsing is CPU work: never on the event loop
        if executor is None:
            parsed = await run_in_threadpool(parse)
        else:
            parsed = await asyncio.get_running_loop().run_in_executor(executor, parse)
    except IngestError as exc:
        raise HTTPException(exc.status_code, str(exc)) from None
    outcome = await run_in_threadpool(store.add_activity, athlete.id, parsed)
    if outcome.status == "duplicate":
        response.status_code = status.HTTP_200_OK
        return summary(outcome.activity, outcome.duplicate_of)
    return summary(outcome.activity)


@router.get(
    "",
    response_model=ActivityList,
    responses=errors(*AUTH, 422),
    dependencies=[only_query("start", "end")],
)
def list_activities(
    athlete: AthleteDep,
    store: StoreDep,
    start: Annotated[QueryDate | None, Query(description="First local date (inclusive)")] = None,
    end: Annotated[QueryDate | None, Query(description="Last local date (inclusive)")] = None,
) -> dict[str, Any]:
    records = store.list_activities(athlete.id, start, end)
    return {"activities": [summary(r) for r in records]}


@router.get("/{activity_id}", response_model=ActivitySummary, responses=errors(*AUTH, 404, 422))
def get_activity(activity_id: ActivityId, athlete: AthleteDep, store: StoreDep) -> dict[str, Any]:
    record = store.get_activity(athlete.id, activity_id)
    if record is None:
        raise HTTPException(status.HTTP_404_NOT_FOUND, "no such activity")
    return summary(record)


@router.delete(
    "/{activity_id}",
    status_code=status.HTTP_204_NO_CONTENT,
    response_class=Response,
    responses=errors(*AUTH, 404, 422, *FULL),
)
def delete_activity(activity_id: ActivityId, athlete: AthleteDep, store: StoreDep) -> Response:
    if not store.delete_activity(athlete.id, activity_id):
        raise HTTPException(status.HTTP_404_NOT_FOUND, "no such activity")
    return Response(status_code=status.HTTP_204_NO_CONTENT)
