"""Folder-sync status (``/v1/sync``)."""

from __future__ import annotations

import datetime as dt
from typing import Literal

from pydantic import BaseModel, ConfigDict, Field


class SyncCounts(BaseModel):
    model_config = ConfigDict(extra="allow")  # also skipped, pending
    seen: int = 0
    ingested: int = 0
    duplicate: int = 0
    failed: int = 0


class SyncRun(BaseModel):
    model_config = ConfigDict(extra="allow")  # the run's own counts
    started_at: dt.datetime | None = None
    finished_at: dt.datetime | None = None
    status: str
    error: str | None = None


class SyncFailure(BaseModel):
    folder: str
    file: str
    reason: str | None
    at: dt.datetime | None = None


class SyncFolder(BaseModel):
    path: str
    counts: SyncCounts
    last_run: SyncRun | None = None


class SyncStatus(BaseModel):
    folders: list[SyncFolder]
    counts: SyncCounts = Field(default_factory=SyncCounts)
    failures: list[SyncFailure] = Field(default_factory=list)
    last_run: SyncRun | None = None


class SyncStarted(BaseModel):
    status: Literal["started"] = "started"
    folders: list[str] = Field(description="The folders a run was started for")
