"""/v1/activities: upload a watch file, list, read and delete the athlete's activities."""

from __future__ import annotations

import asyncio
import io
import zipfile
from concurrent.futures import Executor
from functools import partial
from typing import Annotated, Any

from fastapi import (
    APIRouter,
    File,
    HTTPException,
    Path,
    Query,
    Request,
    Response,
    UploadFile,
    status,
)
from starlette.concurrency import run_in_threadpool

from api.deps import (
    AthleteDep,
    ExecutorDep,
    RecomputerDep,
    SettingsDep,
    StoreDep,
    only_query,
    recomputing_headers,
)
from api.parse_gate import ParseGate
from api.routers import AUTH, FULL, errors
from api.schemas.activities import ActivityList, ActivitySummary, ArchiveUpload
from api.schemas.common import QueryDate
from api.settings import Settings
from ingest.errors import IngestError
from ingest.pipeline import parse_activity
from ingest.store import ActivityRecord, AthleteRecord, Store
from ingest.sync.bulk import BulkRow, ingest_items
from ingest.sync.executors import InlineExecutor
from ingest.sync.exports import is_zip
from ingest.sync.sources import archive_items

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
    response_model=ActivitySummary | ArchiveUpload,
    responses={
        200: {
            "model": ActivitySummary | ArchiveUpload,
            "description": "Already stored (`duplicate_of` says which); or, for a `.zip` export, "
            "every member: ingested, duplicate, failed or skipped, with the reason",
        },
        **errors(*AUTH, 400, 408, 413, 415, 422, 429, 503, *FULL),
    },
)
async def upload_activity(
    request: Request,
    file: Annotated[
        UploadFile,
        File(description=".fit, .gpx, .tcx, each optionally .gz, or a .zip export (by content)"),
    ],
    athlete: AthleteDep,
    store: StoreDep,
    settings: SettingsDep,
    executor: ExecutorDep,
    recomputer: RecomputerDep,
    response: Response,
) -> dict[str, Any]:
    """The athlete, the size and the server's capacity were checked from the request head, before
    the body was read (``api.upload_guard``); the parse waits for its fair turn
    (``api.parse_gate``)."""
    limit = int(settings.max_upload_bytes)
    data = await file.read(limit + 1)
    await file.close()  # the spooled copy on disk goes now, not with the response
    gate: ParseGate = request.app.state.parse_gate
    if is_zip(data):
        if len(data) > limit:
            raise HTTPException(413, f"the archive is more than the {limit} byte limit")
        response.status_code = status.HTTP_200_OK
        async with gate.slot(athlete.id):
            files = await run_in_threadpool(
                _upload_archive, data, athlete, store, settings, executor
            )
        recomputer.request(athlete.id)  # a no-op unless the profile changed during the upload
        return files
    parse = partial(
        parse_activity,
        data,
        file.filename or "activity",
        athlete.metrics_profile(),
        max_bytes=limit,
        max_inflated=int(settings.max_inflated_bytes),
    )
    try:  # parsing is CPU work: never on the event loop
        async with gate.slot(athlete.id):
            if executor is None:
                parsed = await run_in_threadpool(parse)
            else:
                parsed = await asyncio.get_running_loop().run_in_executor(executor, parse)
    except IngestError as exc:
        raise HTTPException(exc.status_code, str(exc)) from None
    outcome = await run_in_threadpool(store.add_activity, athlete.id, parsed)
    recomputer.request(athlete.id)  # a no-op unless the profile changed during the upload
    if outcome.status == "duplicate":
        response.status_code = status.HTTP_200_OK
        return summary(outcome.activity, outcome.duplicate_of)
    return summary(outcome.activity)


def _upload_archive(
    data: bytes,
    athlete: AthleteRecord,
    store: Store,
    settings: Settings,
    executor: Executor | None,
) -> dict[str, Any]:
    """Every member of an uploaded export, through the path ``legday ingest`` and the folder sync
    take (``ingest.sync.exports``), parsed in the app's executor and stored one by one."""
    try:
        archive = zipfile.ZipFile(io.BytesIO(data))
    except zipfile.BadZipFile as exc:
        raise HTTPException(422, f"not a readable zip file: {exc}") from None
    inflated = int(settings.max_inflated_bytes)
    with archive:
        report = ingest_items(
            store, athlete.id, archive_items(archive, inflated), athlete.metrics_profile(),
            executor or InlineExecutor(), max_bytes=int(settings.max_upload_bytes),
            max_inflated=inflated,
        )  # fmt: skip
    return {"files": [_archive_file(row) for row in report.rows]}


def _archive_file(row: BulkRow) -> dict[str, Any]:
    reason = row.reason
    if row.status == "duplicate" and row.duplicate_of is not None:
        same = row.duplicate_of == row.activity_id
        what = "file" if same else "activity"
        reason = f"the same {what} as activity {row.duplicate_of}"
    return {"name": row.path.as_posix(), "status": row.status, "id": row.activity_id,
            "reason": reason}  # fmt: skip


@router.get(
    "",
    response_model=ActivityList,
    responses=errors(*AUTH, 422),
    dependencies=[only_query("start", "end")],
)
def list_activities(
    athlete: AthleteDep,
    store: StoreDep,
    response: Response,
    start: Annotated[QueryDate | None, Query(description="First local date (inclusive)")] = None,
    end: Annotated[QueryDate | None, Query(description="Last local date (inclusive)")] = None,
) -> dict[str, Any]:
    records = store.list_activities(athlete.id, start, end)
    response.headers.update(recomputing_headers(athlete))
    return {"activities": [summary(r) for r in records]}


@router.get("/{activity_id}", response_model=ActivitySummary, responses=errors(*AUTH, 404, 422))
def get_activity(
    activity_id: ActivityId, athlete: AthleteDep, store: StoreDep, response: Response
) -> dict[str, Any]:
    record = store.get_activity(athlete.id, activity_id)
    if record is None:
        raise HTTPException(status.HTTP_404_NOT_FOUND, "no such activity")
    response.headers.update(recomputing_headers(athlete))
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
