"""Which day gets the heavy leg session, and which days the light ones (RULES.md §3, D7, L3).

Calendar forms [D] (lifts in the evening, runs in the morning, timestamps unknown):
- S3: gap from the heavy day to the next long run, key session (S7 spike) or race ≥ 3 days; to the
  next other hard session ≥ 2 days (the same day is fine: stack lifts after the run).
- D7 (novice, < 2 weeks of logged strength): gap to the next long run/key session ≥ 4 days
  (evening lift → morning run 4 days later ≈ 86 h ≥ 72 h; 3 days would be ≈ 62 h).
- S4: days +1 and +2 after a novel descent or a race: no heavy legs; days +1…+3 go to the dose
  as ``eccentric_block_dates`` (no eccentric emphasis, no plyo). Heavy on day +3 is always allowed
  with that restriction, so the "S4 day+3" step of the S6 relaxation is a no-op here.
- Hard constraints, never relaxed: an available strength day, not already past, ≥ 72 h after the
  last heavy session logged the week before (S1 spacing across the week boundary), not in race week
  (P5), not after PhaseInfo.last_heavy_date (P4), not before PhaseInfo.no_heavy_until (P6), ≥ 3 days
  before a race or long run (the long-run day itself included) and not 1–2 days after a race or a
  novel descent [D, issue 11 finding 6: the S3 long-run gap and the S4 48 h were soft; a re-plan
  after a missed heavy day then put heavy legs on the long-run day]. If none is left, there is no
  heavy day this week: light sessions, and an S6 line that says why.
- S6: if no day passes every soft rule, relax in the order S3 hard-session gap → D7 (S5 and S2
  are preferences, relaxed before these at no cost); among the days that pass, the
  fewest-violation ones are kept; then volume −25 %. Falling back from stack to separate (no legal
  stack target) is reported as S2 but does not cut volume.
- Strategy: stack (S2, or when 7-day monotony > 2.0, L3) → a legal hard day (the long-run day is
  never one now); ties → farthest from the long run, then earliest.
  Separate (S5) → largest circular weekday distance to the week's long run; tie → the day right
  after a hard day; then earliest.
- A heavy leg session already logged this week before ``as_of`` (``heavy_done``) is the week's
  heavy day: no second one is placed (S1: one heavy session a week), light days keep their
  spacing from it. Planning on a Saturday after a Monday squat session must not add a Sunday one.
- The rules: ``recommender.schedule_rules``; the light days: ``recommender.light_days``.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta

from recommender.light_days import light_days, quiet_days
from recommender.schedule_rules import (
    HARD_RULES,
    LEVEL_TEXT,
    LEVELS,
    RUN_FIRST,
    VOLUME_CUT_PCT,
    ScheduleInputs,
    Violation,
    fmt,
    hard_block,
    km_text,
    violations,
)
from recommender.shape import weekday
from recommender.types import RationaleEntry


@dataclass(frozen=True)
class Schedule:
    heavy_day: date | None
    light_days: tuple[date, ...]
    eccentric_block_dates: tuple[date, ...]
    volume_cut_pct: float
    relaxed: tuple[str, ...]
    heavy_note: str | None
    spike_long_run: bool
    rationale: tuple[RationaleEntry, ...]
    quiet_days: tuple[date, ...] = ()  # light days next to a long run: no jumps


def _lr_weekday(inp: ScheduleInputs) -> date | None:
    week_end = inp.week_start + timedelta(days=7)
    lrs = [e.date for e in inp.events if e.kind == "long_run" and e.date >= inp.week_start]
    in_week = [d for d in lrs if d < week_end]
    return (in_week or lrs)[0] if lrs else None


def _circ(d: date, lr: date | None) -> int:
    if lr is None:
        return 0
    x = (d.weekday() - lr.weekday()) % 7
    return min(x, 7 - x)


def choose(inp: ScheduleInputs) -> Schedule:
    week = [inp.week_start + timedelta(days=i) for i in range(7)]
    why: list[RationaleEntry] = []
    block_dates = _eccentric_block(inp, week)
    spike = any(e.spike for e in inp.events if _in(e.date, week) and e.kind == "long_run")
    if spike:
        lr = next(e for e in inp.events if e.spike and _in(e.date, week))
        why.append(
            RationaleEntry(
                "S7",
                f"long run {fmt(lr.date)}{km_text(lr)} is > 1.1 × the longest run of the last 30 "
                "days → key session: no heavy legs in the 3 days before it, no load progression",
            )
        )
    if inp.phase.phase == "race_week":
        why.append(RationaleEntry("P5", "race week: activation only, no heavy legs"))
        return _done(inp, None, week, block_dates, (), None, spike, why)
    if inp.heavy_done is not None:
        done = f"heavy leg session already logged {fmt(inp.heavy_done)} → no second heavy day"
        why.append(RationaleEntry("S1", done + " this week; light sessions only"))
        return _done(inp, None, week, block_dates, (), None, spike, why)
    blocks = {d: hard_block(d, inp) for d in week}
    allowed = [d for d in week if blocks[d] is None and weekday(d) in inp.strength_days]
    grouped: dict[RationaleEntry, list[date]] = {}
    for d, b in blocks.items():
        if b is not None and b.rule in HARD_RULES:
            grouped.setdefault(b, []).append(d)
    for entry, days in grouped.items():
        excluded = ", ".join(fmt(d) for d in days)
        why.append(RationaleEntry(entry.rule, f"{entry.text}: {excluded} excluded"))
    if not allowed:
        why.append(RationaleEntry("S6", _nothing_left(inp, blocks)))
        return _done(inp, None, week, block_dates, (), None, spike, why)
    viol = {d: violations(d, inp) for d in allowed}
    for k in range(len(LEVELS) + 1):
        cands = [d for d in allowed if all(v.level in LEVELS[:k] for v in viol[d])]
        if cands:
            break
    relaxed = LEVELS[:k]
    if relaxed:
        fewest = min(len(viol[d]) for d in cands)
        cands = [d for d in cands if len(viol[d]) == fewest]
    heavy, note = _pick(cands, inp, why)
    _explain(allowed, viol, heavy, why)
    for level in relaxed:  # issue 11 finding 15: only the relaxations the chosen day needed
        broken = [v.text for v in viol[heavy] if v.level == level]
        if broken:
            detail = f": {fmt(heavy)} breaks it ({'; '.join(broken)})"
            why.append(
                RationaleEntry(
                    "S6", f"no day met every soft rule → relaxed {LEVEL_TEXT[level]}{detail}"
                )
            )
    if relaxed:
        why.append(
            RationaleEntry("S6", f"relaxed placement → strength volume −{VOLUME_CUT_PCT:.0f} %")
        )
    if heavy in block_dates:
        why.append(
            RationaleEntry(
                "S4",
                f"{fmt(heavy)} is ≤ 3 days after a novel descent/race: "
                "heavy lifts allowed, eccentric emphasis and plyo removed",
            )
        )
    return _done(inp, heavy, week, block_dates, relaxed, note, spike, why)


def _nothing_left(inp: ScheduleInputs, blocks: dict[date, RationaleEntry | None]) -> str:
    if all(d < inp.as_of for d in blocks):
        return "no day of the week is left → no heavy legs this week"
    return (
        "no day left passes the hard rules (not on a long-run or race day nor in the 2 days "
        "before it, not in the 48 h after a novel descent or race, taper and post-race windows) "
        "→ no heavy legs this week: a light session instead, heavy legs again next week"
    )


def _in(d: date, week: list[date]) -> bool:
    return week[0] <= d <= week[-1]


def _pick(
    cands: list[date], inp: ScheduleInputs, why: list[RationaleEntry]
) -> tuple[date, str | None]:
    lr = _lr_weekday(inp)
    hard = {e.date for e in inp.events if e.kind == "hard"}
    monotone = inp.monotony is not None and inp.monotony > 2.0
    if inp.strategy == "stack" or monotone:
        targets = [d for d in cands if d in hard]  # a long-run day is never a candidate
        if targets:
            day = min(targets, key=lambda d: (-_circ(d, lr), d))
            kind = "hard session"
            note = RUN_FIRST
            if monotone:
                why.append(
                    RationaleEntry(
                        "L3",
                        f"7-day monotony {inp.monotony:.2f} > 2.0 → stack "
                        f"on {fmt(day)}; insert an easy or off day this week",
                    )
                )
            rule = "S2" if inp.strategy == "stack" else "L3"
            why.append(
                RationaleEntry(
                    rule,
                    f"stack: heavy legs on {fmt(day)} with the {kind}, "
                    f"{note}; never lift before the run the same day",
                )
            )
            return day, note
        if monotone and inp.strategy != "stack":
            why.append(
                RationaleEntry(
                    "L3",
                    f"7-day monotony {inp.monotony:.2f} > 2.0 but no "
                    "legal stack day; insert an easy or off day",
                )
            )
        if inp.strategy == "stack":
            why.append(
                RationaleEntry("S2", "no hard day is a legal stack target → separate placement")
            )
    key = {d: (_circ(d, lr), (d - timedelta(days=1)) in hard, -d.toordinal()) for d in cands}
    day = max(cands, key=lambda d: key[d])
    ties = [d for d in cands if key[d][0] == key[day][0] and d != day]
    text = f"separate: {fmt(day)} is {key[day][0]} d from the long run {fmt(lr)}" if lr else ""
    if lr is None:  # issue 11 finding 14: no "0 d from the long run (no long run found)"
        text = f"separate: no long run to keep away from → {fmt(day)}"
        text += ", the day after a hard session" if key[day][1] else ", the earliest allowed day"
    elif ties:
        text += f"; tie with {', '.join(fmt(t) for t in ties)}"
        text += " → the day after a hard session" if key[day][1] else " → the earlier day"
    runs_that_day = hard | {e.date for e in inp.events if e.kind == "long_run"}
    if day in runs_that_day:
        text += "; a run that day → lift after it, ≥ 6 h later (S2 order)"
    why.append(RationaleEntry("S5", text))
    return day, (RUN_FIRST if day in runs_that_day else None)


def _explain(
    allowed: list[date], viol: dict[date, list[Violation]], heavy: date, why: list[RationaleEntry]
) -> None:
    grouped: dict[tuple[str, str], list[date]] = {}
    for d in allowed:
        for v in viol[d]:
            if d != heavy:
                grouped.setdefault((v.rule, v.text.split(":")[0]), []).append(d)
    for (rule, what), days in grouped.items():
        why.append(RationaleEntry(rule, f"{what}: {', '.join(fmt(d) for d in days)} excluded"))


def _eccentric_block(inp: ScheduleInputs, week: list[date]) -> tuple[date, ...]:
    sources = [e.date for e in inp.events if e.kind in ("novel_descent", "race")]
    return tuple(d for d in week if any(1 <= (d - s).days <= 3 for s in sources))


def _done(
    inp: ScheduleInputs,
    heavy: date | None,
    week: list[date],
    blocks: tuple[date, ...],
    relaxed: tuple[str, ...],
    note: str | None,
    spike: bool,
    why: list[RationaleEntry],
) -> Schedule:
    light = light_days(inp, heavy, week)
    if heavy is not None:
        text = f"one heavy leg session ({fmt(heavy)})"
        text += f" + light sessions {', '.join(fmt(d) for d in light)}" if light else ""
        why.insert(0, RationaleEntry("S1", text))
    return Schedule(
        heavy,
        light,
        blocks,
        VOLUME_CUT_PCT if relaxed else 0.0,
        relaxed,
        note,
        spike,
        tuple(why),
        quiet_days(inp, light),
    )
