"""Issue 11, the dose and calendar side: a coach's scenario per finding (6, 7, 8, 9, 11, 13), each
named as the sentence it checks, plus property tests for the hard calendar rules and equipment.
Every scenario fails on the old main (7a45fac) and passes here."""

from __future__ import annotations

from datetime import date, timedelta
from itertools import chain, combinations

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from recommender.catalogue import exercise
from recommender.plan import plan_week
from recommender.types import WEEKDAYS, DoseResult, Race, StrengthEntry, StrengthSet, WeekPlan
from tests.dose_factories import WEEK, day, heavy_session, logged, main_lifts, plan, race_in
from tests.recommender_factories import LONG, Run, make_history, profile

SUNDAY_LONG = {"tuesday": "hard", "thursday": "easy", "saturday": "easy", "sunday": "long"}
BUILD = [race_in(56)]
EQUIPMENT = ("barbell", "dumbbells", "kettlebell", "box", "bands", "pullup_bar")  # DESIGN.md
# What each profile word grants (docs/recommender-method.md, "Dose, calendar and equipment"):
GRANTS = {
    "barbell": {"barbell", "plate"},
    "dumbbells": {"dumbbell"},
    "kettlebell": {"kettlebell", "dumbbell"},
    "box": {"box"},
    "bands": {"band"},
    "pullup_bar": {"bar"},
}
ALWAYS = {"bodyweight", "wall", "step", "bench"}


def exercises(result: DoseResult | WeekPlan) -> list:
    return [e for s in result.sessions for e in s.exercises]


def weekly_log(lifts: tuple[str, ...], weeks: list[date], reps=(5, 5, 5), kg=100.0):
    return tuple(logged(lift, w, reps, kg) for lift in lifts for w in weeks)


# --- Finding 6: hard scheduling rules hold in every re-plan ---------------------------------


def test_a_heavy_day_missed_midweek_is_never_moved_onto_the_sunday_long_run() -> None:
    history = make_history(6, SUNDAY_LONG)
    prof = profile(lifting_experience="trained")
    for as_of in (WEEK + timedelta(days=4), WEEK + timedelta(days=5), WEEK + timedelta(days=6)):
        p = plan_week(history, prof, week_start=WEEK, as_of=as_of)
        assert p.heavy_leg_day is None, (as_of, p.heavy_leg_day)
        assert [s for s in p.sessions if s.kind == "light"], as_of  # still a light session
        assert any(r.rule == "S6" and "light session" in r.text for r in p.rationale)


def test_a_heavy_day_missed_on_tuesday_moves_to_another_legal_day_before_the_long_run() -> None:
    history = make_history(6, SUNDAY_LONG)
    p = plan_week(history, profile(), week_start=WEEK, as_of=WEEK + timedelta(days=3))
    assert p.heavy_leg_day == WEEK + timedelta(days=3)  # Thursday: 3 days before Sunday


