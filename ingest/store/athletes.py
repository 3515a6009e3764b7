"""Athletes and their tokens: profile, bearer token (stored hashed), calendar-feed nonce."""

from __future__ import annotations

import hashlib
import re
import secrets
import unicodedata
from datetime import datetime
from typing import Any

from sqlalchemy import select, update
from sqlalchemy.exc import IntegrityError

from ingest.store.athlete_record import (
    DERIVED_FROM,
    PROFILE_FIELDS,
    WEEKDAYS,
    AthleteRecord,
    athlete_record,
    opt_list,
)
from ingest.store.database import Database, naive_utc
from ingest.store.schema import Athlete

NAME_CHARS = 200  # athletes.name and athletes.name_key
_SPACES = re.compile(r"\s+")


def hash_token(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


def name_key(name: str) -> str:
    """How athlete names compare: Unicode NFKC, case-folded, runs of white space as one space,
    none at the ends. "Ana", "ANA", " ana " and "Ａｎａ" are one name (a unique column)."""
    folded = unicodedata.normalize("NFKC", name).casefold()
    return _SPACES.sub(" ", folded).strip()[:NAME_CHARS]


class NameTaken(ValueError):
    """Another athlete already has this name (names are compared ignoring case)."""

    def __init__(self, name: str, holder: str):
        self.name, self.holder = name, holder
        super().__init__(
            f"an athlete named {name!r} already exists "
            "(names are compared ignoring case and spacing)"
        )


class AthleteStore(Database):
    def create_athlete(
        self, name: str, *, token_expires_at: datetime | None = None, **profile: Any
    ) -> tuple[AthleteRecord, str]:
        """A new athlete and their bearer token (returned once; only its hash is kept), valid
        until ``token_expires_at`` (None: no expiry)."""
        unknown = set(profile) - set(PROFILE_FIELDS)
        if unknown:
            raise ValueError(f"unknown profile fields: {sorted(unknown)}")
        token = secrets.token_urlsafe(32)
        row = Athlete(
            name=name,
            name_key=name_key(name),
            timezone=profile.get("timezone") or "UTC",
            week_start=profile.get("week_start") or "monday",
            strategy=profile.get("strategy") or "separate",
            strength_days=list(profile.get("strength_days") or WEEKDAYS),
            long_run_day=profile.get("long_run_day"),
            hard_days=opt_list(profile.get("hard_days")),
            sex=profile.get("sex"),
            hr_rest=profile.get("hr_rest"),
            hr_max=profile.get("hr_max"),
            lifting_experience=profile.get("lifting_experience") or "novice",
            races=list(profile.get("races") or ()),
            equipment=opt_list(profile.get("equipment")),
            units=profile.get("units") or "metric",
            token_hash=hash_token(token),
            token_expires_at=None if token_expires_at is None else naive_utc(token_expires_at),
            feed_nonce=secrets.token_urlsafe(16),
            created_at=self._now(),
        )
        try:
            with self._write() as session:
                session.add(row)
                session.flush()
                return athlete_record(row), token
        except IntegrityError:
            self._raise_if_taken(name, None)
            raise

    def get_athlete(self, athlete_id: int) -> AthleteRecord | None:
        with self._read() as session:
            row = session.get(Athlete, athlete_id)
            return None if row is None else athlete_record(row)

    def athlete_by_name(self, name: str) -> AthleteRecord | None:
        """The athlete with this name, compared as ``name_key`` does (ignoring case)."""
        with self._read() as session:
            row = session.scalar(select(Athlete).where(Athlete.name_key == name_key(name)))
            return None if row is None else athlete_record(row)

    def _raise_if_taken(self, name: str, athlete_id: int | None) -> None:
        """NameTaken when an athlete other than ``athlete_id`` holds ``name`` (after a failed
        write: the unique index said no, this says why)."""
        holder = self.athlete_by_name(name)
        if holder is not None and holder.id != athlete_id:
            raise NameTaken(name, holder.name) from None

    def athlete_by_token_hash(self, token_hash: str) -> AthleteRecord | None:
        """The athlete holding this (unrevoked) token, by the token's SHA-256 (a unique index).

        Every API request asks this, so it reads one Core row (no ORM identity map or session):
        under 50 concurrent clients the ORM lookup was 16 % of the server's samples."""
        query = select(*Athlete.__table__.columns).where(
            Athlete.token_hash == token_hash, Athlete.token_revoked_at.is_(None)
        )
        with self.engine.connect() as conn:
            row = conn.execute(query).first()
        return None if row is None else athlete_record(row)

    def list_athletes(self) -> list[AthleteRecord]:
        with self._read() as session:
            return [
                athlete_record(r) for r in session.scalars(select(Athlete).order_by(Athlete.id))
            ]

    def update_athlete(self, athlete_id: int, **changes: Any) -> AthleteRecord:
        """Change profile fields; NameTaken when a new name belongs to another athlete."""
        unknown = set(changes) - set(PROFILE_FIELDS)
        if unknown:
            raise ValueError(f"unknown profile fields: {sorted(unknown)}")
        try:
            with self._write() as session:
                row = session.get(Athlete, athlete_id)
                if row is None:
                    raise KeyError(athlete_id)
                derived_before = [getattr(row, key) for key in DERIVED_FROM]
                for key, value in changes.items():
                    if key in ("strength_days", "races"):
                        value = list(value or (WEEKDAYS if key == "strength_days" else ()))
                    elif key in ("hard_days", "equipment"):
                        value = opt_list(value)
                    elif key == "units":
                        value = value or "metric"
                    elif key == "name":
                        row.name_key = name_key(value)
                    setattr(row, key, value)
                if [getattr(row, key) for key in DERIVED_FROM] != derived_before:
                    row.profile_version = Athlete.profile_version + 1  # the summaries are stale
                row.data_version = Athlete.data_version + 1
                session.flush()
                return athlete_record(row)
        except IntegrityError:
            if "name" in changes:
                self._raise_if_taken(changes["name"], athlete_id)
            raise

    def revoke_token(self, athlete_id: int) -> None:
        """The token stops working, and so does the calendar feed URL (a new nonce: a token that
        leaked may have taken the feed URL, which ``GET /v1/me`` shows, with it)."""
        with self._write() as session:
            session.execute(
                update(Athlete)
                .where(Athlete.id == athlete_id)
                .values(token_revoked_at=self._now(), feed_nonce=secrets.token_urlsafe(16))
            )

    def rotate_token(self, athlete_id: int, *, expires_at: datetime | None = None) -> str:
        """A fresh token for the athlete, valid until ``expires_at`` (None: no expiry); the old
        one stops working. The caller decides the lifetime: a new one when the admin issues the
        token, the current one when the athlete rotates their own (``api.routers.me``)."""
        token = secrets.token_urlsafe(32)
        expiry = None if expires_at is None else naive_utc(expires_at)
        with self._write() as session:
            session.execute(
                update(Athlete)
                .where(Athlete.id == athlete_id)
                .values(
                    token_hash=hash_token(token), token_revoked_at=None, token_expires_at=expiry
                )
            )
        return token

    def rotate_feed(self, athlete_id: int) -> AthleteRecord:
        """A new calendar feed nonce: the old feed URL stops working."""
        with self._write() as session:
            row = session.get(Athlete, athlete_id)
            if row is None:
                raise KeyError(athlete_id)
            row.feed_nonce = secrets.token_urlsafe(16)
            session.flush()
            return athlete_record(row)
