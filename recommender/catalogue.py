"""The exercise catalogue: stable ids → what an exercise trains (RULES.md brief, D4 categories).

Ids are stable snake_case keys; the strength log (`StrengthEntry.exercise`) and plans refer to them.
`focus` is the DESIGN.md focus enum; `categories` are D4's seven weekly-coverage categories (plus
"mobility", which D4 does not count). Foot contacts: one per ground contact of one or both feet
(NSCA convention), so `contacts_per_rep` is 1 for every jump listed here.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Literal, get_args

from recommender.types import Focus

Category = Literal[
    "bilateral_heavy",
    "single_leg",
    "core",
    "posterior_chain",
    "ankle_balance",
    "plyo",
    "strength_endurance",
    "mobility",
]
D4_CATEGORIES: tuple[Category, ...] = tuple(c for c in get_args(Category) if c != "mobility")
PlyoIntensity = Literal["low", "moderate", "high"]
FOCUS_CATEGORY: dict[Focus, Category] = {
    "squat": "bilateral_heavy",
    "single_leg": "single_leg",
    "anti_rotation": "core",
    "back": "posterior_chain",
    "balance": "ankle_balance",
    "plyometrics": "plyo",
    "strength_endurance": "strength_endurance",
}


@dataclass(frozen=True)
class Exercise:
    id: str
    name: str
    focus: Focus
    categories: frozenset[Category]
    equipment: tuple[str, ...] = ("bodyweight",)
    eccentric_emphasis: bool = False
    plyo_intensity: PlyoIntensity | None = None
    contacts_per_rep: int = 0
    bilateral_heavy: bool = False
    leg_strength: bool = True  # loads the legs; excluded in the post-race window (P6)


def _ex(
    id: str,
    name: str,
    focus: Focus,
    *cats: Category,
    eq: str = "bodyweight",
    heavy: bool = False,
    legs: bool = True,
    ecc: bool = False,
) -> Exercise:
    return Exercise(
        id,
        name,
        focus,
        frozenset(cats),
        tuple(eq.split("+")),
        eccentric_emphasis=ecc,
        bilateral_heavy=heavy,
        leg_strength=legs,
    )


def _plyo(id: str, name: str, intensity: PlyoIntensity, eq: str = "bodyweight") -> Exercise:
    return Exercise(
        id,
        name,
        "plyometrics",
        frozenset({"plyo"}),
        (eq,),
        plyo_intensity=intensity,
        contacts_per_rep=1,
    )


_ALL: tuple[Exercise, ...] = (
    # squats and the deadlift family (D1, D4 bilateral heavy)
    _ex("back_squat", "Back squat", "squat", "bilateral_heavy", eq="barbell", heavy=True),
    _ex("front_squat", "Front squat", "squat", "bilateral_heavy", eq="barbell", heavy=True),
    _ex("half_squat", "Half squat", "squat", "bilateral_heavy", eq="barbell", heavy=True),
    # one dumbbell or kettlebell held at the chest (``recommender.equipment``: a kettlebell grants
    # the "dumbbell" tag for one-implement exercises)
    _ex("goblet_squat", "Goblet squat", "squat", "bilateral_heavy", eq="dumbbell"),
    _ex("bodyweight_squat", "Bodyweight squat", "squat", "bilateral_heavy"),
    _ex(
        "deadlift",
        "Deadlift",
        "back",
        "bilateral_heavy",
        "posterior_chain",
        eq="barbell",
        heavy=True,
    ),
    _ex(
        "romanian_deadlift",
        "Romanian deadlift",
        "back",
        "bilateral_heavy",
        "posterior_chain",
        eq="barbell",
        heavy=True,
    ),
    # single-leg (brief: lunges, SL deadlifts, lateral lunges, Cossack, split squats, loaded lunges)
    # bodyweight is a real exercise here (balance + hamstrings); hold a dumbbell for load
    _ex("single_leg_rdl", "Single-leg RDL", "single_leg", "single_leg", "posterior_chain"),
    _ex("split_squat", "Split squat", "single_leg", "single_leg", eq="dumbbell"),
    _ex("bodyweight_split_squat", "Bodyweight split squat", "single_leg", "single_leg"),
    _ex(
        "bulgarian_split_squat",
        "Bulgarian split squat",
        "single_leg",
        "single_leg",
        eq="dumbbell+bench",
    ),
    _ex(
        "walking_lunge",
        "Walking lunge",
        "single_leg",
        "single_leg",
        "strength_endurance",
        eq="dumbbell",
    ),
    _ex("reverse_lunge", "Reverse lunge", "single_leg", "single_leg", eq="dumbbell"),
    _ex("lateral_lunge", "Lateral lunge", "single_leg", "single_leg", eq="dumbbell"),
    _ex("cossack_squat", "Cossack squat", "single_leg", "single_leg"),
    _ex("loaded_lunge_sandbag", "Lunge, sandbag hold", "single_leg", "single_leg", eq="sandbag"),
    _ex("overhead_lunge", "Overhead lunge", "single_leg", "single_leg", "core", eq="plate"),
    _ex("step_up", "Step-up", "single_leg", "single_leg", eq="dumbbell+box"),
    _ex(
        "eccentric_step_down", "Eccentric step-down", "single_leg", "single_leg", eq="box", ecc=True
    ),
    _ex(
        "tempo_split_squat",
        "Tempo split squat (3-s lowering)",
        "single_leg",
        "single_leg",
        ecc=True,
    ),
    _ex("banded_lateral_walk", "Banded lateral walk", "single_leg", "single_leg", eq="band"),
    # strength endurance (D2: 60-s walking lunges, tempo and pauses, wall sits)
    _ex("wall_sit", "Wall sit", "strength_endurance", "strength_endurance", eq="wall"),
    _ex("tempo_squat", "Tempo goblet squat with pause", "strength_endurance", "strength_endurance"),
    _ex(
        "step_up_endurance",
        "Continuous step-ups",
        "strength_endurance",
        "strength_endurance",
        eq="box",
    ),
    # ankle and balance
    # single-leg on a step; hold a dumbbell for load when there is one
    _ex("calf_raise", "Calf raise", "balance", "ankle_balance", eq="step"),
    _ex(
        "eccentric_calf_raise",
        "Eccentric calf raise",
        "balance",
        "ankle_balance",
        eq="step",
        ecc=True,
    ),
    _ex("single_leg_balance", "Single-leg balance", "balance", "ankle_balance"),
    _ex(
        "single_leg_balance_unstable",
        "Single-leg balance, unstable pad",
        "balance",
        "ankle_balance",
    ),
    _ex("ankle_mobility", "Ankle mobility (knee-to-wall)", "balance", "mobility", legs=False),
    _ex("hip_mobility", "Hip mobility flow", "balance", "mobility", legs=False),
    # anti-rotation / trunk (brief: dead bugs, Pallof press + variations, Russian twists, side bends
    # Copenhagen plank, sliding planks)
    _ex("dead_bug", "Dead bug", "anti_rotation", "core", legs=False),
    _ex("bird_dog", "Bird dog", "anti_rotation", "core", legs=False),
    _ex("pallof_press", "Pallof press", "anti_rotation", "core", eq="band", legs=False),
    _ex(
        "pallof_press_half_kneeling",
        "Pallof press, half-kneeling",
        "anti_rotation",
        "core",
        eq="band",
        legs=False,
    ),
    _ex(
        "pallof_press_split_stance",
        "Pallof press, split stance",
        "anti_rotation",
        "core",
        eq="band",
        legs=False,
    ),
    _ex(
        "pallof_press_overhead",
        "Pallof press with overhead reach",
        "anti_rotation",
        "core",
        eq="band",
        legs=False,
    ),
    _ex("pallof_walkout", "Pallof walk-out", "anti_rotation", "core", eq="band", legs=False),
    _ex("russian_twist", "Russian twist", "anti_rotation", "core", eq="plate", legs=False),
    _ex("side_bend", "Side bend", "anti_rotation", "core", eq="dumbbell", legs=False),
    _ex("copenhagen_plank", "Copenhagen plank", "anti_rotation", "core", eq="bench"),
    _ex("sliding_plank", "Sliding plank", "anti_rotation", "core", eq="slider", legs=False),
    _ex("side_plank", "Side plank", "anti_rotation", "core", legs=False),
    # back (brief: pull-ups, row variations, lower-back work)
    _ex("pull_up", "Pull-up", "back", "posterior_chain", eq="bar", legs=False),
    _ex("bent_over_row", "Bent-over row", "back", "posterior_chain", eq="barbell", legs=False),
    _ex("single_arm_row", "Single-arm row", "back", "posterior_chain", eq="dumbbell", legs=False),
    _ex("inverted_row", "Inverted row", "back", "posterior_chain", eq="bar", legs=False),
    _ex("back_extension", "Back extension", "back", "posterior_chain", eq="bench", legs=False),
    # plyometrics, low → high (D3: pogo/skips → bounds → drop jumps)
    _plyo("pogo_hops", "Pogo hops", "low"),
    _plyo("ankle_hops", "Ankle hops", "low"),
    _plyo("skips", "A-skips", "low"),
    _plyo("lateral_hops", "Lateral hops", "moderate"),
    _plyo("bounds", "Bounds", "moderate"),
    _plyo("box_jumps", "Box jumps", "moderate", eq="box"),
    _plyo("single_leg_hops", "Single-leg hops", "high"),
    _plyo("drop_jumps", "Drop jumps", "high", eq="box"),
    _plyo("depth_jumps", "Depth jumps", "high", eq="box"),
)

CATALOGUE: dict[str, Exercise] = {e.id: e for e in _ALL}

# The coaching brief's examples, by focus (the catalogue test checks each is present).
BRIEF_EXAMPLES: dict[Focus, tuple[str, ...]] = {
    "single_leg": (
        "walking_lunge",
        "single_leg_rdl",
        "lateral_lunge",
        "cossack_squat",
        "split_squat",
        "loaded_lunge_sandbag",
        "overhead_lunge",
    ),
    "anti_rotation": (
        "dead_bug",
        "pallof_press",
        "pallof_press_half_kneeling",
        "pallof_press_split_stance",
        "pallof_press_overhead",
        "russian_twist",
        "side_bend",
        "copenhagen_plank",
        "sliding_plank",
    ),
    "squat": ("front_squat", "back_squat"),
    "back": ("pull_up", "bent_over_row", "single_arm_row", "inverted_row", "back_extension"),
    "plyometrics": ("pogo_hops", "bounds", "box_jumps"),
    "strength_endurance": ("walking_lunge", "tempo_squat", "wall_sit"),
    "balance": ("single_leg_balance", "single_leg_balance_unstable", "eccentric_calf_raise"),
}


def exercise(exercise_id: str) -> Exercise:
    """The catalogue entry for `exercise_id` (KeyError names the unknown id)."""
    return CATALOGUE[exercise_id]
