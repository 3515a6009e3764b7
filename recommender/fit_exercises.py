"""The catalogue in Garmin's FIT vocabulary: each exercise's ``exercise_category`` and
``exercise_name`` (FIT profile names: the category, and the value of ``<category>_exercise_name``).

Pure names, no SDK: the workout encoder turns them into the profile's numbers, the activity
decoder turns the watch's numbers into these names. A test checks every name against the profile
of the installed ``garmin-fit-sdk`` and that every catalogue id is listed here.

``FIT_EXERCISES[id]`` is the exercise a workout step names for ``id``; ``None`` means the FIT
profile has no equivalent (pogo hops, ankle hops, A-skips, bounds, single-leg hops, the eccentric
step-down, the single-leg balance drills). Then the workout step carries no exercise category or
name: the watch shows the step's name (the catalogue name) and its notes, and counts the reps or
the time like any other step. A set recorded for such a step comes back through the step it was
recorded under (``wkt_step_index`` → the step's name → the vocabulary).

Reading a watch's sets back, ``FROM_FIT[(category, name)]`` is the catalogue id. It holds every
forward mapping that is not shared, plus the variants a watch offers for the same movement
(``weighted_walking_lunge``, ``barbell_straight_leg_deadlift``, …). Where several exercises share
one FIT name (the Pallof press variants all are ``core/cable_core_press``), the plain exercise
gets it; a set done from a legday workout still comes back as the exact exercise, by its step.
Choices where FIT has no exact name [D]: half squat → ``squat/barbell_quarter_squat`` (the
profile's partial-depth barbell squat); bodyweight and tempo split squats →
``squat/dumbbell_split_squat`` (the profile has no unloaded one); Cossack squat →
``lunge/low_side_to_side_lunge``; Copenhagen plank → ``plank/side_plank_with_feet_on_bench``;
sliding plank → ``plank/plank``; bird dog → ``warm_up/opposite_arm_and_leg_balance``; drop jumps →
``plyo/depth_jump``.
"""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class FitExercise:
    category: str  # FIT exercise_category, e.g. "squat"
    name: str  # FIT <category>_exercise_name, e.g. "barbell_back_squat"

    def __str__(self) -> str:
        return f"{self.category}/{self.name}"


def _f(category: str, name: str) -> FitExercise:
    return FitExercise(category, name)


