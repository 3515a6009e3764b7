"""``legday athletes create|list``: the admin's view of the athletes."""

from __future__ import annotations

import argparse

from api.cli.context import Cli, CliError, Subparsers


def register(sub: Subparsers) -> None:
    p = sub.add_parser("athletes", help="manage athletes")
    actions = p.add_subparsers(dest="action", required=True, metavar="ACTION")
    create = actions.add_parser("create", help="create an athlete and print their token once")
    create.add_argument("name")
    create.add_argument("--timezone", default="UTC", help="IANA time zone, e.g. Europe/Zurich")
    create.add_argument("--week-start", default="monday", choices=["monday", "saturday", "sunday"])
    create.set_defaults(handler=create_athlete)
    listing = actions.add_parser("list", help="list athletes")
    listing.set_defaults(handler=list_athletes)


def create_athlete(args: argparse.Namespace, cli: Cli) -> int:
    from api.deps import token_expiry
    from api.schemas.common import plain_text, valid_timezone
    from ingest.store import NameTaken

    name = args.name.strip()
    try:  # the API's rules: a name of 1-100 characters without control characters; a real zone
        if not 1 <= len(name) <= 100:
            raise ValueError("a name has 1 to 100 characters")
        plain_text(name)
        valid_timezone(args.timezone)
    except ValueError as error:
        raise CliError(str(error)) from None
    store = cli.store()
    try:
        athlete, token = store.create_athlete(
            name,
            timezone=args.timezone,
            week_start=args.week_start,
            token_expires_at=token_expiry(cli.settings, cli.clock),
        )
    except NameTaken as taken:
        raise CliError(str(taken)) from None
    cli.console.print(f"created athlete {athlete.name!r} (id {athlete.id})", highlight=False)
    cli.console.print("token (shown once, keep it):", highlight=False)
    cli.console.print(token, highlight=False, soft_wrap=True)
    return 0


def list_athletes(args: argparse.Namespace, cli: Cli) -> int:
    from rich.table import Table

    table = Table("id", "name", "timezone", "week start", title="athletes")
    for a in cli.store().list_athletes():
        table.add_row(str(a.id), a.name, a.timezone, a.week_start)
    cli.console.print(table)
    return 0
