"""The recommender's input frames: one row per activity, and the load model's daily frame from the
daily totals (``daily_totals``)."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date

import pandas as pd
from sqlalchemy import select

from ingest.store import daily_totals
from ingest.store.activity_records import ActivityRecord
from ingest.store.database import Database
from ingest.store.schema import Activity

# The recommender's activity frame (recommender/types.py ACTIVITY_COLUMNS) plus id and duplicate_of.
FRAME_COLUMNS = (
    "id",
    "start",
    "local_date",
    "sport",
    "duration_s",
    "moving_s",
    "distance_m",
    "ascent_m",
    "descent_m",
    "descent_load_m",
    "km_effort",
    "trimp",
    "avg_hr",
    "max_hr",
    "duplicate_of",
)


class FrameStore(Database):
    def activities_frame(
        self, athlete_id: int, *, include_duplicates: bool = False
    ) -> pd.DataFrame:
        """One row per activity for the recommender; duplicates left out unless asked for.

        Reads just the frame's columns (no ORM objects, no JSON columns): the profile of
        GET /v1/recommendation had 59 % of its time in building ActivityRecords here."""
        columns = [
            Activity.start_utc if c == "start" else getattr(Activity, c) for c in FRAME_COLUMNS
        ]
        query = select(*columns).where(Activity.athlete_id == athlete_id)
        if not include_duplicates:
            query = query.where(Activity.duplicate_of.is_(None))
        with self._read() as session:
            rows = session.execute(query.order_by(Activity.start_utc, Activity.id)).all()
        return _frame(pd.DataFrame.from_records(rows, columns=list(FRAME_COLUMNS)))

    def daily_frame(self, athlete_id: int, *, as_of: date) -> pd.DataFrame:
        """The load model's daily frame (every day before ``as_of``) from the daily totals."""
        with self._read() as session:
            rows = session.execute(daily_totals.read(athlete_id, as_of)).all()
        return daily_totals.daily_frame(rows, as_of=as_of)


def activities_to_frame(records: Sequence[ActivityRecord]) -> pd.DataFrame:
    """ActivityRecords → the recommender's frame (FRAME_COLUMNS), with stable dtypes when empty."""
    rows = [{c: getattr(r, c) for c in FRAME_COLUMNS} for r in records]
    return _frame(pd.DataFrame(rows, columns=list(FRAME_COLUMNS)))


def _frame(frame: pd.DataFrame) -> pd.DataFrame:
    """FRAME_COLUMNS with the recommender's dtypes (start tz-aware UTC, dates as objects)."""
    frame["id"] = frame["id"].astype("int64")
    frame["start"] = pd.to_datetime(frame["start"], utc=True)
    frame["local_date"] = frame["local_date"].astype(object)
    frame["sport"] = frame["sport"].astype(object)
    for col in FRAME_COLUMNS[4:-1]:
        frame[col] = pd.to_numeric(frame[col], errors="coerce").astype("float64")
    frame["duplicate_of"] = frame["duplicate_of"].astype("Int64")
    return frame
