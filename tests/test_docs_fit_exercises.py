"""docs/fit-exercises.md says, for every catalogue exercise, the Garmin exercise its workout step
carries: the same as the code."""

from __future__ import annotations

from recommender.catalogue import CATALOGUE
from recommender.fit_exercises import FIT_EXERCISES
from tests.conftest import ROOT


def test_the_fit_exercise_page_lists_every_exercise_as_the_code_maps_it() -> None:
    rows = {
        line.split("|")[1].strip(" `"): line.split("|")[3].strip()
        for line in (ROOT / "docs" / "fit-exercises.md").read_text().splitlines()
        if line.startswith("| `")
    }
    assert set(rows) == set(CATALOGUE)
    for exercise_id, fit in FIT_EXERCISES.items():
        said = rows[exercise_id]
        if fit is None:
            assert said.startswith("none"), exercise_id
        else:
            assert said == f"`{fit.category}` / `{fit.name}`", exercise_id
