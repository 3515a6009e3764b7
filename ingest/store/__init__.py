"""The store: the only code that talks SQL. Raw files go to the content-addressed blob directory,
everything else to SQLite (default) or PostgreSQL through SQLAlchemy 2.

One module per aggregate — ``athletes`` (profile, tokens), ``activities`` (+ ``activity_records``,
``dedup``), ``strength``, ``checkins``, ``frames`` (the recommender's inputs, ``daily_totals``),
``reprocess`` — each a mixin over ``database.Database``; ``Store`` is all of them. The folder-sync
ledger is ``ledger.SyncStore``; tables are in ``schema`` and ``sync_schema``, migrations in
``migrations``.
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
from ingest.store.frames import FRAME_COLUMNS, FrameStore, activities_to_frame
from ingest.store.quota import QuotaExceeded
from ingest.store.reprocess import ReprocessReport, ReprocessStore
from ingest.store.schema import Base
from ingest.store.strength import StrengthRecord, StrengthStore


class Store(AthleteStore, ActivityStore, StrengthStore, CheckinStore, FrameStore, ReprocessStore):
    """Athletes, activities (rows + raw files), strength log, check-ins and the recommender's
    frames, over one database and one blob directory."""


__all__ = [
    "FRAME_COLUMNS",
    "PROFILE_FIELDS",
    "ActivityRecord",
    "AthleteRecord",
    "Base",
    "CheckinRecord",
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
