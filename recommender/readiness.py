"""Readiness on the heavy day: the load bands (L2 ACWR, L4 CTL ramp / TSB) and recovery (R1 sleep,
soreness). Every modulator that fires is cited with its own numbers; the strongest volume cut is
applied and named, the others say they were weaker (RULES.md §5 L2 "when L2 and L4 both fire").

Choices [D] (docs/recommender-method.md, "Load and readiness"):
- ACWR is read as ``recommender.ratios`` says (rolling 7:28 coupled on km-effort, data gaps
  skipped, at the week's start). Bands as RULES L2: < 0.8 low (−1 set, no load increase),
  0.8–1.3 normal, 1.3–1.5 high (sets × 0.75, plyo × 0.5, no progression, no new exercises),
  > 1.5 danger (sets × 0.5, main lifts ≤ 5 reps at ≥ 80 %, no plyo, no eccentric emphasis).
- L4, relative: the load is km-effort, not TSS, so RULES' points (ramp > 8/week, TSB < −30) are
  read as shares of the athlete's own CTL at CTL 60, a typical amateur's TSS fitness:
  ramp > 13.3 % of CTL a week, TSB < −50 % of CTL. A steady +10 %/week build settles at a ramp of
  10 % and TSB −43 % (``ratios.smoothed_pmc``), so it does not fire; +15 %/week for ~10 weeks does.
- R1 as RULES: the 7-day sleep mean counts from 3 nights (``sleep_nights``; None = unknown, the
  caller already checked); < 7 h → loaded lower-body sets × 0.75 and plyo contacts × 0.75 (the
  heavy session's volume −20–25 % in hard-set equivalents), no progression. Soreness ≥ 7/10 → no
  drop/depth jumps (high-intensity plyometrics) and no load progression; alone it cuts no volume.
- Strongest cut = the candidate leaving the least heavy-session volume (``recommender.volume``).
  Set cuts round half up and never take a main lift below L2's maintenance dose (2 sets; a
  template with fewer keeps its own), nor any other item below 1 set. L1: never the weight.
"""

from __future__ import annotations

import math
from collections.abc import Callable
from dataclasses import dataclass, replace
from typing import Literal

from recommender.catalogue import exercise
from recommender.templates import Item, Role
from recommender.types import DoseInputs, RationaleEntry
from recommender.volume import set_weight

Band = Literal["low", "normal", "high", "danger"]
Items = tuple[Item, ...]
CUT_ROLES: frozenset[Role] = frozenset({"main", "leg", "eccentric"})
MAINTENANCE_SETS = 2
L4_REFERENCE_CTL = 60.0
L4_RAMP_SHARE = 8.0 / L4_REFERENCE_CTL  # 13.3 % of CTL a week
L4_TSB_SHARE = 30.0 / L4_REFERENCE_CTL  # −50 % of CTL
SLEEP_LIMIT_H = 7.0
SLEEP_MIN_NIGHTS = 3
SORENESS_LIMIT = 7.0
R1_KEEP = 0.75
_ZONE = {"low": "< 0.8", "high": "in 1.3–1.5", "danger": "> 1.5"}


def acwr_band(acwr: float | None) -> Band:
    """L2 bands: < 0.8 low, 0.8–1.3 normal, 1.3–1.5 high, > 1.5 danger; None (no ratio) normal."""
    if acwr is None or 0.8 <= acwr <= 1.3:
        return "normal"
    if acwr < 0.8:
        return "low"
    return "high" if acwr <= 1.5 else "danger"


def l4_fires(inputs: DoseInputs) -> bool:
    """L4 relative: CTL ramp > 13.3 % of CTL a week or TSB < −50 % of CTL (see the module doc)."""
    ctl = inputs.ctl
    if ctl is None or ctl <= 0:
        return False
    ramp, tsb = inputs.ctl_ramp or 0.0, inputs.tsb or 0.0
    return ramp > L4_RAMP_SHARE * ctl or tsb < -L4_TSB_SHARE * ctl


