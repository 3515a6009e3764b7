"""/v1/strength-log: what the athlete actually lifted (the plan's next loads come from it)."""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import APIRouter, Query, status

from api.deps import AthleteDep, StoreDep, only_query
from api.routers import AUTH, BODY, FULL, errors
from api.schemas.common import QueryDate
from api.schemas.logs import StrengthEntry, StrengthEntryIn, StrengthLog
from ingest.store import StrengthRecord

router = APIRouter(prefix="/v1/strength-log", tags=["strength log"])


def _entry(r: StrengthRecord) -> dict[str, Any]:
    return {"id": r.id, "date": r.date, "exercise": r.exercise, "sets": list(r.sets)}


@router.post(
    "",
    status_code=status.HTTP_201_CREATED,
    response_model=StrengthEntry,
    responses=errors(*AUTH, *BODY, *FULL),
)
def add_entry(body: StrengthEntryIn, athlete: AthleteDep, store: StoreDep) -> dict[str, Any]:
    sets = [s.model_dump() for s in body.sets]
    return _entry(store.add_strength(athlete.id, body.date, body.exercise, sets))


@router.get(
    "",
    response_model=StrengthLog,
    responses=errors(*AUTH, 422),
    dependencies=[only_query("start", "end")],
)
def list_entries(
    athlete: AthleteDep,
    store: StoreDep,
    start: Annotated[QueryDate | None, Query()] = None,
    end: Annotated[QueryDate | None, Query()] = None,
) -> dict[str, Any]:
    return {"entries": [_entry(r) for r in store.list_strength(athlete.id, start, end)]}
