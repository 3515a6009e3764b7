"""/v1/sync: the athlete's sync folders, the ledger counts and failures; start a run now."""

from __future__ import annotations

from typing import Any

from fastapi import APIRouter, Request, status

from api.deps import AthleteDep, StoreDep
from api.routers import AUTH, errors
from api.scheduler import trigger_run
from api.schemas.sync import SyncStarted, SyncStatus
from ingest.sync.job import sync_status

router = APIRouter(prefix="/v1/sync", tags=["sync"])


@router.get("", response_model=SyncStatus, responses=errors(*AUTH))
def get_sync_status(athlete: AthleteDep, store: StoreDep) -> dict[str, Any]:
    found = sync_status(store, athlete.id)
    failures = [
        {"folder": f["path"], "file": x["path"], "reason": x["reason"], "at": x["at"]}
        for f in found["folders"]
        for x in f["failures"]
    ]
    return {**found, "failures": failures}


@router.post(
    "/run",
    status_code=status.HTTP_202_ACCEPTED,
    response_model=SyncStarted,
    responses=errors(*AUTH),
)
def run_sync_now(request: Request, athlete: AthleteDep, store: StoreDep) -> SyncStarted:
    folders = trigger_run(store, athlete.id, request.app.state.scheduler)
    return SyncStarted(folders=folders)