FIT_EXERCISES: dict[str, FitExercise | None] = {
    "back_squat": _f("squat", "barbell_back_squat"),
    "front_squat": _f("squat", "barbell_front_squat"),
    "half_squat": _f("squat", "barbell_quarter_squat"),
    "goblet_squat": _f("squat", "goblet_squat"),
    "bodyweight_squat": _f("squat", "squat"),
    "deadlift": _f("deadlift", "barbell_deadlift"),
    "romanian_deadlift": _f("deadlift", "romanian_deadlift"),
    "single_leg_rdl": _f("deadlift", "single_leg_romanian_deadlift_with_dumbbell"),
    "split_squat": _f("squat", "dumbbell_split_squat"),
    "bodyweight_split_squat": _f("squat", "dumbbell_split_squat"),
    "bulgarian_split_squat": _f("lunge", "dumbbell_bulgarian_split_squat"),
    "walking_lunge": _f("lunge", "walking_dumbbell_lunge"),
    "reverse_lunge": _f("lunge", "dumbbell_reverse_lunge"),
    "lateral_lunge": _f("lunge", "dumbbell_side_lunge"),
    "cossack_squat": _f("lunge", "low_side_to_side_lunge"),
    "loaded_lunge_sandbag": _f("sandbag", "lunge"),
    "overhead_lunge": _f("lunge", "overhead_lunge"),
    "step_up": _f("squat", "dumbbell_step_up"),
    "eccentric_step_down": None,
    "tempo_split_squat": _f("squat", "dumbbell_split_squat"),
    "banded_lateral_walk": _f("hip_stability", "lateral_walks_with_band_at_ankles"),
    "wall_sit": _f("squat", "body_weight_wall_squat"),
    "tempo_squat": _f("squat", "goblet_squat"),
    "step_up_endurance": _f("squat", "step_up"),
    "calf_raise": _f("calf_raise", "standing_dumbbell_calf_raise"),
    "eccentric_calf_raise": _f("calf_raise", "single_leg_standing_calf_raise"),
    "single_leg_balance": None,
    "single_leg_balance_unstable": None,
    "ankle_mobility": _f("warm_up", "ankle_lunges"),
    "hip_mobility": _f("warm_up", "hip_circles"),
    "dead_bug": _f("hip_stability", "dead_bug"),
    "bird_dog": _f("warm_up", "opposite_arm_and_leg_balance"),
    "pallof_press": _f("core", "cable_core_press"),
    "pallof_press_half_kneeling": _f("core", "cable_core_press"),
    "pallof_press_split_stance": _f("core", "cable_core_press"),
    "pallof_press_overhead": _f("core", "cable_core_press"),
    "pallof_walkout": _f("core", "cable_core_press"),
    "russian_twist": _f("core", "russian_twist"),
    "side_bend": _f("core", "weighted_side_bend"),
    "copenhagen_plank": _f("plank", "side_plank_with_feet_on_bench"),
    "sliding_plank": _f("plank", "plank"),
    "side_plank": _f("plank", "side_plank"),
    "pull_up": _f("pull_up", "pull_up"),
    "bent_over_row": _f("row", "bent_over_row_with_barbell"),
    "single_arm_row": _f("row", "dumbbell_row"),
    "inverted_row": _f("row", "inverted_row"),
    "back_extension": _f("core", "ghd_back_extensions"),
    "pogo_hops": None,
    "ankle_hops": None,
    "skips": None,
    "lateral_hops": _f("plyo", "lateral_leap_and_hop"),
    "bounds": None,
    "box_jumps": _f("plyo", "box_jump"),
    "single_leg_hops": None,
    "drop_jumps": _f("plyo", "depth_jump"),
    "depth_jumps": _f("plyo", "depth_jump"),
}

# How a FIT name that is shared, or that is only the nearest FIT has, reads back when the set was
# not recorded under a legday workout step (see the module docstring); None: as a custom exercise.
_READ_BACK_AS: dict[FitExercise, str | None] = {
    _f("squat", "dumbbell_split_squat"): "split_squat",
    _f("squat", "goblet_squat"): "goblet_squat",
    _f("core", "cable_core_press"): "pallof_press",
    _f("plyo", "depth_jump"): "depth_jumps",
    _f("squat", "step_up"): "step_up",  # a plain step-up, not the continuous endurance drill
    _f("calf_raise", "single_leg_standing_calf_raise"): "calf_raise",
    _f("plank", "plank"): None,  # a plain plank is not the sliding plank
}

