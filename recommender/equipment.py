"""What the athlete's equipment allows, and which main lifts this block uses (RULES.md D1 session
size, D6) [D].

Equipment (``Profile.equipment``): any of ``barbell, dumbbells, kettlebell, box, bands,
pullup_bar``; ``()`` = bodyweight only. The catalogue tags each exercise with what it needs
(``Exercise.equipment``, all of them); the profile words grant these tags:
- always: ``bodyweight``, ``wall``, ``step`` (a stair), ``bench`` (a sturdy chair or bench);
- ``barbell`` → ``barbell``, ``plate``; ``dumbbells`` → ``dumbbell``; ``kettlebell`` →
  ``kettlebell`` and ``dumbbell`` (one held weight does every one-implement "dumbbell" exercise:
  goblet squat, split squat, single-leg RDL, row); ``box`` → ``box``; ``bands`` → ``band``;
  ``pullup_bar`` → ``bar``. ``sandbag`` and ``slider`` are never granted (not profile words).
An exercise the athlete cannot do is replaced by the first doable entry of ``SUBSTITUTES`` (same
movement, same role), else dropped. Main lifts come in pairs (a squat pattern, a hinge or
single-leg pattern) by the best implement available.

Rotation [D]: a trained lifter's main lifts change after 4 logged weeks in a row on one pair
(a 3–4-week mesocycle; one empty week is allowed inside the run, a longer gap starts it again, so
a comeback does not rotate), in base and build only (peak and pre-taper keep the familiar lifts),
to the next pair of the same implement; loads follow each lift's own log
(D6), so returning to a lift starts from its last logged load. Without a log there is nothing to
track, so the first pair is kept; novices keep the first pair (learn two lifts well).
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date, timedelta

from recommender.catalogue import exercise
from recommender.types import StrengthEntry

ALWAYS = frozenset({"bodyweight", "wall", "step", "bench"})
GRANTS: dict[str, frozenset[str]] = {
    "barbell": frozenset({"barbell", "plate"}),
    "dumbbells": frozenset({"dumbbell"}),
    "kettlebell": frozenset({"kettlebell", "dumbbell"}),
    "box": frozenset({"box"}),
    "bands": frozenset({"band"}),
    "pullup_bar": frozenset({"bar"}),
}
ROTATE_AFTER_WEEKS = 4
Pair = tuple[str, str]
PAIRS: dict[str, tuple[Pair, ...]] = {
    "barbell": (("back_squat", "romanian_deadlift"), ("front_squat", "deadlift")),
    "dumbbell": (("goblet_squat", "single_leg_rdl"), ("bulgarian_split_squat", "single_leg_rdl")),
    "bodyweight": (("bodyweight_split_squat", "single_leg_rdl"),),
}
SUBSTITUTES: dict[str, tuple[str, ...]] = {
    "bulgarian_split_squat": ("split_squat", "reverse_lunge", "bodyweight_split_squat"),
    "split_squat": ("reverse_lunge", "bodyweight_split_squat"),
    "reverse_lunge": ("bodyweight_split_squat",),
    "walking_lunge": ("step_up_endurance", "tempo_squat"),
    "step_up": ("reverse_lunge", "split_squat", "bodyweight_split_squat"),
    "step_up_endurance": ("tempo_squat",),
    "eccentric_step_down": ("tempo_split_squat",),
    "lateral_lunge": ("cossack_squat",),
    "banded_lateral_walk": ("lateral_lunge", "cossack_squat"),
    "pallof_press": ("side_plank", "dead_bug"),
    "pallof_press_split_stance": ("bird_dog", "dead_bug"),
    "pallof_press_half_kneeling": ("bird_dog", "dead_bug"),
    "pull_up": ("inverted_row", "single_arm_row", "back_extension"),
    "inverted_row": ("single_arm_row", "back_extension"),
    "single_arm_row": ("inverted_row", "back_extension"),
    "bent_over_row": ("single_arm_row", "inverted_row", "back_extension"),
    "box_jumps": ("lateral_hops",),
    "drop_jumps": ("single_leg_hops",),
    "depth_jumps": ("single_leg_hops",),
    "side_bend": ("side_plank",),
    "russian_twist": ("dead_bug",),
    "sliding_plank": ("side_plank",),
}


def tags(equipment: Sequence[str]) -> frozenset[str]:
    """The catalogue equipment tags the profile's equipment grants."""
    out = set(ALWAYS)
    for item in equipment:
        out |= GRANTS[item]
    return frozenset(out)


def doable(exercise_id: str, have: frozenset[str]) -> bool:
    return set(exercise(exercise_id).equipment) <= have


def substitute(exercise_id: str, have: frozenset[str]) -> str | None:
    """The exercise itself when doable, else its first doable substitute, else None."""
    for candidate in (exercise_id, *SUBSTITUTES.get(exercise_id, ())):
        if doable(candidate, have):
            return candidate
    return None


def implement(have: frozenset[str]) -> str:
    return "barbell" if "barbell" in have else "dumbbell" if "dumbbell" in have else "bodyweight"


def _week(d: date, week_start: date) -> date:
    return d - timedelta(days=(d.weekday() - week_start.weekday()) % 7)


def main_pair(
    log: Sequence[StrengthEntry], have: frozenset[str], week_start: date, *, rotate: bool
) -> tuple[Pair, str | None]:
    """This week's main lifts and, when they rotated, why."""
    pairs = PAIRS[implement(have)]
    if not rotate or len(pairs) == 1:
        return pairs[0], None
    mains = {lift: n for n, pair in enumerate(pairs) for lift in pair if pair.count(lift) == 1}
    shared = set(pairs[0]) & set(pairs[1])
    used = sorted(
        (e.date, mains[e.exercise])
        for e in log
        if e.date < week_start and e.exercise in mains and e.exercise not in shared
    )
    if not used:
        return pairs[0], None
    current = used[-1][1]
    weeks = sorted({_week(d, week_start) for d, n in used if n == current}, reverse=True)
    other = sorted({_week(d, week_start) for d, n in used if n != current}, reverse=True)
    run, newer = 0, week_start
    for w in weeks:  # newest first; a run allows one empty week, not a break
        if (other and w <= other[0]) or (newer - w).days > 14:
            break
        run, newer = run + 1, w
    if run < ROTATE_AFTER_WEEKS:
        return pairs[current], None
    nxt = pairs[(current + 1) % len(pairs)]
    names = " + ".join(exercise(i).name.lower() for i in nxt)
    done = " + ".join(exercise(i).name.lower() for i in pairs[current])
    return nxt, f"{run} weeks of {done} logged → new block: {names} (loads from each lift's log)"
