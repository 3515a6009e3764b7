"""The store: the only code that talks SQL. Raw files go to the content-addressed blob directory,
everything else to SQLite (default) or PostgreSQL through SQLAlchemy 2.

One module per aggregate — ``athletes`` (profile, tokens), ``activities`` (+ ``activity_records``,
``dedup``), ``strength``, ``checkins``, ``skips`` (skipped sessions), ``frames`` (the
recommender's inputs, ``daily_totals``), ``reprocess``, ``derived`` (summaries that follow
the profile), ``inventory`` (counts, the raw-file list) — each a mixin over
``database.Database``; ``Store`` is all of them. Beside them: ``blobs`` and ``blob_refs`` (raw
files, compressed; unlinked with their last reference), ``quota``, ``text`` (bounded strings),
``private`` (the data directory's modes). The folder sync's are ``ledger.SyncStore`` (with
``sync_runs``) and ``sync_bindings``; tables are in ``schema`` and ``sync_schema``, migrations
in ``migrations``.
"""

from __future__ import annotations

from ingest.store.activities import ActivityStore
from ingest.store.activity_records import ActivityRecord, IngestOutcome
from ingest.store.athletes import (
    PROFILE_FIELDS,
    AthleteRecord,
    AthleteStore,
    NameTaken,
    hash_token,
    name_key,
)
from ingest.store.checkins import CheckinRecord, CheckinStore
from ingest.store.derived import DerivedStore, FollowReport
from ingest.store.frames import FRAME_COLUMNS, FrameStore, activities_to_frame
from ingest.store.inventory import InventoryStore
from ingest.store.quota import QuotaExceeded
from ingest.store.reprocess import ReprocessReport, ReprocessStore
from ingest.store.schema import Base
from ingest.store.skips import SkipStore
from ingest.store.strength import StrengthRecord, StrengthStore


class Store(
    AthleteStore,
    ActivityStore,
    StrengthStore,
    CheckinStore,
    SkipStore,
    FrameStore,
    ReprocessStore,
    DerivedStore,
    InventoryStore,
):
    """Athletes, activities (rows + raw files), strength log, check-ins, skipped sessions, the
    recommender's frames, the derived data that follows the profile and the inventory
    (counts, raw-file list), over one database and one blob directory."""


__all__ = [
    "FRAME_COLUMNS",
    "PROFILE_FIELDS",
    "ActivityRecord",
    "AthleteRecord",
    "Base",
    "CheckinRecord",
    "FollowReport",
    "IngestOutcome",
    "NameTaken",
    "QuotaExceeded",
    "ReprocessReport",
    "Store",
    "StrengthRecord",
    "activities_to_frame",
    "hash_token",
    "name_key",
]
