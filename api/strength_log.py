"""The strength log's service: what the athlete typed → a catalogue id (or a custom name), stored
entries → what the API shows (with the implausibility flags), and which entries the plan may use.

Names are resolved here, when an entry is written, so the store keeps catalogue ids and the
recommender sees nothing else (``recommender.vocabulary``). Flags are computed when the log is
read, over the athlete's whole history of the lift (``recommender.plausibility``), so a backfilled
older session is measured as it should be."""

from __future__ import annotations

import unicodedata
from collections.abc import Iterable, Sequence
from typing import TYPE_CHECKING, Any

from recommender.catalogue import CATALOGUE
from recommender.plausibility import Logged, implausible
from recommender.types import StrengthSet
from recommender.vocabulary import resolve, suggest

if TYPE_CHECKING:
    from ingest.store import StrengthRecord

SET_FIELDS = ("reps", "load_kg", "rpe", "seconds")
UNCONFIRMED = 'the plan ignores it until it is confirmed (PATCH {"confirmed": true}) or corrected'


class UnknownExercise(ValueError):
    """A name the catalogue does not know, sent without ``"custom": true``."""


def exercise_for(text: str, custom: bool) -> tuple[str, bool]:
    """(catalogue id, False) for a name the vocabulary resolves, whatever ``custom`` says; (the
    name as typed, its spaces collapsed and control characters dropped, True) for a custom one;
    else UnknownExercise with the closest three."""
    found = resolve(text)
    if found is not None:
        return found, False
    printable = "".join(ch for ch in text if unicodedata.category(ch)[0] != "C" or ch.isspace())
    name = " ".join(printable.split())
    if custom and name:
        return name, True
    closest = ", ".join(f"{CATALOGUE[i].name} ({i})" for i in suggest(text))
    raise UnknownExercise(
        f'unknown exercise {text!r}; closest: {closest}. Send "custom": true to log it under '
        "its own name (it is then shown but drives no rule); GET /v1/exercises lists the catalogue"
    )


def recommender_sets(sets: Iterable[dict[str, Any]]) -> tuple[StrengthSet, ...]:
    return tuple(
        StrengthSet(reps=int(s["reps"]), load_kg=s.get("load_kg"), rpe=s.get("rpe")) for s in sets
    )


def flags(records: Sequence[StrengthRecord]) -> dict[int, str]:
    """Entry id → why it looks implausible (catalogue lifts only; custom entries are not rated)."""
    logged = [
        Logged(r.id, r.date, r.exercise, recommender_sets(r.sets), r.confirmed)
        for r in records
        if not r.custom
    ]
    found = implausible(logged)
    return {r.id: why for r in records if (why := found.get(r.id)) is not None}


def usable(records: Sequence[StrengthRecord]) -> list[StrengthRecord]:
    """The entries the plan may use: catalogue exercises, and no unconfirmed flagged set."""
    flagged = flags(records)
    return [r for r in records if not r.custom and (r.id not in flagged or r.confirmed)]


def entry_json(record: StrengthRecord, flag: str | None) -> dict[str, Any]:
    exercise = CATALOGUE.get(record.exercise) if not record.custom else None
    if flag is not None and not record.confirmed:
        flag = f"{flag}: {UNCONFIRMED}"
    return {
        "id": record.id,
        "date": record.date,
        "exercise": record.exercise,
        "name": exercise.name if exercise else record.exercise,
        "custom": record.custom,
        "sets": [{k: s.get(k) for k in SET_FIELDS} for s in record.sets],
        "flagged": flag,
        "confirmed": record.confirmed,
        "source": "watch" if record.activity_id is not None else "manual",
        "activity_id": record.activity_id,
    }


def log_json(records: Sequence[StrengthRecord], shown: Iterable[StrengthRecord]) -> list[Any]:
    """``shown`` as the API lists them, flagged against the whole of ``records``."""
    flagged = flags(records)
    return [entry_json(r, flagged.get(r.id)) for r in shown]
