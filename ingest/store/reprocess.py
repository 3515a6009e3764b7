"""Reprocessing: every stored summary recomputed from its raw file with the current parser; a
strength activity whose sets are not in the strength log yet (an older legday stored it) gets
them."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from sqlalchemy import select, update

from ingest.errors import IngestError
from ingest.measure.summary import MetricsProfile
from ingest.pipeline import PARSER_VERSION, ParsedActivity, parse_activity
from ingest.store.activities import log_sets
from ingest.store.activity_records import summary_columns
from ingest.store.athlete_record import AthleteRecord, athlete_record
from ingest.store.database import Database
from ingest.store.schema import Activity, Athlete


@dataclass(frozen=True)
class ReprocessReport:
    total: int = 0
    updated: int = 0
    failed: int = 0
    missing_blob: int = 0
    failures: tuple[tuple[int, str], ...] = ()


class ReprocessStore(Database):
    def reprocess(
        self,
        profile_for: Callable[[AthleteRecord], MetricsProfile] | None = None,
        *,
        parse: Callable[[bytes, str, MetricsProfile], ParsedActivity] = parse_activity,
        only_stale: bool = False,
        progress: Callable[[int, int], None] | None = None,
    ) -> ReprocessReport:
        """Recompute every stored summary from its raw file with the current parser.
        Parsing happens outside any transaction; each activity is updated in its own.
        ``progress(done, total)``: before the first activity, and as each one is done."""
        with self._read() as session:
            athletes = {r.id: athlete_record(r) for r in session.scalars(select(Athlete))}
            query = select(Activity.id, Activity.athlete_id, Activity.sha256, Activity.file_name)
            if only_stale:
                query = query.where(Activity.parser_version != PARSER_VERSION)
            todo = session.execute(query.order_by(Activity.id)).all()
        pick = profile_for or AthleteRecord.metrics_profile
        profiles = {aid: pick(a) for aid, a in athletes.items()}
        updated = failed = missing = 0
        failures: list[tuple[int, str]] = []
        tick = progress or (lambda done, total: None)
        for done, (activity_id, athlete_id, sha, file_name) in enumerate(todo):
            tick(done, len(todo))  # the previous one is done, however it ended (or none yet)
            if not self.blobs.exists(sha):
                missing += 1
                failures.append((activity_id, "raw file missing"))
                continue
            try:
                parsed = parse(self.blobs.get(sha), file_name, profiles[athlete_id])
            except IngestError as exc:
                failed += 1
                failures.append((activity_id, str(exc)))
                continue
            columns = summary_columns(parsed)
            columns.pop("sha256")  # the raw file is the same; the summary is new
            with self._write() as session:
                before = session.scalar(
                    select(Activity.local_date).where(Activity.id == activity_id)
                )
                session.execute(update(Activity).where(Activity.id == activity_id).values(columns))
                row = session.get(Activity, activity_id)
                if row is not None and row.duplicate_of is None:  # a strength file stored before
                    log_sets(session, row, parsed, self._now())  # legday read sets: its sets now
                days = {columns["local_date"]} | ({before} if before is not None else set())
                self._refresh_days(session, athlete_id, days)
                self._touch(session, athlete_id)
            updated += 1
        tick(len(todo), len(todo))
        self.recompute_daily_totals()  # also repairs totals written by an older legday
        return ReprocessReport(len(todo), updated, failed, missing, tuple(failures))
