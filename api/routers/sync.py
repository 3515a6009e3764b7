"""/v1/sync: the athlete's sync folders, the ledger counts and failures; start a run now."""

from __future__ import annotations

from fastapi import APIRouter, status

from api.deps import AthleteDep
from api.routers import AUTH, errors
from api.schemas import SyncStarted, SyncStatus

router = APIRouter(prefix="/v1/sync", tags=["sync"])


@router.get("", response_model=SyncStatus, responses=errors(*AUTH))
def sync_status(athlete: AthleteDep) -> SyncStatus:
    return SyncStatus(folders=[])


@router.post(
    "/run",
    status_code=status.HTTP_202_ACCEPTED,
    response_model=SyncStarted,
    responses=errors(*AUTH),
)
def run_sync(athlete: AthleteDep) -> SyncStarted:
    return SyncStarted(status="started", folders=[])
