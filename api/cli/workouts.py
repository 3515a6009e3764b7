"""``legday workouts export --athlete NAME [--week DATE] DIR``: the week's planned strength sessions
as FIT workout files, one per session, for a watch mounted over USB (Garmin: copy them into
``GARMIN/NewFiles``; the watch files them under its workouts) or any folder a workout app reads.

Sessions already logged as done are left out; a file that is already there with the same bytes is
left as it is (the same plan gives the same file)."""

from __future__ import annotations

import argparse
from pathlib import Path

from api.cli import args as types
from api.cli.context import Cli, CliError, Subparsers


def register(sub: Subparsers) -> None:
    p = sub.add_parser("workouts", help="the planned sessions as FIT workouts for a watch")
    actions = p.add_subparsers(dest="action", required=True, metavar="ACTION")
    export = actions.add_parser(
        "export",
        help="write the week's sessions as .fit workout files into DIR (a watch's GARMIN/NewFiles)",
        description="Write each planned strength session of the week as a FIT workout file. For a "
        "Garmin watch mounted over USB, DIR is its GARMIN/NewFiles folder: the watch files them "
        "under Training > Workouts when it is unplugged.",
    )
    export.add_argument("--athlete", required=True, metavar="NAME", type=types.name)
    export.add_argument(
        "--week", type=types.iso_date, metavar="DATE", help="a date in the week (default: today)"
    )
    export.add_argument(
        "folder", type=Path, metavar="DIR", help="where to write, e.g. /media/GARMIN/NewFiles"
    )
    export.set_defaults(handler=cmd_export)


def cmd_export(args: argparse.Namespace, cli: Cli) -> int:
    from rich.table import Table

    from api.plans import athlete_plan
    from api.workout_fit import encode_workout, file_name, workout_name

    athlete = cli.athlete(args.athlete)
    today = cli.today(athlete)
    plan = athlete_plan(cli.store(), athlete, args.week or today, today)
    sessions = [s for s in plan.sessions if not s.done]
    folder: Path = args.folder
    try:
        folder.mkdir(parents=True, exist_ok=True)
    except OSError as exc:
        raise CliError(f"cannot write to {folder}: {exc.strerror or exc}") from None
    if not sessions:
        cli.console.print(f"no strength session to export in the week of {plan.week_start}")
        return 0
    table = Table("day", "session", "exercises", "file", title=f"workouts → {folder}")
    for session in sessions:
        data = encode_workout(session, key=f"athlete-{athlete.id}")
        target = folder / file_name(session)
        try:
            if not target.exists() or target.read_bytes() != data:
                partial = target.with_name(target.name + ".part")
                partial.write_bytes(data)
                partial.replace(target)
        except OSError as exc:
            raise CliError(f"cannot write {target}: {exc.strerror or exc}") from None
        exercises = str(len(session.exercises))
        table.add_row(session.date.isoformat(), workout_name(session), exercises, target.name)
    cli.console.print(table)
    return 0