def l4_text(inputs: DoseInputs) -> str:
    ctl = inputs.ctl or 0.0
    ramp, tsb = inputs.ctl_ramp or 0.0, inputs.tsb or 0.0
    return (
        f"CTL {ctl:.1f}: ramp {ramp:+.1f}/week ({100 * ramp / ctl:+.1f} %), TSB {tsb:.1f} "
        f"({100 * tsb / ctl:.0f} %) vs > {100 * L4_RAMP_SHARE:.1f} % or "
        f"< −{100 * L4_TSB_SHARE:.0f} % of CTL"
    )


def effective_band(inputs: DoseInputs) -> Band:
    """The stronger of L2's band and L4 (which reads as > 1.5)."""
    return "danger" if l4_fires(inputs) else acwr_band(inputs.acwr)


def short_sleep(inputs: DoseInputs) -> bool:
    mean, nights = inputs.sleep_7d_mean, inputs.sleep_nights
    enough = nights is None or nights >= SLEEP_MIN_NIGHTS
    return mean is not None and enough and mean < SLEEP_LIMIT_H


def sore(inputs: DoseInputs) -> bool:
    return inputs.soreness_recent is not None and inputs.soreness_recent >= SORENESS_LIMIT


# --- what a cut does to the heavy day's items -------------------------------------------------


def round_half_up(x: float) -> int:
    return math.floor(x + 0.5)


def contacts(items: Items) -> int:
    return sum(i.sets * (i.reps or 0) * exercise(i.id).contacts_per_rep for i in items)


def main_sets(items: Items) -> int:
    return next((i.sets for i in items if i.role == "main"), 0)


def volume(items: Items) -> float:
    return sum(
        i.sets * set_weight(i.id, reps=i.reps, seconds=i.seconds, percent=i.percent, rpe=i.rpe)
        for i in items
    )


def cut_sets(items: Items, keep: float) -> Items:
    def floor(i: Item) -> int:
        return min(i.sets, MAINTENANCE_SETS) if i.role == "main" else 1

    return tuple(
        replace(i, sets=max(floor(i), round_half_up(i.sets * keep))) if i.role in CUT_ROLES else i
        for i in items
    )


def reach(before: Items, after: Items, keep: float) -> Items:
    """Per-item rounding keeps 2-set accessories at 2 (2 × 0.75 → 2): take whole sets off the cut
    roles, accessories before the main lifts, each time the set landing nearest ``keep``, until
    the session's volume is at most ``keep`` + 5 points of what it was (−25 % → at least −20 %),
    never below an item's floor."""
    total = volume(before)
    out = list(after)
    while total > 0 and volume(tuple(out)) > (keep + 0.05) * total:
        above = [
            k
            for k, i in enumerate(out)
            if i.role in CUT_ROLES and i.sets > (MAINTENANCE_SETS if i.role == "main" else 1)
        ]
        if not above:
            break
        options = [k for k in above if out[k].role != "main"] or above  # accessories first

        def landing(k: int) -> float:
            trial = [*out[:k], replace(out[k], sets=out[k].sets - 1), *out[k + 1 :]]
            return abs(volume(tuple(trial)) / total - keep)

        k = min(options, key=landing)
        out[k] = replace(out[k], sets=out[k].sets - 1)
    return tuple(out)


def scale_plyo(items: Items, factor: float) -> Items:
    if factor <= 0:
        return tuple(i for i in items if i.role != "plyo")
    return tuple(
        replace(i, reps=max(1, math.floor((i.reps or 0) * factor))) if i.role == "plyo" else i
        for i in items
    )


def is_eccentric(item: Item) -> bool:
    return item.role == "eccentric" or exercise(item.id).eccentric_emphasis


def no_drop_jumps(items: Items) -> Items:
    return tuple(
        i for i in items if not (i.role == "plyo" and exercise(i.id).plyo_intensity == "high")
    )


