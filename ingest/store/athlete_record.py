"""An athlete as the store hands it out (``AthleteRecord``), the profile's fields and their
allowed words, and the row → record mapping. Pure values: no session, no SQL."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from ingest.measure.summary import MetricsProfile
from ingest.store.database import utc
from ingest.store.schema import Athlete

WEEKDAYS = ("monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday")
# The profile fields an activity summary depends on (MetricsProfile): changing one makes the
# stored summaries stale until they are recomputed (``ingest.store.derived``).
DERIVED_FROM = ("timezone", "sex", "hr_rest", "hr_max")
PROFILE_FIELDS = (
    "name",
    "timezone",
    "week_start",
    "strategy",
    "strength_days",
    "long_run_day",
    "hard_days",
    "sex",
    "hr_rest",
    "hr_max",
    "lifting_experience",
    "races",
    "equipment",
    "units",
)
EQUIPMENT = ("barbell", "dumbbells", "kettlebell", "box", "bands", "pullup_bar")
DEFAULT_EQUIPMENT = ("barbell", "dumbbells", "box")  # what a stored null means
UNITS = ("metric", "imperial")


@dataclass(frozen=True)
class AthleteRecord:
    id: int
    name: str
    timezone: str
    week_start: str
    strategy: str
    strength_days: tuple[str, ...]
    long_run_day: str | None
    hard_days: tuple[str, ...] | None
    sex: str | None
    hr_rest: float | None
    hr_max: float | None
    lifting_experience: str
    races: tuple[dict[str, Any], ...]
    feed_nonce: str
    token_revoked_at: datetime | None
    created_at: datetime
    token_expires_at: datetime | None = None  # None: the token does not expire
    data_version: int = 0  # changes with every write that can change a plan or the weeks
    profile_version: int = 0  # changes with every figure the activity summaries depend on
    derived_version: int = 0  # the profile_version the stored summaries follow
    calendar_url_reissued_at: datetime | None = None  # migration 0009 gave a new feed URL
    equipment: tuple[str, ...] = DEFAULT_EQUIPMENT  # () = bodyweight only
    units: str = "metric"

    @property
    def recomputing(self) -> bool:
        """Whether stored summaries still wait to follow a change of this profile."""
        return self.derived_version != self.profile_version

    def metrics_profile(self) -> MetricsProfile:
        sex = self.sex if self.sex in ("male", "female") else None
        return MetricsProfile(
            timezone=self.timezone,
            sex=sex,  # type: ignore[arg-type]
            hr_rest=self.hr_rest,
            hr_max=self.hr_max,
            version=self.profile_version,
        )

    def profile_dict(self) -> dict[str, Any]:
        """The API profile (DESIGN.md, API v1): id plus every profile field."""
        d: dict[str, Any] = {"id": self.id}
        for name in PROFILE_FIELDS:
            value = getattr(self, name)
            d[name] = list(value) if isinstance(value, tuple) else value
        return d


def athlete_record(row: Athlete | Any) -> AthleteRecord:
    """From an ORM row or a Core row of the athletes table (same attribute names)."""
    return AthleteRecord(
        id=row.id,
        name=row.name,
        timezone=row.timezone,
        week_start=row.week_start,
        strategy=row.strategy,
        strength_days=tuple(row.strength_days),
        long_run_day=row.long_run_day,
        hard_days=None if row.hard_days is None else tuple(row.hard_days),
        sex=row.sex,
        hr_rest=row.hr_rest,
        hr_max=row.hr_max,
        lifting_experience=row.lifting_experience,
        races=tuple(row.races),
        feed_nonce=row.feed_nonce,
        token_revoked_at=None if row.token_revoked_at is None else utc(row.token_revoked_at),
        created_at=utc(row.created_at),
        token_expires_at=None if row.token_expires_at is None else utc(row.token_expires_at),
        data_version=row.data_version or 0,
        profile_version=row.profile_version or 0,
        derived_version=row.derived_version or 0,
        calendar_url_reissued_at=_opt_utc(getattr(row, "calendar_url_reissued_at", None)),
        equipment=_equipment(getattr(row, "equipment", None)),
        units=getattr(row, "units", None) or "metric",
    )


def _opt_utc(value: datetime | None) -> datetime | None:
    return None if value is None else utc(value)


def _equipment(value: Iterable[Any] | None) -> tuple[str, ...]:
    """The stored list in catalogue order, unknown words left out; null → the default set."""
    if value is None:
        return DEFAULT_EQUIPMENT
    have = set(value)
    return tuple(e for e in EQUIPMENT if e in have)


def opt_list(value: Iterable[Any] | None) -> list[Any] | None:
    return None if value is None else list(value)
