"""Issue 11, the load side: a coach's scenarios, one per finding (1, 2, 3, 4, 5, 10, 12, 14, 15).

Each athlete is built from the factories and planned through ``plan_week`` (finding 3 also through
the API). Each test failed on the old main (7a45fac) with the figures the issue reports."""

from __future__ import annotations

from collections.abc import Iterable
from datetime import date, timedelta
from pathlib import Path
from typing import Any

import pandas as pd
import pytest

from recommender import plan_week, week_start_for
from recommender.templates import MAIN_LIFTS
from recommender.types import Checkin, Race, Session, StrengthEntry, StrengthSet, WeekPlan
from tests.dose_factories import main_lifts, plan, race_in
from tests.recommender_factories import PLAN_WEEK, Run, activity, frame, make_history, profile

SUNDAY_LONG = {"tuesday": "hard", "thursday": "easy", "saturday": "easy", "sunday": "long"}
GOAL = (Race(PLAN_WEEK + timedelta(weeks=12), "goal", 50.0, 2500.0),)  # build for 6+ weeks
TRAINED = profile(lifting_experience="trained", races=GOAL)


def lifted(week: date, reps: tuple[int, ...] = (5, 5, 7), kg: float = 100.0) -> list[StrengthEntry]:
    """The two main lifts logged on the Wednesdays of the two weeks before ``week``."""
    return [
        StrengthEntry(week - timedelta(days=d), lift, tuple(StrengthSet(r, kg) for r in reps))
        for lift in MAIN_LIFTS
        for d in (5, 12)
    ]


def heavy(p: WeekPlan) -> Session:
    return next(s for s in p.sessions if s.kind == "heavy_legs" and not s.done)


def dose(p: WeekPlan) -> list[tuple[str, int, int | None, float | None]]:
    return [(e.id, e.sets, e.reps, e.load_kg) for e in heavy(p).exercises]


def ids(p: WeekPlan) -> list[str]:
    return [r.rule for r in p.rationale]


def cuts(p: WeekPlan) -> set[str]:
    """L2/L4 lines that cut (not the data-gap or too-little-data notes)."""
    notes = ("data gap", "too little data")
    return {
        r.rule
        for r in p.rationale
        if r.rule in ("L2", "L4") and not any(n in r.text for n in notes)
    }


def test_a_steady_runner_is_not_cut_week_after_week() -> None:
    history = make_history(12, SUNDAY_LONG, before=PLAN_WEEK + timedelta(weeks=4))
    for k in range(4):  # weeks 9–12 of identical weeks, each planned on its Monday
        week = PLAN_WEEK + timedelta(weeks=k)
        p = plan_week(history, TRAINED, week_start=week, as_of=week, strength_log=lifted(week))
        assert p.inputs.acwr is not None and 0.9 <= p.inputs.acwr <= 1.1, week  # old: 1.33
        assert not cuts(p), [r.text for r in p.rationale]
        assert [e.sets for e in main_lifts(heavy(p))] == [4, 4]
        assert [e.load_kg for e in main_lifts(heavy(p))] == [102.5, 102.5]  # 2-for-2 progressed


def test_the_week_start_alone_does_not_change_the_dose() -> None:
    history = make_history(10, SUNDAY_LONG, before=PLAN_WEEK + timedelta(days=2))
    wednesday = PLAN_WEEK + timedelta(days=2)
    plans = {}
    for first in ("monday", "sunday", "saturday"):
        start = week_start_for(wednesday, first)
        athlete = profile(
            lifting_experience="trained", races=GOAL, week_start=first, strength_days=("wednesday",)
        )
        plans[first] = plan_week(
            history, athlete, week_start=start, as_of=start, strength_log=lifted(start)
        )
    acwr = {k: p.inputs.acwr for k, p in plans.items()}  # old: 1.33, 1.13, 0.77
    assert all(a is not None and 0.9 <= a <= 1.1 for a in acwr.values()), acwr
    assert {p.heavy_leg_day for p in plans.values()} == {wednesday}
    assert dose(plans["monday"]) == dose(plans["sunday"]) == dose(plans["saturday"])


