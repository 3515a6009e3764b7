"""GET /healthz: the process answers."""

from __future__ import annotations

from fastapi import APIRouter

from api.schemas.common import Health

router = APIRouter(tags=["health"])


@router.get("/healthz", response_model=Health)
def healthz() -> Health:
    return Health()