@dataclass(frozen=True)
class Cut:
    rule: str
    facts: str  # the modulator's own numbers
    action: str  # what it asks for
    apply: Callable[[Items], Items]


def _danger(items: Items) -> Items:
    halved = cut_sets(items, 0.5)
    halved = tuple(
        replace(i, reps=min(i.reps, 5))
        if i.role == "main" and i.reps and (i.percent or 0) >= 80
        else i
        for i in halved
    )
    return tuple(i for i in scale_plyo(halved, 0.0) if not is_eccentric(i))


_BAND_CUT: dict[Band, tuple[str, Callable[[Items], Items]]] = {
    "low": ("normal session, no load increase (returning load)", lambda i: i),
    "high": (
        "volume −25 %, plyo −50 %, no progression, no new exercises",
        lambda i: reach(i, scale_plyo(cut_sets(i, 0.75), 0.5), 0.75),
    ),
    "danger": (
        "volume −50 % (maintenance: load kept), no plyo, no eccentric emphasis; balance and "
        "core kept",
        _danger,
    ),
}


def candidates(inputs: DoseInputs) -> list[Cut]:
    """Every volume cut that fires this week, with its numbers."""
    out: list[Cut] = []
    band = acwr_band(inputs.acwr)
    if band != "normal":
        text, how = _BAND_CUT[band]
        facts = f"ACWR {inputs.acwr:.2f} (rolling 7:28 on km-effort) {_ZONE[band]}"
        out.append(Cut("L2", facts, text, how))
    if l4_fires(inputs):
        out.append(Cut("L4", l4_text(inputs), "as ACWR > 1.5: " + _BAND_CUT["danger"][0], _danger))
    if short_sleep(inputs):
        nights = f" over {inputs.sleep_nights} nights" if inputs.sleep_nights else ""
        out.append(
            Cut(
                "R1",
                f"7-day sleep {inputs.sleep_7d_mean:.1f} h{nights} < 7 h",
                "volume −25 %, plyo −25 %, no progression",
                lambda i: reach(i, scale_plyo(cut_sets(i, R1_KEEP), R1_KEEP), R1_KEEP),
            )
        )
    return out


def _signed(x: float) -> str:
    return f"{x:+.0f}".replace("-", "−")


def modulate(items: Items, inputs: DoseInputs) -> tuple[Items, list[RationaleEntry], list[str]]:
    """L2, L4, R1 on the heavy day: (new items, one line per modulator that fired, the rules that
    freeze load progression)."""
    cuts = candidates(inputs)
    notes: list[RationaleEntry] = []
    new = items
    if cuts:
        results = [(c, c.apply(items)) for c in cuts]
        strongest, new = min(results, key=lambda r: volume(r[1]))
        before, after = volume(items), volume(new)
        change = (
            f"{main_sets(items)}→{main_sets(new)} sets, plyo {contacts(items)}→{contacts(new)} "
            f"contacts, heavy-session volume {before:.1f}→{after:.1f} hard-set equivalents "
            f"({_signed(100 * (after - before) / before)} %)"
            if after < before
            else ""
        )
        for cut, _ in results:
            if cut is not strongest:
                tail = f"; weaker than {strongest.rule}'s cut, which applies"
            else:
                tail = f"; applied (the strongest cut): {change}" if change else ""
            text = f"{cut.rule}: {cut.facts} → {cut.action}{tail}"
            notes.append(RationaleEntry(cut.rule, text))
    if sore(inputs):
        kept = no_drop_jumps(new)
        dropped = contacts(new) - contacts(kept)
        what = f"drop jumps removed ({dropped} contacts)" if dropped else "none planned"
        notes.append(
            RationaleEntry(
                "R1", f"R1: soreness {inputs.soreness_recent:g}/10 ≥ 7 → no drop jumps: {what}"
            )
        )
        new = kept
    freeze = [c.rule for c in cuts] + (["R1"] if sore(inputs) else [])
    return new, notes, list(dict.fromkeys(freeze))
