"""The coach's athlete list (``GET /v1/athletes``, admin token)."""

from __future__ import annotations

from typing import Literal

from pydantic import BaseModel, Field

from api.schemas.common import Day


class RosterEntry(BaseModel):
    id: int
    name: str
    timezone: str
    token: Literal["active", "revoked", "expired"] = Field(
        description="The state of the athlete's own token"
    )
    activities_28d: int = Field(description="Activities in the last 28 days (their local dates)")
    last_activity_date: Day | None = Field(description="Their latest activity in those 28 days")


class Roster(BaseModel):
    athletes: list[RosterEntry] = Field(
        description="Every athlete, by id. With the admin token, any athlete route acts as the "
        "athlete named by an `X-Legday-Athlete: <id>` header."
    )
