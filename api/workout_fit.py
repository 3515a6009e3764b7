"""A planned session → a FIT workout file a watch can run (Garmin's SDK Encoder). Pure.

The file (FIT "Workout" file type, as Garmin's workout cookbook lays it out): ``file_id`` (type
workout), ``workout`` (sport training, sub-sport strength_training, the session's name, its note)
and one ``workout_step`` per step, for each exercise in the plan's order:
- the exercise: repetitions (``reps``) or a time (``time``, a hold or a timed set), the exercise's
  FIT ``exercise_category``/``exercise_name`` (``recommender.fit_exercises``; an exercise FIT has
  no name for carries neither, and the watch shows the step's name), the prescribed weight in kg
  when the plan gives one, and the whole prescription in the step's notes ("4 × 5 @ 85 % 1RM,
  tempo 3-1-1-0, rest 180 s");
- a rest step of the prescribed rest (``time``, intensity rest), when the plan gives one;
- a repeat step back to the exercise, ``repeat_until_steps_cmplt`` with the number of sets as its
  count (Garmin's cookbook: "5 × 100 yds" is a repeat with repetitions 5), when there are 2 or more.

A device keeps workouts apart by type, manufacturer, product and serial number; the serial number
here is a digest of the athlete's key, the day and the steps, so the same workout downloaded twice
is the same file (byte for byte) and a changed plan for the day is a new workout on the watch.
"""

from __future__ import annotations

import hashlib
from datetime import UTC, datetime
from typing import Any

from garmin_fit_sdk import FIT_EPOCH_S, Encoder, Profile

from api.ics import TITLES, exercise_line
from recommender.fit_exercises import fit_exercise
from recommender.types import ExerciseRx, Session

MEDIA_TYPE = "application/vnd.ant.fit"
MESG = Profile["mesg_num"]
MAX_TEXT_BYTES = 200  # FIT strings are at most 255 bytes; watches show far fewer


def workout_name(session: Session) -> str:
    """ "Heavy legs · Tue 24 Nov" (what the watch lists)."""
    title = TITLES.get(session.kind, session.kind)
    return f"{title} · {session.date.strftime('%a %d %b')}"


def file_name(session: Session) -> str:
    """``2026-11-24-heavy-legs.fit``."""
    return f"{session.date.isoformat()}-{session.kind.replace('_', '-')}.fit"


def workout_steps(session: Session) -> list[dict[str, Any]]:
    """The ``workout_step`` messages of ``session`` (SDK field names and values)."""
    steps: list[dict[str, Any]] = []
    for rx in session.exercises:
        first = len(steps)
        steps.append({"message_index": first, **_exercise_step(rx)})
        if rx.rest_s:
            steps.append(
                {
                    "message_index": len(steps),
                    "wkt_step_name": "Rest",
                    "duration_type": "time",
                    "duration_value": rx.rest_s * 1000,
                    "target_type": "open",
                    "intensity": "rest",
                }
            )
        if rx.sets > 1:
            steps.append(
                {
                    "message_index": len(steps),
                    "duration_type": "repeat_until_steps_cmplt",
                    "duration_value": first,
                    "target_type": "open",
                    "target_value": rx.sets,
                }
            )
    return steps


def _exercise_step(rx: ExerciseRx) -> dict[str, Any]:
    step: dict[str, Any] = {
        "wkt_step_name": _text(rx.name),
        "target_type": "open",
        "intensity": "active",
        "notes": _text(exercise_line(rx).split(": ", 1)[-1]),
    }
    if rx.reps:
        step |= {"duration_type": "reps", "duration_value": rx.reps}
    elif rx.seconds:
        step |= {"duration_type": "time", "duration_value": rx.seconds * 1000}
    else:
        step["duration_type"] = "open"
    fit = fit_exercise(rx.id)
    if fit is not None:
        names = Profile["types"][f"{fit.category}_exercise_name"]
        step["exercise_category"] = fit.category
        step["exercise_name"] = next(k for k, v in names.items() if v == fit.name)
    if rx.load_kg:
        step |= {"exercise_weight": rx.load_kg, "weight_display_unit": "kilogram"}
    return step


def serial_number(key: str, session: Session, steps: list[dict[str, Any]]) -> int:
    """A stable, non-zero 32-bit serial for this athlete, day and set of steps."""
    text = repr((key, session.date.isoformat(), session.kind, workout_name(session), steps))
    return int.from_bytes(hashlib.sha256(text.encode()).digest()[:4], "big") or 1


def encode_workout(session: Session, *, key: str) -> bytes:
    """The FIT workout file of ``session``; ``key`` tells athletes apart (their id)."""
    steps = workout_steps(session)
    created = datetime(session.date.year, session.date.month, session.date.day, tzinfo=UTC)
    encoder = Encoder()
    encoder.on_mesg(
        MESG["FILE_ID"],
        {
            "type": "workout",
            "manufacturer": "development",
            "product": 0,
            "serial_number": serial_number(key, session, steps),
            "time_created": int(created.timestamp()) - FIT_EPOCH_S,
        },
    )
    workout: dict[str, Any] = {
        "wkt_name": _text(workout_name(session)),
        "sport": "training",
        "sub_sport": "strength_training",
        "num_valid_steps": len(steps),
    }
    if session.note:
        workout["wkt_description"] = _text(session.note)
    encoder.on_mesg(MESG["WORKOUT"], workout)
    for step in steps:
        encoder.on_mesg(MESG["WORKOUT_STEP"], step)
    data: bytes = encoder.close()
    return data


def _text(value: str) -> str:
    """At most ``MAX_TEXT_BYTES`` of UTF-8, cut on a character boundary."""
    raw = value.encode("utf-8")[:MAX_TEXT_BYTES]
    return raw.decode("utf-8", "ignore")
