"""``legday athletes create|list|token``: the admin's view of the athletes."""

from __future__ import annotations

import argparse

from api.cli import args as types
from api.cli.context import Cli, CliError, Subparsers, shell_quote


def register(sub: Subparsers) -> None:
    p = sub.add_parser("athletes", help="manage athletes")
    actions = p.add_subparsers(dest="action", required=True, metavar="ACTION")
    create = actions.add_parser("create", help="create an athlete and print their token once")
    create.add_argument("name", type=types.new_name)
    create.add_argument(
        "--timezone", default="UTC", type=types.timezone, help="IANA time zone, e.g. Europe/Zurich"
    )
    create.add_argument("--week-start", default="monday", choices=["monday", "saturday", "sunday"])
    create.set_defaults(handler=create_athlete)
    listing = actions.add_parser("list", help="list athletes")
    listing.set_defaults(handler=list_athletes)
    token = actions.add_parser(
        "token",
        help="issue a new token for an athlete (the old one stops working) and print a sign-in "
        "link to the dashboard",
    )
    token.add_argument("name", type=types.name)
    token.set_defaults(handler=issue_token)


def create_athlete(args: argparse.Namespace, cli: Cli) -> int:
    from api.deps import token_expiry
    from ingest.store import NameTaken

    # The name and the time zone were checked as the API checks them (types.new_name, timezone);
    # the store says whether the name is taken (ignoring case and spacing, as the API's 409).
    store = cli.store()
    try:
        athlete, token = store.create_athlete(
            args.name,
            timezone=args.timezone,
            week_start=args.week_start,
            token_expires_at=token_expiry(cli.settings, cli.clock),
        )
    except NameTaken as taken:
        raise CliError(str(taken)) from None
    cli.console.print(f"created athlete {athlete.name!r} (id {athlete.id})", markup=False)
    cli.console.print("token (shown once, keep it):", markup=False)
    cli.console.print(token, markup=False, highlight=False, soft_wrap=True)
    return 0


def list_athletes(args: argparse.Namespace, cli: Cli) -> int:
    from rich.table import Table
    from rich.text import Text

    if not cli.has_database():
        cli.console.print(f"no athletes yet in {cli.where()}", markup=False, highlight=False)
        return 0
    table = Table("id", "name", "timezone", "week start", title="athletes")
    for a in cli.store().list_athletes():
        # Text, not str: a cell string is Rich markup, and a name is whatever the athlete chose
        table.add_row(str(a.id), Text(a.name), Text(a.timezone), a.week_start)
    cli.console.print(table)
    return 0


def issue_token(args: argparse.Namespace, cli: Cli) -> int:
    """A fresh token (the previous one stops working) and the dashboard link that signs in with
    it: the token rides in the URL's fragment, which the browser never sends to a server."""
    from api.deps import token_expiry

    athlete = cli.athlete(args.name)
    expires = token_expiry(cli.settings, cli.clock)
    token = cli.store().rotate_token(athlete.id, expires_at=expires)
    out = cli.console
    out.print(
        f"new token for {athlete.name!r} (id {athlete.id}); the previous one no longer works",
        markup=False,
        highlight=False,
    )
    if expires is not None:
        out.print(f"valid until {expires:%Y-%m-%d %H:%M} UTC", markup=False, highlight=False)
    out.print("token (shown once, keep it):", markup=False)
    out.print(token, markup=False, highlight=False, soft_wrap=True)
    out.print("sign in: open this link (with legday serve running):", markup=False)
    out.print(cli.settings.sign_in_url(token), markup=False, highlight=False, soft_wrap=True)
    if not cli.settings.public_url:
        out.print(
            "(another address? set LEGDAY_PUBLIC_URL, e.g. https://legday.example.org, "
            f"and run legday athletes token {shell_quote(athlete.name)} again)",
            markup=False,
            highlight=False,
        )
    return 0