# What else a watch may call the same movement (freestyle sets, other apps' workouts).
_VARIANTS: dict[str, tuple[tuple[str, str], ...]] = {
    "back_squat": (("squat", "back_squats"), ("squat", "weighted_back_squats"),
                   ("squat", "weighted_squat"), ("squat", "wide_stance_barbell_squat")),
    "front_squat": (("squat", "dumbbell_front_squat"),
                    ("squat", "crossed_arm_barbell_front_squat")),
    "goblet_squat": (("squat", "wide_stance_goblet_squat"), ("squat", "kettlebell_squat")),
    "bodyweight_squat": (("squat", "air_squat"), ("squat", "prisoner_squat")),
    "deadlift": (("deadlift", "dumbbell_deadlift"), ("deadlift", "kettlebell_deadlift"),
                 ("deadlift", "trap_bar_deadlift")),
    "romanian_deadlift": (("deadlift", "barbell_straight_leg_deadlift"),
                          ("deadlift", "dumbbell_straight_leg_deadlift"),
                          ("deadlift", "straight_leg_deadlift")),
    "single_leg_rdl": (("deadlift", "single_leg_barbell_straight_leg_deadlift"),
                       ("deadlift", "single_leg_deadlift_with_barbell"),
                       ("deadlift", "single_leg_barbell_deadlift"),
                       ("deadlift", "one_arm_one_leg_deadlift")),
    "split_squat": (("lunge", "barbell_split_squat"), ("lunge", "overhead_dumbbell_split_squat")),
    "bulgarian_split_squat": (("lunge", "barbell_bulgarian_split_squat"),
                              ("lunge", "back_foot_elevated_dumbbell_split_squat")),
    "walking_lunge": (("lunge", "walking_lunge"), ("lunge", "weighted_walking_lunge"),
                      ("lunge", "walking_barbell_lunge")),
    "reverse_lunge": (("lunge", "barbell_reverse_lunge"),),
    "lateral_lunge": (("lunge", "side_lunge"), ("lunge", "weighted_side_lunge"),
                      ("lunge", "barbell_side_lunge")),
    "step_up": (("squat", "weighted_step_up"), ("squat", "barbell_step_up")),
    "wall_sit": (("squat", "weighted_wall_squat"),),
    "calf_raise": (("calf_raise", "standing_calf_raise"),
                   ("calf_raise", "weighted_standing_calf_raise"),
                   ("calf_raise", "standing_barbell_calf_raise")),
    "dead_bug": (("hip_stability", "weighted_dead_bug"), ("banded_exercises", "deadbug")),
    "banded_lateral_walk": (("banded_exercises", "lateral_band_walks"),),
    "russian_twist": (("core", "cycling_russian_twist"), ("core", "weighted_cycling_russian_twist"),
                      ("core", "elevated_feet_russian_twist")),
    "side_bend": (("core", "side_bend"),),
    "side_plank": (("plank", "weighted_side_plank"),),
    "pull_up": (("pull_up", "weighted_pull_up"), ("pull_up", "wide_grip_pull_up"),
                ("pull_up", "chin_up")),
    "bent_over_row": (("row", "barbell_row"), ("row", "reverse_grip_barbell_row")),
    "single_arm_row": (("row", "one_arm_bent_over_row"),
                       ("row", "single_arm_neutral_grip_dumbbell_row")),
    "inverted_row": (("row", "weighted_inverted_row"), ("row", "ring_row"),
                     ("row", "trx_inverted_row")),
    "back_extension": (("hyperextension", "swiss_ball_back_extension"),
                       ("hyperextension", "static_back_extension")),
    "box_jumps": (("plyo", "high_box_jump"),),
}  # fmt: skip


def _reverse() -> dict[tuple[str, str], str]:
    owners: dict[FitExercise, list[str]] = {}
    for exercise_id, fit in FIT_EXERCISES.items():
        if fit is not None:
            owners.setdefault(fit, []).append(exercise_id)
    table: dict[tuple[str, str], str] = {}
    for fit, ids in owners.items():
        owner = _READ_BACK_AS[fit] if fit in _READ_BACK_AS else ids[0] if len(ids) == 1 else None
        if owner is not None:  # else the set reads back through its workout step, or as custom
            table[(fit.category, fit.name)] = owner
    for exercise_id, variants in _VARIANTS.items():
        for variant in variants:
            table.setdefault(variant, exercise_id)
    return table


FROM_FIT: dict[tuple[str, str], str] = _reverse()


def fit_exercise(exercise_id: str) -> FitExercise | None:
    """The FIT exercise a workout step names for ``exercise_id`` (None: no FIT equivalent, or not
    a catalogue id)."""
    return FIT_EXERCISES.get(exercise_id)


def catalogue_id(category: str | None, name: str | None) -> str | None:
    """The catalogue id of a watch's (category, exercise name), or None when legday has none."""
    if category is None or name is None:
        return None
    return FROM_FIT.get((category, name))
