"""The exercise vocabulary: what athletes type resolves to catalogue ids; unknown names get the
three closest; every catalogue exercise has a FIT equivalent or an explicit none."""

from __future__ import annotations

import pytest
from garmin_fit_sdk import Profile

from recommender.catalogue import CATALOGUE
from recommender.fit_exercises import FIT_EXERCISES, FROM_FIT, catalogue_id, fit_exercise
from recommender.vocabulary import ALIASES, ambiguous_keys, key, resolve, suggest

TYPED = {
    "Back squat": "back_squat",
    "back-squats": "back_squat",
    "BACK SQUAT": "back_squat",
    "  back   squat ": "back_squat",
    "backsquat": "back_squat",
    "back_squat": "back_squat",
    "RDL": "romanian_deadlift",
    "rdls": "romanian_deadlift",
    "Romanian deadlift": "romanian_deadlift",
    "romanian-deadlifts": "romanian_deadlift",
    "BSS": "bulgarian_split_squat",
    "Bulgarian split squat": "bulgarian_split_squat",
    "bulgarian split squats": "bulgarian_split_squat",
    "step ups": "step_up",
    "Step-up": "step_up",
    "stepups": "step_up",
    "Pallof presses": "pallof_press",
    "calf raises": "calf_raise",
    "Tempo split squat": "tempo_split_squat",
    "Lunge, sandbag hold": "loaded_lunge_sandbag",
    "pull-ups": "pull_up",
    "Pogo hops": "pogo_hops",
}


@pytest.mark.parametrize(("typed", "exercise_id"), sorted(TYPED.items()))
def test_names_resolve_whatever_the_case_spaces_hyphens_and_plurals(
    typed: str, exercise_id: str
) -> None:
    assert resolve(typed) == exercise_id


def test_every_catalogue_id_and_name_resolves_to_itself() -> None:
    for exercise_id, entry in CATALOGUE.items():
        assert resolve(exercise_id) == exercise_id
        assert resolve(entry.name) == exercise_id
        assert resolve(entry.name.upper()) == exercise_id


def test_no_alias_names_two_exercises() -> None:
    assert ambiguous_keys() == {}


def test_aliases_are_for_catalogue_ids_only() -> None:
    assert set(ALIASES) <= set(CATALOGUE)


def test_an_unknown_name_resolves_to_nothing_and_gets_three_close_suggestions() -> None:
    assert resolve("hip thrust") is None and resolve("") is None and resolve("--") is None
    assert suggest("bak squat")[0] == "back_squat"
    assert suggest("romanain deadlift")[0] == "romanian_deadlift"
    assert len(suggest("hip thrust")) == 3
    assert "hip_mobility" in suggest("hip thrust")


def test_the_key_ignores_accents_and_punctuation() -> None:
    assert key("Step-Ups!") == key("step up") == "stepup"
    assert key("Rückenstrecker") == "ruckenstrecker"


def test_every_catalogue_exercise_has_a_fit_mapping_or_an_explicit_none() -> None:
    assert set(FIT_EXERCISES) == set(CATALOGUE)
    none = sorted(i for i, f in FIT_EXERCISES.items() if f is None)
    assert none == [
        "ankle_hops", "bounds", "eccentric_step_down", "pogo_hops", "single_leg_balance",
        "single_leg_balance_unstable", "single_leg_hops", "skips",
    ]  # fmt: skip


def test_every_fit_name_exists_in_the_sdk_profile() -> None:
    types = Profile["types"]
    categories = set(types["exercise_category"].values())
    named = [f for f in FIT_EXERCISES.values() if f is not None]
    pairs = {(f.category, f.name) for f in named} | set(FROM_FIT)
    for category, name in pairs:
        assert category in categories, category
        assert name in types[f"{category}_exercise_name"].values(), (category, name)


def test_the_main_lifts_go_to_the_watch_and_come_back_as_themselves() -> None:
    for exercise_id in ("back_squat", "romanian_deadlift", "deadlift", "bulgarian_split_squat"):
        fit = fit_exercise(exercise_id)
        assert fit is not None
        assert catalogue_id(fit.category, fit.name) == exercise_id


def test_a_watch_variant_of_a_movement_reads_as_the_catalogue_exercise() -> None:
    assert catalogue_id("lunge", "weighted_walking_lunge") == "walking_lunge"
    assert catalogue_id("deadlift", "barbell_straight_leg_deadlift") == "romanian_deadlift"
    assert catalogue_id("squat", "step_up") == "step_up"
    assert catalogue_id("core", "cable_core_press") == "pallof_press"
    assert catalogue_id("plank", "plank") is None  # a plain plank is not the sliding plank
    assert catalogue_id("curl", "barbell_biceps_curl") is None
    assert catalogue_id(None, "squat") is None


def test_every_mapped_exercise_that_owns_its_fit_name_reads_back_as_itself() -> None:
    shared = {
        f for f in FIT_EXERCISES.values()
        if f is not None and sum(g == f for g in FIT_EXERCISES.values()) > 1
    }  # fmt: skip
    for exercise_id, fit in FIT_EXERCISES.items():
        if fit is None or fit in shared:
            continue
        back = catalogue_id(fit.category, fit.name)
        assert back in (exercise_id, None) or (fit.category, fit.name) in {
            ("squat", "step_up"), ("calf_raise", "single_leg_standing_calf_raise")
        }, exercise_id  # fmt: skip
