"""Derived data that follows the profile: when the athlete changes a figure the summaries depend on
(time zone, heart-rate figures, sex), their stored activities are recomputed from the raw files.

Each activity records the ``profile_version`` it was computed with, and the athlete the version
all their summaries follow (``derived_version``): while the two differ, a recomputation is
pending (``AthleteRecord.recomputing``; an activity stored with older figures sets it too).
``follow_profile`` parses the stale activities with the current figures outside any
transaction, then writes every change in one transaction — the local dates, UTC offsets and TRIMP
of all of them, the daily totals of the days they leave and join, and a new data version — so a
reader sees all the old figures or all the new ones, never a mix. If the profile changed again
meanwhile, the work is dropped and done again with the newer figures. Only what the profile
decides changes: the sport, names from an export, elevation and the rest stay as stored
(``legday reprocess`` is for parser upgrades).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from sqlalchemy import func, select, update

from ingest.errors import IngestError
from ingest.measure.summary import MetricsProfile
from ingest.pipeline import ParsedActivity, parse_activity
from ingest.store.activities import serialize_athlete_writes
from ingest.store.athlete_record import athlete_record
from ingest.store.database import Database
from ingest.store.schema import Activity, Athlete

Parse = Callable[[bytes, str, MetricsProfile], ParsedActivity]
MAX_ROUNDS = 5  # profile changes racing a recomputation: give up after this many, try later


@dataclass(frozen=True)
class FollowReport:
    athlete_id: int
    recomputed: int = 0
    failed: int = 0  # raw file missing or no longer readable: marked current, figures kept
    rounds: int = 0


class DerivedStore(Database):
    def stale(self, athlete_id: int) -> int:
        """How many of the athlete's activities wait for a recomputation with their profile."""
        current = select(Athlete.profile_version).where(Athlete.id == athlete_id).scalar_subquery()
        query = select(func.count(Activity.id)).where(
            Activity.athlete_id == athlete_id, Activity.profile_version != current
        )
        with self._read() as session:
            return int(session.scalar(query) or 0)

    def stale_athletes(self) -> list[int]:
        """Athletes with a recomputation pending."""
        query = select(Athlete.id).where(Athlete.derived_version != Athlete.profile_version)
        with self._read() as session:
            return sorted(session.scalars(query))

    def follow_profile(self, athlete_id: int, *, parse: Parse = parse_activity) -> FollowReport:
        """Recompute the athlete's stale activities with their current figures (module doc)."""
        recomputed = failed = 0
        for round_ in range(1, MAX_ROUNDS + 1):
            with self._read() as session:
                row = session.get(Athlete, athlete_id)
                if row is None:
                    return FollowReport(athlete_id)
                athlete = athlete_record(row)
                todo = session.execute(
                    select(Activity.id, Activity.sha256, Activity.file_name).where(
                        Activity.athlete_id == athlete_id,
                        Activity.profile_version != athlete.profile_version,
                    )
                ).all()
            if not todo:
                if athlete.recomputing:  # nothing stale (no activities, or done by another)
                    self._swap(athlete_id, athlete.profile_version, {})
                return FollowReport(athlete_id, recomputed, failed, round_ - 1)
            profile = athlete.metrics_profile()
            changes: dict[int, dict[str, Any] | None] = {}
            for activity_id, sha, file_name in todo:
                changes[activity_id] = self._derived(sha, file_name, profile, parse)
            if self._swap(athlete_id, profile.version, changes):
                recomputed += sum(c is not None for c in changes.values())
                failed += sum(c is None for c in changes.values())
        return FollowReport(athlete_id, recomputed, failed, MAX_ROUNDS)

    def _derived(
        self, sha: str, file_name: str, profile: MetricsProfile, parse: Parse
    ) -> dict[str, Any] | None:
        """What the profile decides of one activity, recomputed; None when it cannot be."""
        if not self.blobs.exists(sha):
            return None
        try:
            summary = parse(self.blobs.get(sha), file_name, profile).summary
        except IngestError:
            return None
        return {
            "local_date": summary.local_date,
            "utc_offset_s": int(summary.utc_offset_s),
            "trimp": summary.trimp,
            "notes": list(summary.notes),
        }

    def _swap(
        self, athlete_id: int, version: int, changes: dict[int, dict[str, Any] | None]
    ) -> bool:
        """Every change in one transaction, if the profile is still ``version``; the athlete's
        derived data marked current when nothing stale is left."""
        with self._write() as session:
            serialize_athlete_writes(session, athlete_id)  # no upload in between (PostgreSQL)
            now = session.scalar(select(Athlete.profile_version).where(Athlete.id == athlete_id))
            if now != version:
                return False  # changed again while we parsed: the next round uses the new one
            rows = session.scalars(select(Activity).where(Activity.id.in_(list(changes)))).all()
            days = set()
            for row in rows:
                new = changes[row.id]
                days.add(row.local_date)
                row.profile_version = version
                if new is None:
                    continue
                summary = dict(row.summary)
                summary.update(
                    local_date=new["local_date"].isoformat(),
                    utc_offset_s=new["utc_offset_s"],
                    trimp=new["trimp"],
                    notes=new["notes"],
                )
                row.local_date, row.utc_offset_s = new["local_date"], new["utc_offset_s"]
                row.trimp, row.summary = new["trimp"], summary
                days.add(new["local_date"])
            self._refresh_days(session, athlete_id, days)
            left = session.scalar(
                select(func.count(Activity.id)).where(
                    Activity.athlete_id == athlete_id, Activity.profile_version != version
                )
            )
            values: dict[str, Any] = {"data_version": Athlete.data_version + 1}
            if not left:
                values["derived_version"] = version
            session.execute(update(Athlete).where(Athlete.id == athlete_id).values(values))
        return True
