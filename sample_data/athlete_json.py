"""Sam's profile, weekly strength log and daily check-ins, as the bodies the API accepts
(PATCH /v1/me, POST /v1/strength-log, POST /v1/checkins)."""

from __future__ import annotations

from datetime import date, timedelta

import numpy as np

WEEKDAYS = ["monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday"]
# The long run on Sunday: once in week 5, then for good from week 9 (the club moved it); in those
# weeks Sam lifts on Tuesday instead of Monday (not the day after the long run).
SUNDAY_LONG_RUN_WEEKS = {5, 9, 10, 11, 12}
SHORT_SLEEP_WEEKS = {6, 10}  # a work deadline and a sick child: < 7 h a night on average

# Per week 1..12: (back squat kg, sets); the other lifts follow the same waves.
SQUAT = [(80, 4), (80, 4), (82.5, 4), (72.5, 3), (82.5, 4), (85, 4), (85, 4), (87.5, 4),
         (80, 3), (87.5, 4), (90, 4), (85, 3)]  # fmt: skip
RDL = [70, 70, 72.5, 65, 72.5, 75, 75, 77.5, 72.5, 77.5, 80, 75]
SPLIT_SQUAT = [20, 20, 22, 16, 22, 24, 24, 26, 22, 26, 28, 24]  # both dumbbells together
STEP_UP = [16, 16, 18, 14, 18, 20, 20, 22, 18, 22, 24, 20]


def profile() -> dict:
    return {
        "name": "Sam",
        "timezone": "Europe/Zurich",
        "week_start": "monday",
        "strategy": "separate",
        "strength_days": WEEKDAYS,
        "long_run_day": None,
        "hard_days": None,
        "sex": "male",
        "hr_rest": 50,
        "hr_max": 188,
        "lifting_experience": "trained",
        "races": [
            {
                "date": "2026-12-20",
                "name": "Zurich Winter Trail",
                "distance_km": 30,
                "ascent_m": 1500,
                "priority": "A",
            }
        ],
    }


def _sets(n: int, reps: int, load: float, rpe: float) -> list[dict]:
    last = n - 1
    return [
        {"reps": reps, "load_kg": load, "rpe": rpe + (0.5 if i == last else 0)} for i in range(n)
    ]


def strength_log(first_monday: date) -> list[dict]:
    entries = []
    for week in range(1, 13):
        offset = 1 if week in SUNDAY_LONG_RUN_WEEKS else 0
        day = (first_monday + timedelta(weeks=week - 1, days=offset)).isoformat()
        load, n = SQUAT[week - 1]
        rpe = 7.0 if load < 85 else 7.5 if load < 90 else 8.0
        i = week - 1
        entries += [
            {"date": day, "exercise": "back_squat", "sets": _sets(n, 5, load, rpe)},
            {"date": day, "exercise": "romanian_deadlift", "sets": _sets(3, 6, RDL[i], rpe)},
            {"date": day, "exercise": "split_squat", "sets": _sets(3, 8, SPLIT_SQUAT[i], rpe)},
            {"date": day, "exercise": "step_up", "sets": _sets(n - 1, 8, STEP_UP[i], rpe - 0.5)},
        ]
    return entries


NOTES = {
    "2026-10-12": "deadline week at work, short nights",
    "2026-11-01": "quads wrecked after the Braunwald descent, stairs hurt",
    "2026-11-02": "still sore going downstairs",
    "2026-11-09": "kid sick, up at night",
}


SORE_AFTER_DESCENT = {"2026-11-01": 7, "2026-11-02": 6, "2026-11-03": 4}


def checkins(first_monday: date, seed: int) -> list[dict]:
    rng = np.random.default_rng([seed, 999])
    entries = []
    for n in range(84):
        day = first_monday + timedelta(days=n)
        week = n // 7 + 1
        sleep = rng.normal(6.4 if week in SHORT_SLEEP_WEEKS else 7.5, 0.4)
        skipped = rng.random() < 0.1
        soreness = int(np.clip(round(rng.normal(2.0, 1.0)), 0, 10))
        sunday_long = week in SUNDAY_LONG_RUN_WEEKS
        if (day.weekday() == 6 and not sunday_long) or (
            day.weekday() == 0 and week - 1 in SUNDAY_LONG_RUN_WEEKS
        ):
            soreness += 1  # the day after a long run
        soreness = SORE_AFTER_DESCENT.get(day.isoformat(), soreness)
        if skipped and day.isoformat() not in NOTES:
            continue
        entry: dict = {"date": day.isoformat(), "sleep_hours": round(float(sleep), 1)}
        entry["soreness"] = soreness
        if day.isoformat() in NOTES:
            entry["note"] = NOTES[day.isoformat()]
        entries.append(entry)
    return entries
