"""Strength activities encoded with Garmin's SDK the way a Garmin watch writes them (a Fenix 7's
strength-training activity): file_id, device_info, the workout it followed (copied in, as the watch
does), timer events, heart-rate records, one ``set`` message per active set and per rest (exercise
category and category_subtype as arrays, reps, weight, duration, the workout step index), a lap,
the session (sport training, sub-sport strength_training) and the activity.

``performed_from_workout`` turns a legday workout FIT into the sets "the watch" records for it
(optionally with extra reps on an exercise's last set), so a test can close the loop."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, replace
from datetime import UTC, datetime, timedelta
from typing import Any

from garmin_fit_sdk import FIT_EPOCH_S, Decoder, Encoder, Profile, Stream

MESG = Profile["mesg_num"]
FENIX7, SERIAL = 3906, 3_391_204_718
SECONDS_PER_REP = 3.0


@dataclass(frozen=True)
class PerformedSet:
    """One active set and the rest after it."""

    category: str | None  # FIT exercise_category name ("squat"), None: not identified
    name: str | None  # FIT <category>_exercise_name ("barbell_back_squat")
    reps: int | None
    weight_kg: float | None = None
    seconds: float | None = None  # a timed set; else reps × 3 s
    rest_s: float = 90.0
    step: int | None = None  # the workout step (message_index) it was recorded under


def fit_messages(data: bytes) -> dict[str, list[dict[str, Any]]]:
    messages, errors = Decoder(Stream.from_byte_array(bytearray(data))).read()
    assert not errors, errors
    return messages  # type: ignore[no-any-return]


def strength_activity_fit(
    performed: Sequence[PerformedSet],
    start: datetime,
    *,
    utc_offset_s: int = 3600,
    workout: bytes | None = None,
) -> bytes:
    """The FIT activity a watch records for ``performed`` from ``start``; with ``workout`` (a
    workout FIT) its workout and steps are copied in, as a watch does when it follows one."""
    t0 = int(start.astimezone(UTC).timestamp()) - FIT_EPOCH_S
    enc = Encoder()
    enc.on_mesg(
        MESG["FILE_ID"],
        {
            "type": "activity",
            "manufacturer": "garmin",
            "product": FENIX7,
            "serial_number": SERIAL,
            "time_created": t0,
        },
    )
    enc.on_mesg(
        MESG["DEVICE_INFO"],
        {
            "timestamp": t0,
            "device_index": 0,
            "manufacturer": "garmin",
            "product": FENIX7,
            "serial_number": SERIAL,
            "software_version": 21.19,
            "source_type": "local",
        },
    )
    if workout is not None:
        copied = fit_messages(workout)
        enc.on_mesg(MESG["WORKOUT"], _fields(copied["workout_mesgs"][0], "workout"))
        for step in copied["workout_step_mesgs"]:
            enc.on_mesg(MESG["WORKOUT_STEP"], _fields(step, "workout_step"))
    timer = {"event": "timer", "event_group": 0}
    enc.on_mesg(MESG["EVENT"], {"timestamp": t0, **timer, "event_type": "start"})
    now, hr, index, heart = t0, 95, 0, []
    for done in performed:
        length = done.seconds if done.seconds else (done.reps or 1) * SECONDS_PER_REP
        end = now + round(length)
        for t in range(now, end, 5):
            hr = min(hr + 4, 165)
            heart.append(hr)
            enc.on_mesg(MESG["RECORD"], {"timestamp": t, "heart_rate": hr})
        active: dict[str, Any] = {
            "timestamp": end,
            "start_time": now,
            "duration": float(length),
            "set_type": "active",
            "message_index": index,
        }
        if done.reps is not None:
            active["repetitions"] = done.reps
        if done.weight_kg is not None:
            active |= {"weight": done.weight_kg, "weight_display_unit": "kilogram"}
        if done.category is not None:
            names = Profile["types"][f"{done.category}_exercise_name"]
            number = next((k for k, v in names.items() if v == done.name), 0xFFFF)
            active |= {"category": [done.category], "category_subtype": [number]}
        else:
            active |= {"category": ["unknown"], "category_subtype": [0xFFFF]}
        if done.step is not None:
            active["wkt_step_index"] = done.step
        enc.on_mesg(MESG["SET"], active)
        rest_end = end + round(done.rest_s)
        for t in range(end, rest_end, 5):
            hr = max(hr - 6, 90)
            heart.append(hr)
            enc.on_mesg(MESG["RECORD"], {"timestamp": t, "heart_rate": hr})
        rest = {
            "timestamp": rest_end,
            "start_time": end,
            "duration": float(done.rest_s),
            "set_type": "rest",
            "message_index": index + 1,
        }
        enc.on_mesg(MESG["SET"], rest)
        now, index = rest_end, index + 2
    enc.on_mesg(MESG["RECORD"], {"timestamp": now, "heart_rate": hr})
    heart.append(hr)
    totals = {
        "total_elapsed_time": float(now - t0),
        "total_timer_time": float(now - t0),
        "avg_heart_rate": round(sum(heart) / len(heart)),
        "max_heart_rate": max(heart),
        "total_calories": (now - t0) // 10,
    }
    sport = {"sport": "training", "sub_sport": "strength_training"}
    lap = {"message_index": 0, "timestamp": now, "start_time": t0, "event": "lap"}
    enc.on_mesg(MESG["LAP"], {**lap, "event_type": "stop", **sport, **totals})
    enc.on_mesg(MESG["EVENT"], {"timestamp": now, **timer, "event_type": "stop_all"})
    session = {
        "message_index": 0,
        "timestamp": now,
        "start_time": t0,
        "event": "session",
        "event_type": "stop",
        "first_lap_index": 0,
        "num_laps": 1,
        "trigger": "activity_end",
        **sport,
        **totals,
    }
    enc.on_mesg(MESG["SESSION"], session)
    enc.on_mesg(
        MESG["ACTIVITY"],
        {
            "timestamp": now,
            "total_timer_time": totals["total_timer_time"],
            "num_sessions": 1,
            "type": "manual",
            "event": "activity",
            "event_type": "stop",
            "local_timestamp": now + utc_offset_s,
        },
    )
    return enc.close()  # type: ignore[no-any-return]


def _fields(message: dict[str, Any], name: str) -> dict[str, Any]:
    """A decoded message's profile fields (subfields the decoder expanded left out)."""
    number = MESG[name.upper()]
    known = {f["name"] for f in Profile["messages"][number]["fields"].values()}
    return {k: v for k, v in message.items() if k in known}


