"""/v1/workouts/{date}.fit: the day's planned strength session as a FIT workout for the watch."""

from __future__ import annotations

from datetime import date
from typing import Annotated, Any

from fastapi import APIRouter, HTTPException, Path, Response, status

from api.deps import AthleteDep, ClockDep, StoreDep, local_today
from api.plans import planned_session
from api.rate_limit import PlanLimiterDep
from api.routers import AUTH, errors
from api.schemas.common import InDay
from api.workout_fit import MEDIA_TYPE, encode_workout, file_name
from ingest.store import AthleteRecord, Store

router = APIRouter(prefix="/v1/workouts", tags=["workouts"])
WorkoutDay = Annotated[InDay, Path(description="The session's day, YYYY-MM-DD")]
FIT_RESPONSE: dict[int | str, dict[str, Any]] = {
    200: {
        "description": "The day's session as a FIT workout file (Garmin FIT SDK): copy it to "
        "the watch (Garmin: GARMIN/NewFiles over USB) or open it in a workout app",
        "content": {MEDIA_TYPE: {"schema": {"type": "string", "format": "binary"}}},
    }
}


def workout_response(store: Store, athlete: AthleteRecord, day: date, today: date) -> Response:
    """The FIT workout of ``day``'s planned session; 404 when the plan has none that day."""
    _, session = planned_session(store, athlete, day, today)
    if session is None:
        raise HTTPException(
            status.HTTP_404_NOT_FOUND,
            f"no strength session planned on {day.isoformat()} (or it is logged as done already)",
        )
    return Response(
        encode_workout(session, key=f"athlete-{athlete.id}"),
        media_type=MEDIA_TYPE,
        headers={
            "Content-Disposition": f'attachment; filename="{file_name(session)}"',
            "Cache-Control": "private, no-cache",
        },
    )


@router.get(
    "/{day}.fit",
    response_class=Response,
    responses={**FIT_RESPONSE, **errors(*AUTH, 404, 422, 429)},
)
def get_workout(
    day: WorkoutDay, athlete: AthleteDep, store: StoreDep, clock: ClockDep, limiter: PlanLimiterDep
) -> Response:
    """The plan's session on ``day`` for the watch: one step per exercise (reps or time, the
    Garmin exercise, the weight), rest steps, and a repeat step for the sets."""
    limiter.check(athlete.id, "workouts")
    return workout_response(store, athlete, day, local_today(athlete, clock))
