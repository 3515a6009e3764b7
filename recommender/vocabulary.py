"""What people call the catalogue's exercises: aliases, normalisation, matching, suggestions.

Pure. ``resolve("Back squats")`` is ``"back_squat"``; ``suggest("hip trust")`` is the three closest
catalogue ids. The strength log resolves what the athlete typed (or what a watch named) here, at
write time, so the store keeps catalogue ids and the recommender only ever sees ids.

Matching [D]: a text is reduced to a key — lower case, accents dropped, anything but letters and
digits a separator, each word made singular (``squats`` → ``squat``, ``presses`` → ``press``),
then the words joined without spaces, so case, spaces, hyphens and plurals do not matter
("Back squat", "back-squats", "BACKSQUAT", "step ups", "Step-up"). An exercise is known by its id,
its catalogue name, its name without a parenthesis ("Tempo split squat (3-s lowering)"), and the
aliases below. Every key names one exercise (a test checks that no alias is ambiguous).
"""

from __future__ import annotations

import difflib
import re
import unicodedata
from collections.abc import Iterable

from recommender.catalogue import CATALOGUE

# Other names coaches, gyms and apps use. Keys are catalogue ids; an id missing here is still known
# by its id and its name.
ALIASES: dict[str, tuple[str, ...]] = {
    "back_squat": ("Squat", "Barbell squat", "Barbell back squat", "High-bar squat",
                   "Low-bar squat"),
    "front_squat": ("Barbell front squat",),
    "half_squat": ("Partial squat", "Barbell half squat"),
    "goblet_squat": ("Kettlebell goblet squat", "Dumbbell goblet squat", "KB goblet squat"),
    "bodyweight_squat": ("Air squat", "BW squat", "Body-weight squat"),
    "deadlift": ("Conventional deadlift", "Barbell deadlift", "DL"),
    "romanian_deadlift": ("RDL", "Barbell RDL", "Romanian DL", "Stiff-leg deadlift"),
    "single_leg_rdl": ("Single-leg deadlift", "Single-leg Romanian deadlift", "SL RDL",
                       "One-leg RDL", "SLRDL"),
    "split_squat": ("Dumbbell split squat", "Static lunge"),
    "bodyweight_split_squat": ("BW split squat", "Body-weight split squat"),
    "bulgarian_split_squat": ("BSS", "Bulgarian", "Rear-foot-elevated split squat", "RFESS",
                              "Dumbbell Bulgarian split squat"),
    "walking_lunge": ("Lunge walk", "Dumbbell walking lunge", "Walking lunges with dumbbells"),
    "reverse_lunge": ("Back lunge", "Rear lunge", "Dumbbell reverse lunge"),
    "lateral_lunge": ("Side lunge", "Dumbbell side lunge"),
    "cossack_squat": ("Cossack",),
    "loaded_lunge_sandbag": ("Sandbag lunge",),
    "overhead_lunge": ("OH lunge", "Plate overhead lunge"),
    "step_up": ("Dumbbell step-up", "Box step-up", "Weighted step-up"),
    "eccentric_step_down": ("Step-down", "Slow step-down", "Lateral step-down"),
    "banded_lateral_walk": ("Monster walk", "Band walk", "Lateral band walk", "Crab walk"),
    "wall_sit": ("Wall squat",),
    "tempo_squat": ("Tempo goblet squat", "Pause goblet squat", "Paused goblet squat"),
    "step_up_endurance": ("Continuous step-up", "Step-up endurance"),
    "calf_raise": ("Standing calf raise", "Heel raise", "Dumbbell calf raise"),
    "eccentric_calf_raise": ("Eccentric heel drop", "Heel drop", "Alfredson heel drop"),
    "single_leg_balance": ("Single-leg stand", "One-leg balance", "SL balance"),
    "single_leg_balance_unstable": ("Balance pad", "Unstable balance", "Single-leg balance pad"),
    "ankle_mobility": ("Knee-to-wall", "Ankle dorsiflexion", "Ankle mobility"),
    "hip_mobility": ("Hip mobility", "90/90 hip switch"),
    "dead_bug": ("Deadbug",),
    "bird_dog": ("Birddog",),
    "pallof_press": ("Pallof", "Anti-rotation press", "Cable anti-rotation press"),
    "pallof_press_half_kneeling": ("Half-kneeling Pallof press", "Half-kneeling Pallof"),
    "pallof_press_split_stance": ("Split-stance Pallof press", "Split-stance Pallof"),
    "pallof_press_overhead": ("Overhead Pallof press", "Overhead Pallof"),
    "pallof_walkout": ("Pallof walkout",),
    "russian_twist": ("Seated twist",),
    "side_bend": ("Dumbbell side bend",),
    "copenhagen_plank": ("Copenhagen", "Copenhagen adduction", "Copenhagen side plank"),
    "sliding_plank": ("Plank saw", "Body saw", "Slider plank"),
    "pull_up": ("Pullup", "Chin-up", "Chinup"),
    "bent_over_row": ("Barbell row", "Bent row", "Barbell bent-over row"),
    "single_arm_row": ("Dumbbell row", "One-arm row", "Single-arm dumbbell row"),
    "inverted_row": ("Body row", "Australian pull-up", "Ring row", "TRX row"),
    "back_extension": ("Hyperextension", "Back raise", "45-degree back extension"),
    "pogo_hops": ("Pogo", "Pogo jumps"),
    "skips": ("A-skip", "A skips"),
    "lateral_hops": ("Side hops", "Lateral line hops"),
    "bounds": ("Bounding",),
    "box_jumps": ("Box jump",),
    "single_leg_hops": ("Single-leg hop", "Hopping"),
    "drop_jumps": ("Drop jump",),
    "depth_jumps": ("Depth jump",),
}  # fmt: skip

