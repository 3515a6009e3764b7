"""The ``legday`` command line: a thin entry point over the store, bulk ingest, the folder sync and
the recommender (README "Using it").

One module per command group (``ingest``, ``athletes``, ``db``, ``demo``, ``recommend``,
``sync``, ``serve``), each with ``register(sub)`` (its arguments, ``handler=…``) and handlers
taking the parsed arguments and a ``Cli`` (``context``) and returning the exit code. Building the
parser imports only the standard library and these light modules: ``legday --help`` never loads
FastAPI, SQLAlchemy or pandas; a handler imports what it needs when it runs.
"""

from __future__ import annotations

import argparse
from collections.abc import Callable, Sequence
from datetime import UTC, datetime
from pathlib import Path
from typing import TYPE_CHECKING, Any

from api.cli import athletes, db, demo, ingest, recommend, serve, sync
from api.cli.context import EXIT_FAILED_FILES, EXIT_LOCKED, EXIT_USAGE, Cli, CliError, Handler

if TYPE_CHECKING:
    from rich.console import Console

    from api.settings import Settings

__all__ = ["EXIT_FAILED_FILES", "EXIT_LOCKED", "EXIT_USAGE", "build_parser", "main"]


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="legday", description="Trail-running watch files in, the week's strength plan out."
    )
    parser.add_argument("--data-dir", type=Path, help="data directory (env LEGDAY_DATA_DIR)")
    parser.add_argument("--database-url", help="database URL (env LEGDAY_DATABASE_URL)")
    sub = parser.add_subparsers(dest="command", required=True, metavar="COMMAND")
    for group in (ingest, athletes, db, demo, recommend, sync, serve):
        group.register(sub)
    return parser


def main(
    argv: Sequence[str] | None = None,
    *,
    settings: Settings | None = None,
    console: Console | None = None,
    clock: Callable[[], datetime] | None = None,
) -> int:
    args = build_parser().parse_args(argv)
    if console is None:
        from rich.console import Console

        console = Console()
    cli = Cli(_settings(args, settings), console, clock or (lambda: datetime.now(UTC)))
    try:
        handler: Handler = args.handler
        return handler(args, cli)
    except CliError as exc:
        cli.console.print(f"[red]error:[/red] {exc}", highlight=False)
        return EXIT_USAGE
    finally:
        cli.close()


def _settings(args: argparse.Namespace, given: Settings | None) -> Settings:
    from api.settings import Settings

    overrides: dict[str, Any] = {}
    if args.data_dir is not None:
        overrides["data_dir"] = args.data_dir
    if args.database_url:
        overrides["database_url"] = args.database_url
    if given is None:
        return Settings(**overrides)
    if not overrides:
        return given
    return Settings(**{**given.model_dump(exclude={"database_url"}), **overrides})