def with_trimp(df: pd.DataFrame, weeks: Iterable[int]) -> pd.DataFrame:
    """TRIMP (≈ 8 × km-effort, a strap's figure) on the runs of the given weeks before PLAN_WEEK."""
    df = df.copy()
    days = pd.to_datetime(df["local_date"])
    week = (pd.Timestamp(PLAN_WEEK) - days).dt.days // 7
    mask = week.isin(list(weeks))
    df.loc[mask, "trimp"] = df.loc[mask, "km_effort"] * 8.0
    return df


def test_heart_rate_data_on_alternate_weeks_does_not_look_like_a_spike() -> None:
    runs = make_history(10, SUNDAY_LONG)
    plans = {
        name: plan_week(
            df, TRAINED, week_start=PLAN_WEEK, as_of=PLAN_WEEK, strength_log=lifted(PLAN_WEEK)
        )
        for name, df in {
            "no strap": runs,
            "strap every week": with_trimp(runs, range(10)),
            "strap on alternate weeks": with_trimp(runs, range(0, 10, 2)),
            "strap on the other weeks": with_trimp(runs, range(1, 10, 2)),
        }.items()
    }
    base = plans["no strap"]
    for name, p in plans.items():  # old: 1.63 / 0.61 with the strap on alternate weeks
        assert p.inputs.acwr == pytest.approx(base.inputs.acwr, abs=0.1), name
        assert dose(p) == dose(base), name


def test_new_heart_rate_figures_in_the_profile_leave_acwr_within_0_1(tmp_path: Path) -> None:
    from datetime import UTC, datetime

    from tests.api_support import api_client, new_athlete, settings_for
    from tests.export_factories import treadmill_fit
    from tests.test_profile_follows import settled

    week = date(2026, 3, 2)  # a Monday
    with api_client(settings_for(tmp_path / "data")) as client:
        _, auth = new_athlete(client, "Hr")
        for w in range(1, 7):
            for day, km in ((1, 8.0), (3, 8.0), (6, 16.0)):
                when = datetime.combine(week - timedelta(weeks=w, days=-day), datetime.min.time())
                fit = treadmill_fit(when.replace(hour=7, tzinfo=UTC), km=km, minutes=int(km * 5))
                up = client.post("/v1/activities", files={"file": ("r.fit", fit)}, headers=auth)
                assert up.status_code == 201, up.text
        url = f"/v1/recommendation?week={week}&as_of={week}"
        before = client.get(url, headers=auth).json()
        patched = client.patch("/v1/me", json={"hr_rest": 50, "hr_max": 190}, headers=auth)
        assert patched.status_code == 200, patched.text
        settled(client, auth)
        after = client.get(url, headers=auth).json()
    assert before["inputs"]["acwr"] is not None
    assert after["inputs"]["acwr"] == pytest.approx(before["inputs"]["acwr"], abs=0.1)
    # the heavy session's dose is the same (HR may re-read which runs were hard: the week's shape)
    assert heavy_json(after) == heavy_json(before)


def heavy_json(p: dict[str, Any]) -> list[tuple[str, int, int | None]]:
    session = next(s for s in p["sessions"] if s["kind"] == "heavy_legs")
    return [(e["id"], e["sets"], e["reps"]) for e in session["exercises"]]


