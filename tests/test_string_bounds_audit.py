"""Issue 14, finding 2: the audit of every bounded string column against the paths that write it.
A new VARCHAR column fails this test until its bound is named here (and in docs/data-safety.md);
the values our own code writes are checked against their columns, since SQLite would not."""

from __future__ import annotations

from typing import get_args

from sqlalchemy import String

import ingest.store.sync_schema  # noqa: F401  (registers the sync tables)
from api.schemas.common import Experience, Sex, Sport, Strategy, Weekday, WeekStart
from api.schemas.profile import Units
from ingest.store.schema import Base
from ingest.store.sync_schema import STATUSES

# column → who writes it and what bounds it there.
AUDIT = {
    "athletes.name": "API Name (1-100, no control characters); CLI create the same",
    "athletes.name_key": "name_key(): NFKC casefold of the name, cut at 200",
    "athletes.timezone": "API Timezone (≤ 64, a real zone); CLI create valid_timezone",
    "athletes.week_start": "Literal WeekStart / argparse choices",
    "athletes.strategy": "Literal Strategy",
    "athletes.long_run_day": "Literal Weekday",
    "athletes.sex": "Literal Sex",
    "athletes.lifting_experience": "Literal Experience",
    "athletes.units": "Literal Units (api/schemas/profile.py)",
    "athletes.token_hash": "SHA-256 hex (64)",
    "athletes.feed_nonce": "token_urlsafe(16) (22)",
    "activities.sha256": "SHA-256 hex (64)",
    "activities.file_name": "clean_file_name (≤ 200) and display_text(255) at the store",
    "activities.format": "the sniffer's format names",
    "activities.sport": "Literal Sport (classifier, Strava hint mapping)",
    "activities.elevation_source": "'device' | 'recomputed'",
    "activities.device": "from the file (FIT product name): display_text(200) at the store",
    "strength_log.exercise": "API Label (1-100, no control characters)",
    "locks.name": "'sync-folder:<id>'",
    "locks.holder": "new_holder(): host cut to 170 + pid + nonce",
    "sync_runs.holder": "new_holder()",
    "sync_runs.status": "'running' | 'ok' | 'error'",
    "sync_bindings.path": "bind_one refuses a real path over 1024",
    "sync_bindings.configured_name": "cut at 200 by BindingStore.bind",
    "sync_bindings.name_key": "name_key() (≤ 200)",
    "sync_folders.path": "run_sync refuses a real path over 1024 (bound folders: bind_one)",
    "sync_files.rel_path": "ledger_key(): storable, ≤ 2048 (a hash keeps long paths distinct)",
    "sync_files.sha256": "SHA-256 hex (64)",
    "sync_files.status": "ingest.store.sync_schema.STATUSES",
}


def bounded_columns() -> dict[str, int]:
    return {
        f"{table.name}.{column.name}": column.type.length
        for table in Base.metadata.sorted_tables
        for column in table.columns
        if isinstance(column.type, String) and column.type.length is not None
    }


def test_every_bounded_string_column_has_an_audited_writer() -> None:
    assert sorted(bounded_columns()) == sorted(AUDIT)


def test_the_values_legday_itself_writes_fit_their_columns() -> None:
    lengths = bounded_columns()
    fixed = {
        "athletes.week_start": get_args(WeekStart),
        "athletes.strategy": get_args(Strategy),
        "athletes.long_run_day": get_args(Weekday),
        "athletes.sex": get_args(Sex),
        "athletes.lifting_experience": get_args(Experience),
        "athletes.units": get_args(Units),
        "activities.sport": get_args(Sport),
        "activities.elevation_source": ("device", "recomputed"),
        "activities.format": ("fit", "gpx", "tcx"),
        "sync_files.status": STATUSES,
        "sync_runs.status": ("running", "ok", "error"),
    }
    too_long = {
        column: value
        for column, values in fixed.items()
        for value in values
        if len(value) > lengths[column]
    }
    assert too_long == {}
