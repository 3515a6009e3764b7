"""``legday recommend`` as a coach reads it: a WeekPlan (its ``to_dict()``) on a rich console.

Readable from 80 columns: the exercise names never wrap, the rationale is a two-column table whose
wrapped lines stay indented under their text, and the sessions logged this week come first, marked
done. Pure formatting: the plan and the athlete record in, console output out.
"""

from __future__ import annotations

from datetime import date
from typing import Any

from rich.console import Console
from rich.table import Table
from rich.text import Text

WIDE = 100  # from this console width on, the session tables also show each exercise's focus


def render_plan(console: Console, athlete: Any, plan: dict[str, Any]) -> None:
    console.print(_headline(athlete, plan), highlight=False)
    wide = console.width >= WIDE
    units = getattr(athlete, "units", "metric")
    for s in plan["sessions"]:
        console.print(_session_table(s, focus=wide, units=units))
    console.print(_totals(plan), highlight=False, markup=False)
    console.print(_inputs(athlete, plan), highlight=False)
    console.print(_rationale(plan["rationale"]))


def day_text(iso: str, short: bool = False) -> str:
    d = date.fromisoformat(iso)
    return f"{d:%a} {d.day} {d:%b}" if short else f"{d:%A} {d.day} {d:%b}"


def _headline(athlete: Any, plan: dict[str, Any]) -> Text:
    heavy = plan["heavy_leg_day"]
    done = any(s.get("done") and s["kind"] == "heavy_legs" for s in plan["sessions"])
    day = "none this week" if heavy is None else day_text(heavy) + (" (done)" if done else "")
    text = Text()
    text.append(athlete.name, style="bold")
    text.append(f" — week of {plan['week_start']} (as of {plan['as_of']}): phase ")
    text.append(plan["phase"].replace("_", " "), style="bold")
    text.append(", heavy leg day ")
    text.append(day, style="bold")
    return text


def _session_table(s: dict[str, Any], *, focus: bool, units: str = "metric") -> Table:
    title = Text(f"{day_text(s['date'], short=True)}: {s['kind'].replace('_', ' ')}")
    if s.get("duration_min") and not s.get("done"):
        title.append(f", ~{s['duration_min']} min")
    if s.get("done"):
        title.append(" — done (from the log)")
    elif s.get("note"):
        title.append(f" — {s['note']}")
    table = Table(title=title, title_justify="left", expand=False)
    table.add_column("exercise", no_wrap=True)
    table.add_column("dose", no_wrap=True)
    table.add_column("load", no_wrap=True)
    table.add_column("tempo", no_wrap=True)
    table.add_column("rest", no_wrap=True, justify="right")
    if focus:
        table.add_column("focus", no_wrap=True)
    for x in s["exercises"]:
        # Text, not str: a cell string is Rich markup, and an exercise may have a custom name
        cells: list[Text | str] = [
            Text(x["name"]),
            dose(x),
            load(x, units),
            Text(x.get("tempo") or ""),
        ]
        cells.append("" if x.get("rest_s") is None else f"{x['rest_s']} s")
        table.add_row(*cells, *([Text(x["focus"].replace("_", " "))] if focus else []))
    return table


def dose(x: dict[str, Any]) -> str:
    if x.get("reps"):
        return f"{x['sets']}×{x['reps']}"
    if x.get("seconds"):
        return f"{x['sets']}×{x['seconds']} s"
    return f"{x['sets']} sets"


def load(x: dict[str, Any], units: str = "metric") -> str:
    """Load as "90 kg (86 %)" (imperial: "200 lb (86 %)"), "85 % 1RM", "RPE 7" or "bodyweight"."""
    kg, pct, rpe = x.get("load_kg"), x.get("percent_1rm"), x.get("rpe")
    lb = x.get("load_lb")
    if kg is not None:
        shown = f"{lb:g} lb" if units == "imperial" and lb is not None else f"{kg:g} kg"
        text = shown + (f" ({pct:.0f} %)" if pct is not None else "")
    elif pct is not None:
        text = f"{pct:g} % 1RM"
    else:
        text = ""
    if rpe is not None:
        text += f"{', ' if text else ''}RPE {rpe:g}"
    return text or "bodyweight"


def _totals(plan: dict[str, Any]) -> str:
    t = plan["totals"]
    done = sum(x["sets"] for s in plan["sessions"] if s.get("done") for x in s["exercises"])
    parts = (
        f"totals: {t['sets']} sets ({t['heavy_sets']} heavy), {t['foot_contacts']} foot contacts"
    )
    if done:
        parts += f"; {done} done, {t['sets'] - done} to come"
    change = t["change_vs_last_week_pct"]
    if change is not None:
        parts += f"; {change:+.0f} % vs last week"
    return parts


def _method(method: str) -> str:
    """The method without nested brackets: "rolling 7:28 …, Hulin 2016"."""
    return method.replace(" (", ", ").replace(")", "")


def _next_race(athlete: Any, plan: dict[str, Any]) -> str:
    days = plan["inputs"]["days_to_next_race"]
    if days is None:
        return "no race ahead"
    start = date.fromisoformat(plan["week_start"])
    ahead = [r for r in getattr(athlete, "races", ()) if _race_date(r) >= start]
    name = min(ahead, key=_race_date).get("name") if ahead else None
    return f"next race: {name or 'race'} in {days} d"


def _race_date(race: dict[str, Any]) -> date:
    d = race["date"]
    return date.fromisoformat(d) if isinstance(d, str) else d


def _inputs(athlete: Any, plan: dict[str, Any]) -> Table:
    i = plan["inputs"]
    extra = i.get("extra") or {}
    acwr = "n/a" if i["acwr"] is None else f"{i['acwr']:.2f}"
    mono, tsb = extra.get("monotony"), extra.get("tsb")
    since = extra.get("reference_day")
    table = Table.grid(padding=(0, 1))
    table.add_column(no_wrap=True, style="bold")
    table.add_column()
    table.add_row(
        "inputs",
        f"{i['weekly_distance_km']:.1f} km, +{i['weekly_ascent_m']:.0f}/"
        f"−{i['weekly_descent_m']:.0f} m, D−eff {i['descent_load_m']:.0f} m in the 7 days"
        + (f" before {day_text(since, short=True)}" if since else ""),
    )
    table.add_row(
        "",
        f"ACWR {acwr} — {_method(i['acwr_method'])}; "
        f"monotony {'n/a' if mono is None else f'{mono:.2f}'}; "
        f"TSB {'n/a' if tsb is None else f'{tsb:.0f}'}",
    )
    hard = ", ".join(d[:3] for d in i["hard_days"]) or "none"
    lr = (i["long_run_day"] or "n/a")[:3]
    table.add_row("", Text(f"long run {lr}, hard days {hard}; {_next_race(athlete, plan)}"))
    return table


def _rationale(lines: list[dict[str, Any]]) -> Table:
    table = Table("rule", "why", title="rationale", title_justify="left", show_lines=False)
    table.columns[0].no_wrap = True
    for r in lines:
        table.add_row(r["rule"], Text(r["text"]))
    return table