def performed_from_workout(
    workout: bytes, *, extra_reps_on_last_set: int = 0, only: Sequence[str] = ()
) -> list[PerformedSet]:
    """Every set a legday workout FIT prescribes, done as written (reps, weight, rest), with
    ``extra_reps_on_last_set`` more on each exercise's last set; ``only``: those step names."""
    steps = fit_messages(workout)["workout_step_mesgs"]
    by_index = {s["message_index"]: s for s in steps}
    repeats = {
        s["duration_value"]: s["target_value"]
        for s in steps
        if s["duration_type"] == "repeat_until_steps_cmplt"
    }
    out: list[PerformedSet] = []
    for step in steps:
        if step.get("intensity") != "active" or step["duration_type"] not in ("reps", "time"):
            continue
        if only and step.get("wkt_step_name") not in only:
            continue
        index = step["message_index"]
        rest = by_index.get(index + 1, {})
        rest_s = rest["duration_value"] / 1000 if rest.get("intensity") == "rest" else 30.0
        one = PerformedSet(
            category=step.get("exercise_category"),
            name=_exercise_name(step),
            reps=step["duration_value"] if step["duration_type"] == "reps" else None,
            weight_kg=step.get("exercise_weight"),
            seconds=step["duration_value"] / 1000 if step["duration_type"] == "time" else None,
            rest_s=rest_s,
            step=index,
        )
        sets = [one] * int(repeats.get(index, 1))
        if extra_reps_on_last_set and one.reps is not None:
            sets[-1] = replace(one, reps=one.reps + extra_reps_on_last_set)
        out.extend(sets)
    return out


