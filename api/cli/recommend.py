"""``legday recommend --athlete NAME [--week DATE] [--json]``: the week's plan as a coach reads it
(``render``), or as JSON; and the weekly table the demo prints."""

from __future__ import annotations

import argparse
import json
from datetime import date
from typing import TYPE_CHECKING

from api.cli import args as types
from api.cli.context import Cli, Subparsers

if TYPE_CHECKING:
    from ingest.store import AthleteRecord
    from recommender.types import WeekPlan


def register(sub: Subparsers) -> None:
    p = sub.add_parser("recommend", help="print an athlete's plan for a week")
    p.add_argument("--athlete", required=True, metavar="NAME", type=types.name)
    p.add_argument(
        "--week", type=types.iso_date, metavar="DATE", help="a date in the week (default: today)"
    )
    p.add_argument("--json", action="store_true", help="print WeekPlan.to_dict() as JSON")
    p.set_defaults(handler=recommend)


def recommend(args: argparse.Namespace, cli: Cli) -> int:
    athlete = cli.athlete(args.athlete)
    day = args.week or cli.today(athlete)
    plan = make_plan(cli, athlete, day)
    if args.json:
        # raw text, no rich wrapping or markup: pipeable into jq
        cli.console.file.write(json.dumps(plan.to_dict(), indent=2, ensure_ascii=False) + "\n")
        return 0
    print_plan(cli, athlete, plan)
    return 0


def make_plan(
    cli: Cli, athlete: AthleteRecord, day: date, *, as_of: date | None = None
) -> WeekPlan:
    """The recommender's WeekPlan for the week holding ``day``, as of ``as_of`` (default today)."""
    from api.plans import athlete_plan

    return athlete_plan(cli.store(), athlete, day, as_of or cli.today(athlete))


def print_plan(cli: Cli, athlete: AthleteRecord, plan: WeekPlan) -> None:
    from api.cli.render import render_plan

    render_plan(cli.console, athlete, plan.to_dict())


def print_weeks(cli: Cli, athlete: AthleteRecord, day: date, *, count: int = 6) -> None:
    from rich.table import Table

    from api.plans import athlete_weeks

    weeks = athlete_weeks(cli.store(), athlete, end=day, count=count)
    table = Table("week", "km", "ascent m", "descent m", "D−eff m", "runs", "ACWR", title="weeks")
    for w in weeks:
        acwr = "" if w["acwr"] is None else f"{w['acwr']:.2f}"
        table.add_row(
            str(w["week_start"]),
            f"{w['distance_km']:.1f}",
            f"{w['ascent_m']:.0f}",
            f"{w['descent_m']:.0f}",
            f"{w['descent_load_m']:.0f}",
            str(w["runs"]),
            acwr,
        )
    cli.console.print(table)
