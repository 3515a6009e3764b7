"""/v1/strength-log: what the athlete actually lifted (the plan's next loads come from it)."""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import APIRouter, HTTPException, Path, Query, Response, status

from api.deps import AthleteDep, StoreDep, only_query
from api.routers import AUTH, BODY, FULL, errors
from api.schemas.common import QueryDate
from api.schemas.logs import StrengthEntry, StrengthEntryIn, StrengthEntryPatch, StrengthLog
from api.strength_log import UnknownExercise, exercise_for, log_json
from ingest.store import AthleteRecord, Store, StrengthRecord

router = APIRouter(prefix="/v1/strength-log", tags=["strength log"])
EntryId = Annotated[int, Path(ge=1, le=2**31 - 1)]
NOT_FOUND = "no such strength-log entry"


def _resolved(text: str, custom: bool) -> tuple[str, bool]:
    try:
        return exercise_for(text, custom)
    except UnknownExercise as exc:
        raise HTTPException(status.HTTP_422_UNPROCESSABLE_CONTENT, f"exercise: {exc}") from None


def _shown(store: Store, athlete: AthleteRecord, record: StrengthRecord) -> dict[str, Any]:
    """One entry as the log lists it (flagged against the lift's whole history)."""
    history = store.list_strength(athlete.id, exercise=record.exercise)
    return log_json(history, [record])[0]


@router.post(
    "",
    status_code=status.HTTP_201_CREATED,
    response_model=StrengthEntry,
    responses=errors(*AUTH, *BODY, *FULL),
)
def add_entry(body: StrengthEntryIn, athlete: AthleteDep, store: StoreDep) -> dict[str, Any]:
    """Log an exercise's sets. ``exercise``: a catalogue id, name or alias ("Back squat", "RDL",
    "step ups"); an unknown name is a 422 with the three closest, unless ``"custom": true``."""
    exercise, custom = _resolved(body.exercise, body.custom)
    sets = [s.model_dump() for s in body.sets]
    record = store.add_strength(athlete.id, body.date, exercise, sets, custom=custom)
    return _shown(store, athlete, record)


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
    everything = store.list_strength(athlete.id)
    shown = [
        r
        for r in everything
        if (start is None or r.date >= start) and (end is None or r.date <= end)
    ]
    return {"entries": log_json(everything, shown)}


@router.patch(
    "/{entry_id}",
    response_model=StrengthEntry,
    responses=errors(*AUTH, 404, *BODY, *FULL),
)
def patch_entry(
    entry_id: EntryId, body: StrengthEntryPatch, athlete: AthleteDep, store: StoreDep
) -> dict[str, Any]:
    """Change any part of an entry; ``"confirmed": true`` vouches for a flagged set."""
    record = store.get_strength(athlete.id, entry_id)
    if record is None:
        raise HTTPException(status.HTTP_404_NOT_FOUND, NOT_FOUND)
    sent = body.model_dump(exclude_unset=True)
    changes: dict[str, Any] = {k: v for k, v in sent.items() if k in ("date", "confirmed")}
    if "exercise" in sent or "custom" in sent:
        text = sent.get("exercise", record.exercise)
        changes["exercise"], changes["custom"] = _resolved(text, sent.get("custom", record.custom))
    if "sets" in sent:
        changes["sets"] = sent["sets"]
        changes.setdefault("confirmed", False)  # new numbers are vouched for anew
    updated = store.update_strength(athlete.id, entry_id, changes) if changes else record
    if updated is None:  # deleted meanwhile
        raise HTTPException(status.HTTP_404_NOT_FOUND, NOT_FOUND)
    return _shown(store, athlete, updated)


@router.delete(
    "/{entry_id}",
    status_code=status.HTTP_204_NO_CONTENT,
    response_class=Response,
    responses=errors(*AUTH, 404, 422, *FULL),
)
def delete_entry(entry_id: EntryId, athlete: AthleteDep, store: StoreDep) -> Response:
    if not store.delete_strength(athlete.id, entry_id):
        raise HTTPException(status.HTTP_404_NOT_FOUND, NOT_FOUND)
    return Response(status_code=status.HTTP_204_NO_CONTENT)
