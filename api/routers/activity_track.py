"""GET /v1/activities/{id}/track: the elevation profile, grade and track of one activity, decoded
again from its stored raw file (nothing of it is kept in the database)."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, HTTPException, Path, status

from api.deps import AthleteDep, SettingsDep, StoreDep
from api.routers import AUTH, errors
from api.schemas.activity_track import ActivityTrack
from ingest.errors import IngestError

router = APIRouter(prefix="/v1/activities", tags=["activities"])
ActivityId = Annotated[int, Path(ge=1, le=2**31 - 1)]


@router.get("/{activity_id}/track", response_model=ActivityTrack, responses=errors(*AUTH, 404, 422))
def activity_track(
    activity_id: ActivityId, athlete: AthleteDep, store: StoreDep, settings: SettingsDep
) -> ActivityTrack:
    """Decoding is CPU work: a plain ``def`` route, so it runs in the thread pool."""
    from ingest.decode.decoder import decode
    from ingest.decode.sniff import sniff
    from ingest.measure.profile import track_profile

    record = store.get_activity(athlete.id, activity_id)
    if record is None:
        raise HTTPException(status.HTTP_404_NOT_FOUND, "no such activity")
    try:
        raw = store.raw_file(athlete.id, activity_id)
    except FileNotFoundError:
        raise HTTPException(
            status.HTTP_404_NOT_FOUND, "the raw file of this activity is missing on the server"
        ) from None
    if raw is None:  # deleted since the read above
        raise HTTPException(status.HTTP_404_NOT_FOUND, "no such activity")
    inflated = int(settings.max_inflated_bytes)
    try:
        _, content = sniff(raw, max_bytes=max(len(raw), 1), max_inflated=inflated)
        track = decode(content, record.file_name, max_bytes=inflated)
    except IngestError as exc:
        raise HTTPException(
            status.HTTP_422_UNPROCESSABLE_CONTENT, f"the stored file cannot be read: {exc}"
        ) from None
    profile = track_profile(track)
    return ActivityTrack(
        id=record.id,
        distance_m=profile.distance_m,
        altitude_m=profile.altitude_m,
        grade_pct=profile.grade_pct,
        lat=profile.lat,
        lon=profile.lon,
        descent_by_grade_m=record.descent_by_grade_m,
        notes=list(profile.notes),
    )
