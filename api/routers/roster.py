"""GET /v1/athletes: the admin's (a coach's) list of athletes, to switch between them on the
dashboard (any athlete route + ``X-Legday-Athlete: <id>`` with the admin token)."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

from fastapi import APIRouter

from api.deps import AdminDep, ClockDep, StoreDep, local_today
from api.routers import errors
from api.schemas.roster import Roster

router = APIRouter(prefix="/v1/athletes", tags=["athletes"])


@router.get("", response_model=Roster, responses=errors(401, 403))
def list_athletes(store: StoreDep, clock: ClockDep, _: AdminDep) -> dict[str, Any]:
    now = clock()
    rows = []
    for athlete in store.list_athletes():
        today = local_today(athlete, clock)
        recent = [
            a
            for a in store.list_activities(athlete.id, today - timedelta(days=27), today)
            if a.duplicate_of is None
        ]
        if athlete.token_revoked_at is not None:
            token = "revoked"
        elif athlete.token_expires_at is not None and athlete.token_expires_at <= now:
            token = "expired"
        else:
            token = "active"
        rows.append(
            {
                "id": athlete.id,
                "name": athlete.name,
                "timezone": athlete.timezone,
                "token": token,
                "activities_28d": len(recent),
                "last_activity_date": max((a.local_date for a in recent), default=None),
            }
        )
    return {"athletes": rows}
