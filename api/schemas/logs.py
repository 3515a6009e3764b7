"""What the athlete logs: the strength log and morning check-ins."""

from __future__ import annotations

from typing import Annotated

from pydantic import BaseModel, ConfigDict, Field

from api.schemas.common import (
    InDay,
    Int,
    Num,
)


class StrengthSet(BaseModel):
    reps: Annotated[Int, Field(ge=0, le=1000)]
    load_kg: Annotated[Num, Field(ge=0, le=1000)] | None = None
    rpe: Annotated[Num, Field(ge=0, le=10)] | None = None


class StrengthEntryIn(BaseModel):
    model_config = ConfigDict(extra="forbid")
    date: InDay
    exercise: Annotated[str, Field(min_length=1, max_length=100)]
    sets: Annotated[list[StrengthSet], Field(min_length=1, max_length=50)]


class StrengthEntry(StrengthEntryIn):
    id: int


class StrengthLog(BaseModel):
    entries: list[StrengthEntry]


class CheckinIn(BaseModel):
    model_config = ConfigDict(extra="forbid")
    date: InDay
    sleep_hours: Annotated[Num, Field(ge=0, le=24)] | None = None
    soreness: Annotated[Num, Field(ge=0, le=10)] | None = None
    note: Annotated[str, Field(max_length=2000)] | None = None


class Checkin(CheckinIn):
    id: int


class CheckinList(BaseModel):
    checkins: list[Checkin]
