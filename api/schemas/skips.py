"""Skipped sessions (``/v1/skips``)."""

from __future__ import annotations

from pydantic import BaseModel, ConfigDict, Field

from api.schemas.common import Day, InDay


class Skip(BaseModel):
    model_config = ConfigDict(extra="forbid")
    date: InDay = Field(description="The day whose planned strength session was skipped")


class SkipList(BaseModel):
    skips: list[Day] = Field(description="Days whose planned strength session was skipped")