@settings(max_examples=30, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(
    as_of=st.integers(0, 6),
    lr=st.sampled_from(WEEKDAYS),
    strategy=st.sampled_from(["separate", "stack"]),
    novel=st.booleans(),
    race_day=st.one_of(st.none(), st.integers(-3, 9)),
)
def test_no_replan_on_any_weekday_puts_heavy_legs_on_or_next_to_a_long_run_race_or_descent(
    as_of: int, lr: str, strategy: str, novel: bool, race_day: int | None
) -> None:
    pattern: dict[str, str | Run] = {lr: "long"}
    pattern[WEEKDAYS[(WEEKDAYS.index(lr) + 3) % 7]] = "hard"
    extra = []
    if novel:  # a big descent the Sunday before the week
        from tests.recommender_factories import activity

        extra.append(activity(WEEK - timedelta(days=1), LONG, descent_load_m=2500.0))
    history = make_history(6, pattern, extra=extra)
    races = () if race_day is None else (Race(WEEK + timedelta(days=race_day), "B", 21.0),)
    prof = profile(strategy=strategy, races=races, lifting_experience="trained")
    p = plan_week(history, prof, week_start=WEEK, as_of=WEEK + timedelta(days=as_of))
    heavy = [s.date for s in p.sessions if s.kind == "heavy_legs" and not s.done]
    if not heavy:
        return
    d = heavy[0]
    long_runs = {d2 for d2 in (WEEK + timedelta(days=k) for k in range(-7, 21))}
    lr_days = {x for x in long_runs if WEEKDAYS[x.weekday()] == p.inputs.long_run_day}
    assert not any(0 <= (x - d).days <= 2 for x in lr_days), (d, p.rationale)
    for r in races:
        assert not 0 <= (r.date - d).days <= 2 and not 1 <= (d - r.date).days <= 2
    for n in p.inputs.novel_descent_dates:
        assert not 1 <= (d - n).days <= 2


# --- Finding 7: every race gets its taper ----------------------------------------------------


def test_three_days_before_a_steep_b_race_the_heavy_day_has_no_drop_jumps_or_eccentrics() -> None:
    a_race = race_in(56, km=60, ascent_m=3000, descent_m=3000)
    b_race = race_in(5, km=25, ascent_m=1500, descent_m=1500, priority="B", name="B race")
    result = plan(races=[a_race, b_race], max_weekly_descent_load_6w_m=300.0)
    heavy = heavy_session(result)
    assert heavy is not None
    assert "drop_jumps" not in {e.id for e in heavy.exercises}
    assert not any(exercise(e.id).eccentric_emphasis for e in heavy.exercises)
    assert all(exercise(e.id).plyo_intensity in (None, "low") for e in heavy.exercises)
    assert [e.sets for e in main_lifts(heavy)] == [2, 2]  # 4 → 2: heavy volume −50 %
    window = [s for s in result.sessions if 0 < (b_race.date - s.date).days <= 7]
    assert sum(s.foot_contacts for s in window) <= 30


# --- Finding 8: return from a break ----------------------------------------------------------


def test_week_one_back_after_two_weeks_off_cuts_a_set_the_loads_and_half_the_jumps() -> None:
    weeks = [WEEK - timedelta(days=7 * k) for k in (3, 4, 5)]  # then 2 calendar weeks off
    log = weekly_log(("back_squat", "romanian_deadlift"), weeks, (10, 10, 12), 60.0)
    fresh = plan(
        strength_log=weekly_log(("back_squat", "romanian_deadlift"), [WEEK - timedelta(7)])
    )
    back = plan(strength_log=log)
    heavy, full = heavy_session(back), heavy_session(fresh)
    assert heavy is not None and full is not None
    assert [e.sets for e in main_lifts(heavy)] == [3, 3]  # base 4 → 3
    assert [e.load_kg for e in main_lifts(heavy)] == [57.5, 57.5]  # 60 −5 %, no progression
    assert heavy.foot_contacts <= 0.5 * full.foot_contacts
    assert all(exercise(e.id).plyo_intensity in (None, "low") for e in heavy.exercises)


def test_the_comeback_builds_back_over_three_weeks_with_jumps_rising_week_by_week() -> None:
    before = [WEEK - timedelta(days=7 * k) for k in (4, 5, 6)]
    contacts, sets = [], []
    for k in range(3):
        week = WEEK + timedelta(days=7 * k)
        done = [WEEK + timedelta(days=7 * j + 2) for j in range(k)]
        log = weekly_log(("back_squat", "romanian_deadlift"), before + done, (10, 10, 10), 60.0)
        heavy = heavy_session(plan(week_start=week, strength_log=log))
        assert heavy is not None
        contacts.append(heavy.foot_contacts)
        sets.append(main_lifts(heavy)[0].sets)
    assert contacts[0] < contacts[1] < contacts[2] and sets == [3, 4, 4]


def test_weeks_off_are_calendar_weeks_whatever_the_weekday_of_the_last_lift() -> None:
    loads = []
    for last in (WEEK - timedelta(days=21), WEEK - timedelta(days=15)):  # Mon or Sun, same week
        log = weekly_log(("back_squat", "romanian_deadlift"), [last], (10, 10, 10), 60.0)
        loads.append([e.load_kg for e in main_lifts(heavy_session(plan(strength_log=log)))])
    assert loads[0] == loads[1] == [57.5, 57.5]


# --- Finding 9: session size -----------------------------------------------------------------


def test_every_heavy_day_fits_in_an_hour_with_two_to_four_lower_body_lifts() -> None:
    descent = {"max_weekly_descent_load_6w_m": 0.0}
    for races in ([], BUILD, [race_in(28)], [race_in(10)]):
        steep = [race_in(r.date.toordinal() - WEEK.toordinal(), descent_m=3000) for r in races]
        result = plan(races=steep, strength_weeks=8, **descent)
        heavy = heavy_session(result)
        assert heavy is not None and heavy.duration_min is not None
        assert heavy.duration_min <= 60, races
        lower = [
            e
            for e in heavy.exercises
            if e.focus in ("squat", "single_leg", "strength_endurance")
            or e.id in ("romanian_deadlift", "deadlift", "calf_raise", "single_leg_rdl")
        ]
        assert 2 <= len(lower) <= 4, [e.id for e in lower]
        assert all(s.duration_min and s.duration_min > 0 for s in result.sessions)


def test_peak_weeks_hold_less_strength_volume_than_build_weeks() -> None:
    build, peak = plan(races=BUILD), plan(races=[race_in(28)])
    assert peak.totals.sets < build.totals.sets
    assert peak.totals.heavy_sets < build.totals.heavy_sets


# --- Finding 11: D7 novice weeks -------------------------------------------------------------


def test_a_novice_in_week_one_gets_at_most_two_sets_of_everything_and_half_the_jumps() -> None:
    trained = plan(experience="novice", strength_weeks=8)
    result = plan(experience="novice", strength_weeks=0)
    assert all(e.sets <= 2 for e in exercises(result))
    assert all(exercise(e.id).plyo_intensity in (None, "low") for e in exercises(result))
    for new, old in zip(result.sessions, trained.sessions, strict=True):
        assert new.foot_contacts <= 0.5 * old.foot_contacts


# --- Finding 13: equipment and rotation ------------------------------------------------------


def _subsets() -> list[tuple[str, ...]]:
    return list(chain.from_iterable(combinations(EQUIPMENT, n) for n in range(len(EQUIPMENT) + 1)))


def test_an_athlete_without_a_barbell_never_gets_a_barbell_lift() -> None:
    for races in ([], BUILD, [race_in(28)]):
        result = plan(races=races, equipment=("dumbbells",))
        assert not any("barbell" in exercise(e.id).equipment for e in exercises(result))
        heavy = heavy_session(result)
        assert heavy is not None and {e.id for e in main_lifts(heavy)} <= {
            "goblet_squat",
            "single_leg_rdl",
            "bulgarian_split_squat",
        }


@settings(max_examples=40, deadline=None)
@given(
    equipment=st.sampled_from(_subsets()),
    races=st.sampled_from([(), tuple(BUILD), (race_in(28),), (race_in(10),), (race_in(4),)]),
    novice=st.booleans(),
    d5=st.booleans(),
)
def test_every_prescribed_exercise_is_doable_with_the_athletes_equipment(
    equipment: tuple[str, ...], races: tuple[Race, ...], novice: bool, d5: bool
) -> None:
    have = set(ALWAYS).union(*(GRANTS[e] for e in equipment))
    result = plan(
        races=races,
        equipment=equipment,
        experience="novice" if novice else "trained",
        strength_weeks=0 if novice else 8,
        max_weekly_descent_load_6w_m=0.0 if d5 else 5000.0,
    )
    for e in exercises(result):
        assert set(exercise(e.id).equipment) <= have, (equipment, e.id)
    heavy = heavy_session(result)
    if heavy is not None:
        assert len(main_lifts_any(heavy)) >= 2


def main_lifts_any(session) -> list:
    return [e for e in session.exercises if e.id in MAIN_IDS]


MAIN_IDS = {
    "back_squat",
    "romanian_deadlift",
    "front_squat",
    "deadlift",
    "goblet_squat",
    "single_leg_rdl",
    "bulgarian_split_squat",
    "bodyweight_split_squat",
    "cossack_squat",
}


def test_main_lifts_rotate_after_four_weeks_and_progression_carries_back_to_the_old_lift() -> None:
    first = [WEEK - timedelta(days=7 * k - 2) for k in range(1, 5)]  # 4 weeks of back squat
    log: tuple[StrengthEntry, ...] = weekly_log(
        ("back_squat", "romanian_deadlift"), first, (5, 5, 7), 100.0
    )
    block2 = heavy_session(plan(races=BUILD, strength_log=log))
    assert block2 is not None
    assert {e.id for e in main_lifts_any(block2)} == {"front_squat", "deadlift"}
    front = next(e for e in block2.exercises if e.id == "front_squat")
    assert front.load_kg is not None and 80.0 <= front.load_kg <= 90.0  # from the back squat
    peak = heavy_session(plan(races=[race_in(28)], strength_log=log))
    assert peak is not None and "back_squat" in {e.id for e in peak.exercises}  # no new lift
    second = [WEEK + timedelta(days=7 * k + 2) for k in range(4)]
    log += weekly_log(("front_squat", "deadlift"), second, (5, 5, 5), 80.0)
    back = WEEK + timedelta(days=28)
    block3 = heavy_session(plan(races=[race_in(56 + 28)], week_start=back, strength_log=log))
    assert block3 is not None
    squat = next(e for e in block3.exercises if e.id == "back_squat")
    assert squat.load_kg == 102.5  # the 2-for-2 met before the rotation still counts (D6)


def test_a_novice_keeps_the_same_two_lifts_while_learning_them() -> None:
    weeks = [WEEK - timedelta(days=7 * k - 2) for k in range(1, 7)]
    log = weekly_log(("back_squat", "romanian_deadlift"), weeks)
    heavy = heavy_session(plan(experience="novice", strength_log=log, strength_weeks=6))
    assert heavy is not None
    assert {e.id for e in main_lifts_any(heavy)} == {"back_squat", "romanian_deadlift"}


def test_imperial_loads_are_rounded_to_five_pounds_and_given_in_both_units() -> None:
    log = weekly_log(("back_squat", "romanian_deadlift"), [day(-5)], (10, 10, 10), 61.0)
    heavy = heavy_session(plan(strength_log=log, units="imperial"))
    assert heavy is not None
    for e in main_lifts(heavy):
        assert e.load_lb is not None and e.load_lb % 5 == 0
        assert abs(e.load_kg * 2.20462 - e.load_lb) < 0.2


# --- Beyond the findings: spacing across weeks, soreness ---------------------------------------


def test_a_heavy_session_logged_late_last_week_keeps_72_hours_from_the_next() -> None:
    history = make_history(6)  # long run Saturday, intervals Tuesday
    prof = profile(lifting_experience="trained", strength_days=("monday", "thursday"))
    free = plan_week(history, prof, week_start=WEEK, as_of=WEEK)
    assert free.heavy_leg_day == WEEK  # Monday: Thursday is 2 days before the long run
    log = weekly_log(("back_squat",), [WEEK - timedelta(days=2)])  # Saturday evening
    spaced = plan_week(history, prof, week_start=WEEK, as_of=WEEK, strength_log=log)
    assert spaced.heavy_leg_day is None
    assert any(r.rule == "S1" and "72 h" in r.text for r in spaced.rationale)


def test_soreness_of_7_removes_the_eccentric_emphasis_work() -> None:
    steep = [race_in(56, km=60, ascent_m=3000, descent_m=3000)]
    fresh = plan(races=steep, max_weekly_descent_load_6w_m=0.0)
    sore = plan(races=steep, max_weekly_descent_load_6w_m=0.0, soreness_recent=8.0)
    assert any(exercise(e.id).eccentric_emphasis for e in exercises(fresh))
    assert heavy_session(sore) is not None
    assert not any(exercise(e.id).eccentric_emphasis for e in exercises(sore))


def test_a_dumbbell_heavy_day_logged_as_planned_counts_as_the_weeks_heavy_session() -> None:
    history = make_history(6, SUNDAY_LONG)
    prof = profile(lifting_experience="trained", equipment=("dumbbells", "box"))
    first = plan_week(history, prof, week_start=WEEK, as_of=WEEK)
    day_ = first.heavy_leg_day
    assert day_ is not None
    heavy = next(s for s in first.sessions if s.date == day_)
    log = tuple(
        StrengthEntry(day_, e.id, tuple(StrengthSet(e.reps, e.load_kg) for _ in range(e.sets)))
        for e in heavy.exercises
        if e.reps
    )
    after = plan_week(
        history, prof, week_start=WEEK, as_of=day_ + timedelta(days=1), strength_log=log
    )
    done = next(s for s in after.sessions if s.date == day_)
    assert done.done and done.kind == "heavy_legs"  # goblet squat + single-leg RDL, as planned
    assert after.heavy_leg_day in (None, day_)  # no second heavy day this week
