"""/v1/exercises: the catalogue the strength log and the plans name, with the Garmin FIT exercise
each maps to (the workouts sent to the watch use it; the sets read back from it too)."""

from __future__ import annotations

from typing import Any

from fastapi import APIRouter

from api.deps import AthleteDep
from api.routers import AUTH, errors
from api.schemas.logs import ExerciseList
from recommender.catalogue import CATALOGUE
from recommender.fit_exercises import fit_exercise
from recommender.vocabulary import names_of

router = APIRouter(prefix="/v1/exercises", tags=["exercises"])


def catalogue_json() -> list[dict[str, Any]]:
    out = []
    for exercise_id, entry in CATALOGUE.items():
        fit = fit_exercise(exercise_id)
        out.append(
            {
                "id": exercise_id,
                "name": entry.name,
                "aliases": [n for n in names_of(exercise_id) if n not in (exercise_id, entry.name)],
                "focus": entry.focus,
                "equipment": list(entry.equipment),
                "fit_exercise_category": fit.category if fit else None,
                "fit_exercise_name": fit.name if fit else None,
            }
        )
    return out


CATALOGUE_JSON = catalogue_json()  # the catalogue is fixed for the life of the process


@router.get("", response_model=ExerciseList, responses=errors(*AUTH))
def list_exercises(athlete: AthleteDep) -> dict[str, Any]:
    """Every exercise the plans use and the strength log knows, with its aliases."""
    return {"exercises": CATALOGUE_JSON}
