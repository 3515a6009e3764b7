"""What the athlete logs: the strength log and morning check-ins."""

from __future__ import annotations

from typing import Annotated

from pydantic import BaseModel, ConfigDict, Field

from api.schemas.common import (
    InDay,
    Int,
    Label,
    Note,
    Num,
)


class StrengthSet(BaseModel):
    reps: Annotated[Int, Field(ge=0, le=1000)]
    load_kg: Annotated[Num, Field(ge=0, le=1000)] | None = None
    rpe: Annotated[Num, Field(ge=0, le=10)] | None = None


class StrengthEntryIn(BaseModel):
    model_config = ConfigDict(extra="forbid")
    date: InDay
    exercise: Label
    sets: Annotated[list[StrengthSet], Field(min_length=1, max_length=50)]


class StrengthEntry(StrengthEntryIn):
    id: int
    exercise: str  # as stored (input rules apply to what is sent, not to older rows)


class StrengthLog(BaseModel):
    entries: list[StrengthEntry]


class CheckinIn(BaseModel):
    model_config = ConfigDict(extra="forbid")
    date: InDay
    sleep_hours: Annotated[Num, Field(ge=0, le=24)] | None = None
    soreness: Annotated[Num, Field(ge=0, le=10)] | None = None
    note: Note | None = None


class Checkin(CheckinIn):
    id: int
    note: str | None = None  # as stored


class CheckinList(BaseModel):
    checkins: list[Checkin]