def test_one_week_without_files_costs_at_most_one_week_of_reduced_dose() -> None:
    history = make_history(12, SUNDAY_LONG, before=PLAN_WEEK + timedelta(weeks=4))
    days = pd.to_datetime(history["local_date"])
    gap = (days >= pd.Timestamp(PLAN_WEEK - timedelta(weeks=1))) & (days < pd.Timestamp(PLAN_WEEK))
    history = history[~gap].reset_index(drop=True)  # the week before PLAN_WEEK: no files
    reduced, seen = [], False
    for k in range(5):
        week = PLAN_WEEK + timedelta(weeks=k)
        p = plan_week(history, TRAINED, week_start=week, as_of=week, strength_log=lifted(week))
        if cuts(p) or [e.sets for e in main_lifts(heavy(p))] != [4, 4]:
            reduced.append(week)  # old: 0.26, then 1.39, 1.38, 1.31 → 4 weeks cut
        if k == 0:
            seen = any("data gap" in r.text for r in p.rationale)
    assert len(reduced) <= 1, reduced
    assert seen


def test_a_ten_percent_weekly_build_does_not_fire_l4() -> None:
    rows = []
    start = PLAN_WEEK - timedelta(weeks=10)
    for w in range(14):
        f = 1.1**w
        for day, run in ((1, Run(km=10 * f)), (3, Run(km=8 * f)), (6, Run(km=20 * f))):
            rows.append(activity(start + timedelta(days=7 * w + day), run))
    history = frame(rows)
    for k in range(4):  # weeks 11–14 of the build: old L4 fired on every one
        week = PLAN_WEEK + timedelta(weeks=k)
        p = plan_week(history, TRAINED, week_start=week, as_of=week)
        assert "L4" not in ids(p), [r.text for r in p.rationale if r.rule == "L4"]
        assert [e.sets for e in main_lifts(heavy(p))] == [4, 4]


def test_when_l2_and_l4_both_fire_both_are_cited_and_the_stronger_cut_applies() -> None:
    result = plan(races=[race_in(56)], acwr=1.32, ctl=60.0, tsb=-33.0)
    l2 = next(r.text for r in result.rationale if r.rule == "L2")
    l4 = next(r.text for r in result.rationale if r.rule == "L4")
    assert "1.32" in l2 and "weaker than L4" in l2  # old: only L4 was written
    assert "TSB -33.0" in l4 or "TSB −33.0" in l4 or "TSB -33" in l4
    assert "strongest" in l4
    assert [e.sets for e in main_lifts(next(s for s in result.sessions if s.kind == "heavy_legs"))]


def checkins(nights: dict[int, float], soreness: dict[int, float] | None = None) -> list[Checkin]:
    """Check-ins ``d`` days before PLAN_WEEK."""
    sore = soreness or {}
    days = set(nights) | set(sore)
    return [
        Checkin(PLAN_WEEK - timedelta(days=d), sleep_hours=nights.get(d), soreness=sore.get(d))
        for d in sorted(days)
    ]


def test_r1_needs_three_nights_cuts_volume_20_to_25_pct_and_drops_drop_jumps_when_sore() -> None:
    history = make_history(10, SUNDAY_LONG)
    log = lifted(PLAN_WEEK) + [
        e
        for w in range(2, 6)
        for e in lifted(PLAN_WEEK - timedelta(weeks=w))  # 6 weeks of lifting: drop jumps (D3)
    ]

    def planned(c: list[Checkin]) -> WeekPlan:
        return plan_week(
            history, TRAINED, week_start=PLAN_WEEK, as_of=PLAN_WEEK, strength_log=log, checkins=c
        )

    rested = planned([])
    one_night = planned(checkins({2: 4.0}))  # old: "7-day sleep 4.0 h" → R1
    assert "R1" not in ids(one_night) and dose(one_night) == dose(rested)
    from recommender.volume import rx_volume  # the hard-set-equivalent unit (issue 11)

    tired = planned(checkins({d: 5.0 for d in range(1, 8)}, {1: 8.0}))
    cut = 1 - rx_volume(heavy(tired).exercises) / rx_volume(heavy(rested).exercises)
    assert 0.20 <= cut <= 0.30, cut  # old: weekly sets −9 %
    assert [e.sets for e in main_lifts(heavy(tired))] == [3, 3]
    # Six logged weeks rotate the main lifts (front squat + deadlift, issue 11 finding 13): their
    # loads start from the partners' e1RM, and R1 adds no increase on top of that start.
    assert [e.load_kg for e in main_lifts(heavy(tired))] == [
        e.load_kg for e in main_lifts(heavy(rested))
    ]
    assert any("no progression" in r.text for r in tired.rationale if r.rule == "R1")
    assert "drop_jumps" in [e.id for e in heavy(rested).exercises]
    assert "drop_jumps" not in [e.id for e in heavy(tired).exercises]  # old: kept
    texts = [r.text for r in tired.rationale if r.rule == "R1"]
    assert any("5.0 h over 7 nights" in t for t in texts) and any("soreness 8" in t for t in texts)