_SEPARATORS = re.compile(r"[^a-z0-9]+")
_PARENTHESIS = re.compile(r"\s*\([^)]*\)")
_IRREGULAR = {"calves": "calf", "feet": "foot"}


def _singular(word: str) -> str:
    """``squats`` → ``squat``, ``presses`` → ``press``, ``ups`` → ``up``; ``press`` stays."""
    if word in _IRREGULAR:
        return _IRREGULAR[word]
    if word.endswith(("sses", "shes", "ches", "xes")):
        return word[:-2]
    if len(word) >= 3 and word.endswith("s") and not word.endswith(("ss", "us", "is")):
        return word[:-1]
    return word


def words(text: str) -> list[str]:
    """The singular lower-case words of ``text``, accents dropped."""
    plain = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode().lower()
    return [_singular(w) for w in _SEPARATORS.split(plain) if w]


def key(text: str) -> str:
    """What two names that mean the same exercise have in common (see the module docstring)."""
    return "".join(words(text))


def names_of(exercise_id: str) -> tuple[str, ...]:
    """Every name ``exercise_id`` is known by: its id, its name (with and without a parenthesis),
    its aliases."""
    name = CATALOGUE[exercise_id].name
    plain = _PARENTHESIS.sub("", name)
    found = (exercise_id, name, plain, *ALIASES.get(exercise_id, ()))
    return tuple(dict.fromkeys(found))


def _index() -> dict[str, str]:
    index: dict[str, str] = {}
    for exercise_id in CATALOGUE:
        for name in names_of(exercise_id):
            index.setdefault(key(name), exercise_id)
    return index


INDEX: dict[str, str] = _index()  # key → catalogue id


def resolve(text: str) -> str | None:
    """The catalogue id ``text`` names (an id, a name or an alias, loosely spelled), or None."""
    k = key(text)
    return INDEX.get(k) if k else None


def suggest(text: str, n: int = 3) -> list[str]:
    """The ``n`` catalogue ids whose names are closest to ``text``, closest first.

    Closeness [D]: the best of, over an exercise's names, difflib's ratio on the spaced words and
    the share of the text's words the name contains (so "hip trust" finds the hip exercises and
    "squats heavy" finds the squats); ties broken by catalogue order."""
    typed = " ".join(words(text))
    typed_words = set(typed.split())
    order = {exercise_id: i for i, exercise_id in enumerate(CATALOGUE)}

    def score(exercise_id: str) -> float:
        best = 0.0
        for name in names_of(exercise_id):
            spaced = " ".join(words(name))
            ratio = difflib.SequenceMatcher(None, typed, spaced).ratio()
            shared = len(typed_words & set(spaced.split())) / max(len(typed_words), 1)
            best = max(best, ratio, 0.9 * shared)
        return best

    ranked = sorted(CATALOGUE, key=lambda i: (-score(i), order[i]))
    return ranked[:n]


def ambiguous_keys(ids: Iterable[str] = CATALOGUE) -> dict[str, set[str]]:
    """Keys that name more than one exercise (there should be none)."""
    seen: dict[str, set[str]] = {}
    for exercise_id in ids:
        for name in names_of(exercise_id):
            seen.setdefault(key(name), set()).add(exercise_id)
    return {k: v for k, v in seen.items() if len(v) > 1}
