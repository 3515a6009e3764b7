"""The exercise catalogue covers the coaching brief and D4's seven categories (RULES.md)."""

from __future__ import annotations

import re

import pytest

from recommender.catalogue import BRIEF_EXAMPLES, CATALOGUE, D4_CATEGORIES, FOCUS_CATEGORY
from recommender.types import Focus

FOCUSES: tuple[Focus, ...] = (
    "single_leg",
    "anti_rotation",
    "squat",
    "back",
    "plyometrics",
    "strength_endurance",
    "balance",
)


@pytest.mark.parametrize("focus", FOCUSES)
def test_every_brief_example_is_in_the_catalogue_under_its_focus(focus: Focus) -> None:
    for exercise_id in BRIEF_EXAMPLES[focus]:
        entry = CATALOGUE[exercise_id]
        assert FOCUS_CATEGORY[focus] in entry.categories, exercise_id


def test_the_brief_lists_the_named_exercises_by_their_stable_ids() -> None:
    named = {
        "back_squat", "front_squat", "half_squat", "deadlift", "romanian_deadlift",
        "single_leg_rdl", "split_squat", "bulgarian_split_squat", "walking_lunge",
        "lateral_lunge", "cossack_squat", "loaded_lunge_sandbag", "overhead_lunge", "step_up",
        "eccentric_step_down", "tempo_split_squat", "wall_sit", "calf_raise",
        "eccentric_calf_raise", "dead_bug", "pallof_press", "russian_twist", "side_bend",
        "copenhagen_plank", "sliding_plank", "side_plank", "pull_up", "bent_over_row",
        "single_arm_row", "back_extension", "pogo_hops", "skips", "bounds", "box_jumps",
        "lateral_hops", "drop_jumps", "single_leg_balance", "single_leg_balance_unstable",
        "ankle_hops",
    }  # fmt: skip
    assert named <= CATALOGUE.keys()
    assert len([i for i in CATALOGUE if i.startswith("pallof_press")]) >= 3  # and variations


def test_every_focus_and_every_D4_category_is_covered() -> None:
    assert {e.focus for e in CATALOGUE.values()} == set(FOCUSES)
    covered = {c for e in CATALOGUE.values() for c in e.categories}
    assert set(D4_CATEGORIES) <= covered
    assert len(D4_CATEGORIES) == 7


def test_ids_are_stable_snake_case_keys() -> None:
    for key, entry in CATALOGUE.items():
        assert key == entry.id
        assert re.fullmatch(r"[a-z][a-z0-9_]*", key)


def test_D3_plyometrics_carry_an_intensity_and_contacts_and_nothing_else_does() -> None:
    for entry in CATALOGUE.values():
        is_plyo = entry.focus == "plyometrics"
        assert (entry.plyo_intensity is not None) == is_plyo, entry.id
        assert (entry.contacts_per_rep > 0) == is_plyo, entry.id
    assert CATALOGUE["drop_jumps"].plyo_intensity == "high"
    assert CATALOGUE["pogo_hops"].plyo_intensity == "low"


def test_D5_eccentric_items_are_flagged_and_D1_lifts_are_bilateral_heavy() -> None:
    assert CATALOGUE["eccentric_step_down"].eccentric_emphasis
    assert CATALOGUE["tempo_split_squat"].eccentric_emphasis
    assert not CATALOGUE["split_squat"].eccentric_emphasis
    heavy = {e.id for e in CATALOGUE.values() if e.bilateral_heavy}
    assert {"back_squat", "front_squat", "half_squat", "deadlift", "romanian_deadlift"} <= heavy