def test_change_vs_last_week_is_the_same_whatever_day_it_is_asked_and_weights_sets() -> None:
    history = make_history(10, SUNDAY_LONG, before=PLAN_WEEK + timedelta(days=6))
    changes = {
        d: plan_week(
            history, TRAINED, week_start=PLAN_WEEK, as_of=PLAN_WEEK + timedelta(days=d)
        ).totals.change_vs_last_week_pct
        for d in (0, 1, 3, 4)  # Mon, Tue, Thu, Fri; nothing logged (old: 0, −26, −57, −26)
    }
    assert len(set(changes.values())) == 1, changes
    from recommender.volume import set_weight  # the hard-set-equivalent unit (issue 11)

    squat = set_weight("back_squat", reps=5, seconds=None, percent=85.0, rpe=None)
    mobility = set_weight("hip_mobility", reps=None, seconds=300, percent=None, rpe=None)
    assert mobility < squat / 5


def test_the_week_after_a_race_does_not_read_as_a_233_pct_increase() -> None:
    race = Race(PLAN_WEEK - timedelta(days=13), "B race", 21.0, 600.0, priority="B")
    athlete = profile(lifting_experience="trained", races=(race, *GOAL))
    history = make_history(10, SUNDAY_LONG)
    for k in range(3):
        week = PLAN_WEEK - timedelta(weeks=1 - k)
        p = plan_week(history, athlete, week_start=week, as_of=week)
        change = p.totals.change_vs_last_week_pct
        assert change is None or abs(change) <= 100, (week, change)  # old: +233 %
        assert p.inputs.extra["change_basis"]


def test_a_plan_from_no_data_says_so_and_cites_no_ratios() -> None:
    few = frame([activity(PLAN_WEEK - timedelta(days=d)) for d in (2, 5, 9)])
    for history in (frame([]), few):
        p = plan_week(history, TRAINED, week_start=PLAN_WEEK, as_of=PLAN_WEEK)
        texts = [r.text for r in p.rationale]
        assert any("too little data" in t for t in texts)
        assert not any("no long run found" in t or "0 d from the long run" in t for t in texts)
        assert not {"L3", "L4"} & set(ids(p))
        assert not any("ACWR" in t and "→" in t and "too little" not in t for t in texts)
        assert p.inputs.acwr is None and p.inputs.extra["too_little_data"]


def test_s6_lists_only_the_relaxations_the_chosen_day_needed() -> None:
    # Monday is the only strength day and Tuesday is hard: only the 2-day gap to a hard session
    # needs relaxing (the long-run gap can no longer be relaxed: issue 11 finding 6).
    history = make_history(8, {"tuesday": "hard", "thursday": "easy", "saturday": "long"})
    athlete = profile(lifting_experience="trained", strength_days=("monday",))
    p = plan_week(history, athlete, week_start=PLAN_WEEK, as_of=PLAN_WEEK)
    relaxed = [r.text for r in p.rationale if r.rule == "S6" and "relaxed the" in r.text]
    assert len(relaxed) == 1 and "hard session" in relaxed[0], relaxed  # old: also D7 and S4
