"""Phase templates: what each kind of session holds before the week's modulation (RULES.md §6).

Heavy-day templates by phase and experience (sets × reps @ %1RM on the two main lifts):
- P1 base (D2): trained 4 × 10 @ 70 %, novice 3 × 12 @ 65 %; strength endurance: walking lunges
  2 × 60 s and a wall sit 2 × 45 s; low plyo 50 contacts. (The Bulgarian split squat it also held
  made 5 lower-body lifts: D1 allows 2–4; the walking lunge covers single-leg work.)
- P2 build (D1): trained 4 × 5 @ 85 %, novice 3 × 6 @ 80 % (never > 6 reps); plyo 46 contacts,
  + drop jumps 10 contacts once strength history reaches 4 weeks (D3); step-ups, calf raises 2 sets.
- P3 peak: trained 3 × 4 @ 85 %, novice 2 × 5 @ 80 %; power plyo 42 contacts (less than build:
  peak weekly volume < build weekly volume).
- Core and balance on the heavy day: 2 sets each (the light days carry more).
- P4 pre-taper: 2 × 3 @ 85 %; plyo 30 contacts.
Every heavy day: plyo first (fresh, pre-lift), then the main lifts, then accessories, core, balance:
2 main lifts + ≤ 2 accessories (``LOWER_BODY_MAX`` = 4 lower-body strength exercises, D1).
Main lifts other than barbell ones (``recommender.equipment``) carry no %1RM: the reps at RPE 8
(7 in base and pre-taper), with a bodyweight lift at ≥ 10 reps (per leg).
Light, activation (P5) and recovery (P6) sessions are fixed lists. Roles decide what the week's
modulation may cut: "main" and "leg" lose sets, "plyo" loses contacts, "eccentric" is dropped under
S4 / ACWR > 1.5, "keep" (core, balance, back, mobility) is never cut (D4).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Literal

from recommender.catalogue import exercise
from recommender.types import Focus, Phase

Role = Literal["main", "leg", "plyo", "eccentric", "keep"]
Experience = Literal["novice", "trained"]


@dataclass(frozen=True)
class Item:
    id: str  # catalogue id
    role: Role
    sets: int
    reps: int | None = None
    seconds: int | None = None
    percent: float | None = None  # %1RM, main lifts
    rpe: float | None = None
    tempo: str | None = None
    rest_s: int | None = None
    focus: Focus | None = (
        None  # overrides the catalogue focus (walking lunges as strength endurance)
    )


MAIN_LIFTS = ("back_squat", "romanian_deadlift")
_MAIN: dict[tuple[Phase, Experience], tuple[int, int, float]] = {
    ("base", "trained"): (4, 10, 70.0),
    ("base", "novice"): (3, 12, 65.0),
    ("build", "trained"): (4, 5, 85.0),
    ("build", "novice"): (3, 6, 80.0),
    ("peak", "trained"): (3, 4, 85.0),
    ("peak", "novice"): (2, 5, 80.0),
    ("pre_taper", "trained"): (2, 3, 85.0),
    ("pre_taper", "novice"): (2, 3, 85.0),
}
HEAVY_PHASES: tuple[Phase, ...] = ("base", "build", "peak", "pre_taper")


def _plyo(id: str, sets: int, reps: int) -> Item:
    return Item(id, "plyo", sets, reps, rest_s=60)


_PLYO: dict[Phase, tuple[Item, ...]] = {
    "base": (_plyo("pogo_hops", 3, 10), _plyo("skips", 2, 10)),
    "build": (_plyo("pogo_hops", 2, 10), _plyo("bounds", 2, 8), _plyo("box_jumps", 2, 5)),
    "peak": (_plyo("pogo_hops", 2, 10), _plyo("bounds", 2, 6), _plyo("box_jumps", 2, 5)),
    "pre_taper": (_plyo("pogo_hops", 2, 10), _plyo("box_jumps", 2, 5)),
}
DROP_JUMPS = _plyo("drop_jumps", 2, 5)  # build/peak, from 4 weeks of strength history (D3)
_ACCESSORIES: dict[Phase, tuple[Item, ...]] = {
    "base": (
        Item("walking_lunge", "leg", 2, seconds=60, rest_s=90, focus="strength_endurance"),
        Item("wall_sit", "leg", 2, seconds=45, rest_s=60),
    ),
    "build": (
        Item("step_up", "leg", 2, 6, rpe=8, rest_s=90),
        Item("calf_raise", "leg", 2, 8, rpe=8, rest_s=60),
    ),
    "peak": (
        Item("split_squat", "leg", 2, 5, rpe=8, rest_s=90),
        Item("calf_raise", "leg", 2, 8, rpe=8, rest_s=60),
    ),
    "pre_taper": (),
}
_HEAVY_DAY_KEEP: tuple[Item, ...] = (
    Item("pallof_press", "keep", 2, 10, rest_s=45),
    Item("single_leg_balance", "keep", 2, seconds=30, rest_s=30),
)
ECCENTRIC_ITEMS: tuple[Item, ...] = (  # D5
    Item("eccentric_step_down", "eccentric", 3, 8, rpe=7, tempo="4-0-1-0", rest_s=90),
    Item("tempo_split_squat", "eccentric", 3, 6, rpe=7, tempo="3-1-1-0", rest_s=90),
)


def main_dose(phase: Phase, experience: Experience) -> tuple[int, int, float]:
    """(sets, reps, %1RM) of the main lifts on the heavy day of `phase`."""
    return _MAIN[(phase, experience)]


LOWER_BODY_MAX = 4
_MAIN_RPE: dict[Phase, float] = {"base": 7.0, "build": 8.0, "peak": 8.0, "pre_taper": 7.0}


def main_item(lift: str, phase: Phase, experience: Experience, bodyweight: bool = False) -> Item:
    """A main lift of `phase`: %1RM on a barbell lift, reps at an RPE otherwise."""
    sets, reps, pct = main_dose(phase, experience)
    rest = 120 if phase == "base" else 180
    if "barbell" in exercise(lift).equipment:
        return Item(lift, "main", sets, reps, percent=pct, rest_s=rest)
    if bodyweight:
        return Item(lift, "main", sets, max(reps, 10), rpe=_MAIN_RPE[phase], rest_s=90)
    return Item(lift, "main", sets, reps, rpe=_MAIN_RPE[phase], rest_s=rest)


def heavy_session(
    phase: Phase,
    experience: Experience,
    drop_jumps: bool,
    lifts: tuple[str, ...] = MAIN_LIFTS,
    bodyweight: bool = False,
) -> tuple[Item, ...]:
    """The heavy-day template for a phase with a heavy day (base, build, peak, pre_taper)."""
    mains = tuple(main_item(i, phase, experience, bodyweight) for i in lifts)
    plyo = _PLYO[phase] + ((DROP_JUMPS,) if drop_jumps and phase in ("build", "peak") else ())
    return plyo + mains + _ACCESSORIES[phase] + _HEAVY_DAY_KEEP


LIGHT_WITH_PLYO: tuple[Item, ...] = (
    _plyo("pogo_hops", 2, 10),
    _plyo("ankle_hops", 2, 10),
    Item("single_leg_balance_unstable", "keep", 3, seconds=30, rest_s=30),
    Item("eccentric_calf_raise", "eccentric", 2, 12, rpe=6, tempo="3-0-1-0", rest_s=60),
    Item("copenhagen_plank", "keep", 2, seconds=20, rest_s=45),
    Item("dead_bug", "keep", 2, 8, rest_s=45),
    Item("pull_up", "keep", 3, 6, rpe=7, rest_s=90),
)
LIGHT_NO_PLYO: tuple[Item, ...] = (
    Item("single_leg_balance", "keep", 3, seconds=30, rest_s=30),
    Item("calf_raise", "keep", 2, 15, rpe=6, rest_s=60),
    Item("side_plank", "keep", 2, seconds=30, rest_s=45),
    Item("pallof_press_split_stance", "keep", 2, 10, rest_s=45),
    Item("single_arm_row", "keep", 3, 10, rpe=7, rest_s=60),
    Item("back_extension", "keep", 2, 12, rpe=6, rest_s=60),
)
ACTIVATION: tuple[Item, ...] = (  # P5: 1–2 × 5–8, bodyweight/bands, balance
    Item("bodyweight_split_squat", "keep", 2, 6, rpe=5, rest_s=60),
    Item("banded_lateral_walk", "keep", 2, 8, rpe=5, rest_s=45),
    Item("single_leg_balance", "keep", 2, seconds=30, rest_s=30),
    Item("dead_bug", "keep", 2, 8, rest_s=45),
)
ACTIVATION_PLYO = _plyo("pogo_hops", 2, 10)  # ≤ 30 low-intensity contacts in the taper
RECOVERY: tuple[Item, ...] = (  # P6: balance and mobility only
    Item("single_leg_balance", "keep", 3, seconds=30, rest_s=30),
    Item("ankle_mobility", "keep", 2, seconds=60, rest_s=30),
    Item("hip_mobility", "keep", 1, seconds=300),
)
