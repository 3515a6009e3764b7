"""Each rule id of RULES.md with its sentence and its numbers, as the dashboard expands a rationale
line's id (pure data). The rationale line says what the rule did this week; this says what the rule
is. Keep in step with RULES.md (a test checks every id the recommender emits is here)."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class Rule:
    id: str
    title: str
    numbers: str
    evidence: str


_RULES = (
    Rule(
        "S1",
        "One heavy leg session a week is a legitimate target; light work on other days.",
        "Developing strength takes 2–3 sessions a week; 1 a week maintained strength and muscle "
        "for 13 weeks.",
        "Rønnestad 2010; Blagrove 2018",
    ),
    Rule(
        "S2",
        "“Stack” strategy: heavy legs on a hard-run day, after the run.",
        "Run first, lift ≥ 6 h later (a 0-h gap blunted strength gains); lifting before running "
        "worsened next-day running economy.",
        "Robineau 2016; Doma & Deakin 2013",
    ),
    Rule(
        "S3",
        "No heavy legs in the 48 h before the long run, a key session, or any race.",
        "Running cost stayed raised for up to 48 h after a 6RM leg session: ≥ 3 calendar days "
        "before a long run or race, ≥ 2 before another hard session.",
        "Doma 2019",
    ),
    Rule(
        "S4",
        "No heavy (eccentric-heavy) legs in the muscle-damage window after a big descent or race.",
        "Knee-extensor strength −14–17 % at 24–48 h after downhill running: no heavy "
        "legs for 2 days, no eccentric or plyometric work for 3 days after a novel descent "
        "(D−eff > 1.3 × the 30-day max) or a race.",
        "Maeo 2017; Byrnes 1985",
    ),
    Rule(
        "S5",
        "“Separate” strategy: as far as possible from the long run.",
        "The allowed day with the largest distance in days to the long run; ties go to the day "
        "after a hard day.",
        "coaching convention",
    ),
    Rule(
        "S6",
        "Consistency beats optimal timing: never skip because no day is perfect.",
        "Strength training cut sports injuries to RR 0.315; soft rules are relaxed in a fixed "
        "order, then volume −25 %, rather than skipping the week.",
        "Lauersen 2014, 2018",
    ),
    Rule(
        "S7",
        "A single-session spike overrides the calendar.",
        "A long run > 10 % longer than the longest of the last 30 days raised injury risk "
        "(HRR ≈ 1.64): it counts as a key session and load progression is frozen that week.",
        "Garmin-RUNSAFE",
    ),
    Rule(
        "D1",
        "Heavy strength in build phases: few reps, heavy load.",
        "3–5 sets × 3–6 reps at ≥ 80–90 % 1RM, 2–3 min rest, 2–4 lower-body lifts; a session "
        "fits in ≤ 60 min.",
        "Støren 2008; Eihara 2022",
    ),
    Rule(
        "D2",
        "Volume and strength endurance in the base phase.",
        "3–4 sets × 8–15 reps at ≈ 65–75 % 1RM, plus 45–60 s strength-endurance work "
        "(walking lunges, tempo, wall sits).",
        "Balsalobre-Fernández 2016; Bazyler 2015",
    ),
    Rule(
        "D3",
        "Plyometrics, fresh, before the lifts.",
        "40–100 foot contacts on the heavy day; 0 when ACWR > 1.5; ≤ 30 low-intensity contacts "
        "in a taper; no drop jumps in a novice's first weeks.",
        "NSCA; Saunders 2006",
    ),
    Rule(
        "D4",
        "Every week covers the seven categories.",
        "Bilateral heavy, single-leg, anti-rotation/core, posterior chain, ankle/balance, "
        "plyometrics, and strength endurance in base: ≥ 5 of 7 in a week with a heavy session.",
        "Lauersen 2014",
    ),
    Rule(
        "D5",
        "Eccentric emphasis for descent-heavy goals.",
        "When the goal race's descent is large for the athlete's recent descent, 1–2 "
        "eccentric-tempo exercises in base/build; no novel eccentric overload in the last "
        "10–14 days.",
        "Bontemps 2020; Byrnes 1985",
    ),
    Rule(
        "D6",
        "Progressive overload, tracked by estimated 1RM.",
        "2-for-2: two extra reps in the last set in 2 sessions → +2.5–10 % load; e1RM "
        "(Epley) = w × (1 + reps/30); frozen in taper, ACWR > 1.3, after a spike or short sleep.",
        "NSCA Essentials",
    ),
    Rule(
        "D7",
        "New to lifting: ramp in.",
        "Weeks 1–2: 2 sets of every exercise, RPE ≤ 7, low-level plyometrics ≤ 50 % of the "
        "contacts, no drop jumps, heavy day ≥ 72 h before the long run.",
        "Doma 2019",
    ),
    Rule(
        "L1",
        "Strength volume responds to running load; intensity is protected.",
        "When load is high, cut sets, reps and contacts, keep the weight (taper volume −41–60 %).",
        "Bosquet 2007; Pritchard 2017",
    ),
    Rule(
        "L2",
        "ACWR bands modulate strength volume (never skip on ACWR alone).",
        "Rolling 7:28 on km-effort, read as the week starts, data gaps left out: < 0.8 full, no "
        "load increase; 0.8–1.3 full; 1.3–1.5 volume −25–33 %, plyometrics −50 %; > 1.5 volume "
        "−50 %, no plyometrics. With < 14 days or < 4 runs of data, no ratio is read.",
        "Gabbett 2016; Hulin 2016",
    ),
    Rule(
        "L3",
        "A monotonous week prefers the stack placement.",
        "7-day monotony (mean/SD of daily load) > 2.0: stack, and no extra strength volume.",
        "Foster 1998",
    ),
    Rule(
        "L4",
        "Fitness ramp and form: a fast CTL ramp or deep fatigue counts like a high ACWR.",
        "CTL ramp > 8 points a week or TSB < −30 → treated like ACWR > 1.5; on km-effort read "
        "as shares of CTL at CTL 60: ramp > 13.3 %/week or TSB < −50 % (a +10 %/week build "
        "does not fire it). When L2 and L4 both fire, both are cited and the stronger cut applies.",
        "TrainingPeaks PMC",
    ),
    Rule(
        "P1",
        "Base phase (more than 16 weeks to the A race): volume and strength endurance.",
        "3–4 × 8–15 at 65–75 %; strength endurance 45–60 s; low-level plyometrics.",
        "Bazyler 2015",
    ),
    Rule(
        "P2",
        "Build phase (16–7 weeks to the A race): heavy in weight.",
        "3–5 × 3–6 at 80–90 %; plyometrics and bounds; eccentric emphasis for descent races.",
        "Rønnestad 2010",
    ),
    Rule(
        "P3",
        "Peak phase (6–3 weeks): heavy but low volume.",
        "2–3 × 3–5 at ≥ 80 %; power and race-specific eccentrics.",
        "Rønnestad 2010",
    ),
    Rule(
        "P4",
        "Pre-taper (the second week before the race): the last heavy session.",
        "2 × 3 at ≥ 80 %, ≥ 7 days before a short race, ≥ 10 days before one of ≥ 75 km-effort.",
        "Bosquet 2007",
    ),
    Rule(
        "P5",
        "Race week: activation only.",
        "Bodyweight or bands, balance, ≤ 30 low-intensity contacts, 1–2 × 5–8, nothing in the "
        "48 h before the start.",
        "coaching convention; Bosquet 2007",
    ),
    Rule(
        "P6",
        "After a race: no heavy legs until the soreness is gone.",
        "≥ 5–7 days (≥ 7–10 after an L/XL/XXL race); balance and mobility meanwhile.",
        "Markov 2025; Giandolini 2016",
    ),
    Rule(
        "R1",
        "Short sleep holds the load back.",
        "7-day mean sleep < 7 h (≥ 3 nights of data) → no load progression, volume −20–25 %; "
        "soreness ≥ 7/10 → no drop jumps. The strongest of L2, L4 and R1's cuts applies.",
        "Walsh 2021",
    ),
    Rule(
        "R2",
        "Hydration, calories and mobility matter.",
        "Advice only: no number drives the schedule.",
        "coaching convention",
    ),
)

RULES: dict[str, Rule] = {r.id: r for r in _RULES}
