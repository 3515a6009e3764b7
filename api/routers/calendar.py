"""GET /v1/calendar/{feed_token}.ics: this week's and next week's sessions for calendar apps."""

from __future__ import annotations

import hmac
import re
from datetime import date, timedelta
from typing import Annotated

from fastapi import APIRouter, HTTPException, Path, Request, Response, status

from api.auth import feed_mac
from api.deps import ClockDep, FeedSecretDep, StoreDep, local_today
from api.ics import build_calendar
from api.plans import athlete_plan
from api.routers import errors
from api.routers.workouts import FIT_RESPONSE, WorkoutDay, workout_response
from ingest.store import AthleteRecord, Store

router = APIRouter(prefix="/v1/calendar", tags=["calendar"])
ICS = "text/calendar; charset=utf-8"
FeedToken = Annotated[str, Path(min_length=1, max_length=256)]


def athlete_by_feed_token(store: Store, secret: bytes, token: str) -> AthleteRecord | None:
    """``<id>.<mac>``: one athlete read, one HMAC, compared in constant time.

    A bare 64-hex MAC is a feed URL issued before the id was embedded: still accepted (calendar
    apps keep a subscribed URL for good), by comparing each athlete's, as before. ``POST
    /v1/me/calendar/rotate`` issues a new-format URL and kills the old one."""
    head, dot, mac = token.partition(".")
    if dot:
        if not ATHLETE_ID.fullmatch(head) or int(head) > MAX_ID:  # an INTEGER column
            return None
        athlete = store.get_athlete(int(head))
        if athlete is None:
            return None
        expected = feed_mac(secret, athlete.id, athlete.feed_nonce)
        return athlete if hmac.compare_digest(expected.encode(), _bytes(mac)) else None
    if not LEGACY_TOKEN.fullmatch(token):
        return None
    found = None
    for athlete in store.list_athletes():
        expected = feed_mac(secret, athlete.id, athlete.feed_nonce)
        if hmac.compare_digest(expected.encode(), _bytes(token)):
            found = athlete
    return found


ATHLETE_ID = re.compile(r"[1-9][0-9]{0,9}")
MAX_ID = 2**31 - 1
LEGACY_TOKEN = re.compile(r"[0-9a-f]{64}")


def _bytes(text: str) -> bytes:
    return text.encode("utf-8", "replace")


@router.get(
    "/{feed_token}.ics",
    name="calendar_feed",
    response_class=Response,
    responses={
        200: {
            "description": "The planned sessions of this week and next (RFC 5545)",
            "content": {"text/calendar": {"schema": {"type": "string"}}},
        },
        **errors(404, 422),
    },
)
def calendar_feed(
    request: Request,
    feed_token: FeedToken,
    store: StoreDep,
    secret: FeedSecretDep,
    clock: ClockDep,
) -> Response:
    athlete = _athlete(store, secret, feed_token)
    today = local_today(athlete, clock)
    plans = [athlete_plan(store, athlete, today + timedelta(weeks=w), today) for w in (0, 1)]

    def workout_url(day: date) -> str:
        return str(request.url_for("calendar_workout", feed_token=feed_token, day=day.isoformat()))

    body = build_calendar(
        plans,
        calendar_key=f"athlete-{athlete.id}",
        name=athlete.name,
        stamp=clock(),
        workout_url=workout_url,
    )
    return Response(body, media_type=ICS, headers={"Cache-Control": "private, max-age=900"})


@router.get(
    "/{feed_token}/workouts/{day}.fit",
    name="calendar_workout",
    response_class=Response,
    responses={**FIT_RESPONSE, **errors(404, 422)},
)
def calendar_workout(
    feed_token: FeedToken,
    day: WorkoutDay,
    store: StoreDep,
    secret: FeedSecretDep,
    clock: ClockDep,
) -> Response:
    """The FIT workout of a planned session, at the link its calendar event carries: the feed's
    secret URL is the key (a calendar app sends no bearer token), like the feed itself."""
    athlete = _athlete(store, secret, feed_token)
    return workout_response(store, athlete, day, local_today(athlete, clock))


def _athlete(store: Store, secret: bytes, feed_token: str) -> AthleteRecord:
    athlete = athlete_by_feed_token(store, secret, feed_token)
    if athlete is None:
        raise HTTPException(status.HTTP_404_NOT_FOUND, "no such calendar")
    return athlete
