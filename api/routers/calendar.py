"""GET /v1/calendar/{feed_token}.ics: this week's and next week's sessions for calendar apps."""

from __future__ import annotations

import hmac
import re
from datetime import date, timedelta
from typing import Annotated, Any, cast

from fastapi import APIRouter, HTTPException, Path, Request, Response, status

from api.auth import feed_mac
from api.deps import Clock, ClockDep, FeedSecretDep, StoreDep, expired, local_today
from api.ics import build_calendar
from api.plans import athlete_plan
from api.rate_limit import PlanLimiterDep
from api.response_cache import ResponsesDep
from api.routers import errors
from api.routers.workouts import FIT_RESPONSE, WorkoutDay, workout_response
from ingest.store import AthleteRecord, Store

router = APIRouter(prefix="/v1/calendar", tags=["calendar"])
ICS = "text/calendar; charset=utf-8"
FeedToken = Annotated[str, Path(min_length=1, max_length=256)]


def athlete_by_feed_token(
    store: Store, secret: bytes, token: str, clock: Clock
) -> AthleteRecord | None:
    """``<id>.<mac>``: one athlete read, one HMAC, compared in constant time. The feed lives as
    long as the athlete's token: revoked or expired, the feed is 404 too (finding 14).

    The bare 64-hex MAC of the first feed URLs is no longer accepted (it made the server HMAC
    every athlete per request, without login): migration 0009 reissued those athletes' feeds and
    ``GET /v1/me`` says so in ``calendar_url_reissued_at``."""
    head, dot, mac = token.partition(".")
    if not dot or not ATHLETE_ID.fullmatch(head) or int(head) > MAX_ID:  # an INTEGER column
        return None
    athlete = store.get_athlete(int(head))
    if athlete is None or athlete.token_revoked_at is not None or expired(athlete, clock):
        return None
    expected = feed_mac(secret, athlete.id, athlete.feed_nonce)
    return athlete if hmac.compare_digest(expected.encode(), _bytes(mac)) else None


ATHLETE_ID = re.compile(r"[1-9][0-9]{0,9}")
MAX_ID = 2**31 - 1


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
        **errors(404, 422, 429),
    },
)
def calendar_feed(
    request: Request,
    feed_token: FeedToken,
    store: StoreDep,
    secret: FeedSecretDep,
    clock: ClockDep,
    responses: ResponsesDep,
    limiter: PlanLimiterDep,
) -> Response:
    """Cached per athlete, data version, local day and host (calendar apps poll it; it builds two
    plans): a new feed is built at most once per such key, under the plan rate limit."""
    athlete = _athlete(store, secret, feed_token, clock)
    today = local_today(athlete, clock)
    base = str(request.base_url)
    key = ("feed", athlete.id, athlete.data_version, athlete.feed_nonce, today, base)

    def build() -> bytes:
        once = cast(Store, OneFrame(store))  # both weeks from one read: never half recomputed
        plans = [athlete_plan(once, athlete, today + timedelta(weeks=w), today) for w in (0, 1)]

        def workout_url(day: date) -> str:
            url = request.url_for("calendar_workout", feed_token=feed_token, day=day.isoformat())
            return str(url)

        return build_calendar(
            plans,
            calendar_key=f"athlete-{athlete.id}",
            name=athlete.name,
            stamp=clock(),
            workout_url=workout_url,
        )

    body = responses.get(key)
    if body is None:
        limiter.check(athlete.id, "calendar feeds")
        body = responses.get_or_compute(key, build, athlete.id)
    return Response(body, media_type=ICS, headers={"Cache-Control": "private, max-age=900"})


@router.get(
    "/{feed_token}/workouts/{day}.fit",
    name="calendar_workout",
    response_class=Response,
    responses={**FIT_RESPONSE, **errors(404, 422, 429)},
)
def calendar_workout(
    feed_token: FeedToken,
    day: WorkoutDay,
    store: StoreDep,
    secret: FeedSecretDep,
    clock: ClockDep,
    limiter: PlanLimiterDep,
) -> Response:
    """The FIT workout of a planned session, at the link its calendar event carries: the feed's
    secret URL is the key (a calendar app sends no bearer token), like the feed itself."""
    athlete = _athlete(store, secret, feed_token, clock)
    limiter.check(athlete.id, "workouts")
    return workout_response(store, athlete, day, local_today(athlete, clock))


class OneFrame:
    """The store, with the activity frame read once: a feed plans two weeks, and a profile
    change's recomputation (``api.recompute``) swapping the summaries between two reads would
    give it one week of old figures and one of new (issue 14, finding 6)."""

    def __init__(self, store: Store) -> None:
        self._store = store
        self._frames: dict[tuple[Any, ...], Any] = {}

    def activities_frame(self, athlete_id: int, **options: Any) -> Any:
        key = (athlete_id, *sorted(options.items()))
        if key not in self._frames:
            self._frames[key] = self._store.activities_frame(athlete_id, **options)
        return self._frames[key]

    def __getattr__(self, name: str) -> Any:
        return getattr(self._store, name)


def _athlete(store: Store, secret: bytes, feed_token: str, clock: Clock) -> AthleteRecord:
    athlete = athlete_by_feed_token(store, secret, feed_token, clock)
    if athlete is None:
        raise HTTPException(status.HTTP_404_NOT_FOUND, "no such calendar")
    return athlete
