"""A strength activity's sets: the FIT ``set`` messages a watch writes (Garmin: one per active set
and one per rest), read into plain values. Pure; the FIT decoder hands over its messages.

Fields, as the FIT profile defines them: ``set_type`` (active | rest), ``repetitions``,
``weight`` (kg), ``duration`` (s), ``start_time``, ``category`` and ``category_subtype`` (arrays:
the exercise's ``exercise_category`` and its ``<category>_exercise_name`` number; the first known
pair is the exercise), ``wkt_step_index`` (the workout step the set was recorded under, when the
activity followed a workout; the file then holds that ``workout_step`` and its name).
Both decoders are read: garmin-fit-sdk and fitparse give one-element arrays as a plain value,
longer ones as a list or tuple, and the categories as profile names.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Any

UNKNOWN_CATEGORIES = {None, "unknown", 65534, 65535}


@dataclass(frozen=True)
class WatchSet:
    """One set as the watch recorded it (rest sets included: ``active`` is False)."""

    active: bool
    category: str | None  # FIT exercise_category, e.g. "squat"; None when the watch did not say
    exercise_name: str | None  # FIT <category>_exercise_name, e.g. "barbell_back_squat"
    reps: int | None
    weight_kg: float | None
    duration_s: float | None
    start: datetime | None
    step_name: str | None = None  # the name of the workout step it was recorded under


def watch_sets(messages: dict[str, list[dict[str, Any]]]) -> tuple[WatchSet, ...]:
    """The file's sets in the order they were done (by start time, then as written)."""
    steps = {
        _int(s.get("message_index")): s.get("wkt_step_name")
        for s in messages.get("workout_step", [])
    }
    rows = [_watch_set(m, steps) for m in messages.get("set", [])]
    order = sorted(range(len(rows)), key=lambda i: (rows[i].start is None, rows[i].start, i))
    return tuple(rows[i] for i in order)


def _watch_set(message: dict[str, Any], steps: dict[int | None, Any]) -> WatchSet:
    category, name = _exercise(message.get("category"), message.get("category_subtype"))
    step = steps.get(_int(message.get("wkt_step_index")))
    start = message.get("start_time")
    return WatchSet(
        active=str(message.get("set_type")).lower() in ("active", "1"),
        category=category,
        exercise_name=name,
        reps=_int(message.get("repetitions")),
        weight_kg=_float(message.get("weight")),
        duration_s=_float(message.get("duration")),
        start=start if isinstance(start, datetime) else None,
        step_name=step.strip() or None if isinstance(step, str) else None,
    )


def _exercise(categories: Any, subtypes: Any) -> tuple[str | None, str | None]:
    """The first (category, exercise name) the profile knows; (category, None) when the watch
    named only the category."""
    cats, subs = _listed(categories), _listed(subtypes)
    for i, cat in enumerate(cats):
        if cat in UNKNOWN_CATEGORIES:
            continue
        category = cat if isinstance(cat, str) else _category_name(cat)
        if category is None:
            continue
        sub = subs[i] if i < len(subs) else None
        return category, _exercise_name(category, sub)
    return None, None


def _listed(value: Any) -> list[Any]:
    if value is None:
        return []
    return list(value) if isinstance(value, list | tuple) else [value]


def _category_name(number: Any) -> str | None:
    from garmin_fit_sdk import Profile

    found = Profile["types"]["exercise_category"].get(_int(number))
    return None if found in UNKNOWN_CATEGORIES else str(found)


def _exercise_name(category: str, subtype: Any) -> str | None:
    if isinstance(subtype, str):
        return subtype
    number = _int(subtype)
    if number is None or number >= 0xFFFF:
        return None
    from garmin_fit_sdk import Profile

    names = Profile["types"].get(f"{category}_exercise_name", {})
    found = names.get(number)
    return None if found is None else str(found)


def _int(value: Any) -> int | None:
    if isinstance(value, bool) or not isinstance(value, int | float):
        return None
    return int(value)


def _float(value: Any) -> float | None:
    if isinstance(value, bool) or not isinstance(value, int | float) or value != value:
        return None
    return float(value)
