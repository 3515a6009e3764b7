"""A strength activity's sets → strength-log entries: one per exercise, its active sets in the
order done, rest sets left out. Pure.

Which exercise a set is [D], first that applies:
1. the workout step it was recorded under names a catalogue exercise (by the vocabulary) and the
   watch recorded that exercise's FIT category/name (or none): that exercise — a set done from a
   legday workout comes back as exactly the exercise prescribed;
2. the watch's FIT category/name is one legday knows (``recommender.fit_exercises.FROM_FIT``);
3. otherwise a custom exercise under the watch's own name ("Barbell hack squat"), or the step's
   name, kept and shown but driving no rule.
A set's reps and weight are as recorded (a weight of 0 is no load); a set without reps keeps its
duration as ``seconds`` (a plank, a wall sit).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from ingest.decode.fit_sets import WatchSet
from recommender.fit_exercises import FitExercise, catalogue_id, fit_exercise
from recommender.vocabulary import resolve, words


@dataclass(frozen=True)
class LoggedExercise:
    """One exercise of a strength activity, ready for the strength log."""

    exercise: str  # a catalogue id, or the watch's name when ``custom``
    custom: bool
    sets: tuple[dict[str, Any], ...]  # {"reps", "load_kg"[, "seconds"]}


def strength_log(sets: Sequence[WatchSet]) -> tuple[LoggedExercise, ...]:
    """The activity's exercises in the order first done, each with its active sets."""
    grouped: dict[tuple[str, bool], list[dict[str, Any]]] = {}
    for watch_set in sets:
        if not watch_set.active:
            continue
        grouped.setdefault(exercise_of(watch_set), []).append(logged_set(watch_set))
    return tuple(
        LoggedExercise(name, custom, tuple(done)) for (name, custom), done in grouped.items()
    )


def exercise_of(watch_set: WatchSet) -> tuple[str, bool]:
    """(catalogue id, False), or (the watch's name for it, True) when legday does not know it."""
    recorded = (
        FitExercise(watch_set.category, watch_set.exercise_name)
        if watch_set.category and watch_set.exercise_name
        else None
    )
    stepped = resolve(watch_set.step_name) if watch_set.step_name else None
    if stepped is not None and (recorded is None or fit_exercise(stepped) == recorded):
        return stepped, False
    known = catalogue_id(watch_set.category, watch_set.exercise_name)
    if known is not None:
        return known, False
    return watch_name(watch_set), True


def watch_name(watch_set: WatchSet) -> str:
    """The watch's words for an exercise legday does not know: "Barbell hack squat", "Sandbag
    back squat" (the category is said unless the name says it), the step's name, or the category."""
    if watch_set.category and watch_set.exercise_name:
        name = _spoken(watch_set.exercise_name)
        category = _spoken(watch_set.category)
        if set(words(category)) <= set(words(name)):
            return name[:100]
        return f"{category} {name.lower()}"[:100]
    if watch_set.step_name:
        return watch_set.step_name[:100]
    if watch_set.category:
        return _spoken(watch_set.category)
    return "Unnamed exercise"


def logged_set(watch_set: WatchSet) -> dict[str, Any]:
    reps = watch_set.reps if watch_set.reps and watch_set.reps > 0 else 0
    load = watch_set.weight_kg if watch_set.weight_kg and watch_set.weight_kg > 0 else None
    out: dict[str, Any] = {"reps": reps, "load_kg": None if load is None else round(load, 2)}
    if not reps and watch_set.duration_s:
        out["seconds"] = round(watch_set.duration_s)
    return out


def _spoken(fit_name: str) -> str:
    text = fit_name.replace("_", " ").strip()
    return text[:1].upper() + text[1:]