def _exercise_name(step: dict[str, Any]) -> str | None:
    category, number = step.get("exercise_category"), step.get("exercise_name")
    if category is None or number is None:
        return None
    found = Profile["types"][f"{category}_exercise_name"].get(number)
    return None if found is None else str(found)


def at(day: str, hour: int = 18) -> datetime:
    """``day`` (ISO) at ``hour`` UTC."""
    return datetime.fromisoformat(day).replace(hour=hour, tzinfo=UTC) + timedelta(0)


# --- reading a workout FIT back, with either decoder ----------------------------------------


@dataclass(frozen=True)
class Step:
    """A workout step as both decoders can be read: what the watch will do."""

    index: int
    kind: str  # "exercise" | "rest" | "repeat"
    name: str | None = None
    reps: int | None = None
    seconds: float | None = None
    category: str | None = None
    exercise_name: int | None = None
    weight_kg: float | None = None
    back_to: int | None = None  # repeat: the step it goes back to
    count: int | None = None  # repeat: how many times


def steps_with_sdk(data: bytes) -> list[Step]:
    return [_step(s) for s in fit_messages(data)["workout_step_mesgs"]]


def steps_with_fitparse(data: bytes) -> list[Step]:
    import fitparse

    rows = []
    for message in fitparse.FitFile(data).get_messages("workout_step"):
        rows.append({f.name: f.value for f in message.fields if f.value is not None})
    return [_step(r) for r in rows]


def _step(s: dict[str, Any]) -> Step:
    duration = s.get("duration_type")
    if duration == "repeat_until_steps_cmplt":
        back = s.get("duration_step", s.get("duration_value"))
        count = s.get("repeat_steps", s.get("target_value"))
        return Step(s["message_index"], "repeat", back_to=int(back), count=int(count))
    seconds = None
    if duration == "time":
        seconds = s["duration_time"] if "duration_time" in s else s["duration_value"] / 1000
    reps = s.get("duration_reps", s.get("duration_value")) if duration == "reps" else None
    weight = s.get("exercise_weight")
    return Step(
        s["message_index"],
        "rest" if s.get("intensity") == "rest" else "exercise",
        name=s.get("wkt_step_name"),
        reps=None if reps is None else int(reps),
        seconds=None if seconds is None else float(seconds),
        category=s.get("exercise_category"),
        exercise_name=s.get("exercise_name"),
        weight_kg=None if weight is None else round(float(weight), 2),
    )


def expected_steps(exercises: Sequence[dict[str, Any]]) -> list[Step]:
    """What a plan's exercises (WeekPlan JSON) must become, step by step."""
    from recommender.fit_exercises import fit_exercise

    out: list[Step] = []
    for rx in exercises:
        first = len(out)
        fit = fit_exercise(rx["id"])
        number = None
        if fit is not None:
            names = Profile["types"][f"{fit.category}_exercise_name"]
            number = next(k for k, v in names.items() if v == fit.name)
        out.append(
            Step(
                first,
                "exercise",
                name=rx["name"],
                reps=rx["reps"] or None,
                seconds=float(rx["seconds"]) if not rx["reps"] and rx["seconds"] else None,
                category=fit.category if fit else None,
                exercise_name=number,
                weight_kg=rx["load_kg"],
            )
        )
        if rx["rest_s"]:
            out.append(Step(len(out), "rest", name="Rest", seconds=float(rx["rest_s"])))
        if rx["sets"] > 1:
            out.append(Step(len(out), "repeat", back_to=first, count=rx["sets"]))
    return out
