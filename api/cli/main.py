"""The ``legday`` command line: a thin entry point over the store, bulk ingest, the folder sync and
the recommender (README "Using it").

One module per command group (``ingest``, ``athletes``, ``db``, ``demo``, ``recommend``,
``sync``, ``serve``, ``workouts``, ``info``, ``data``), each with ``register(sub)`` (its arguments,
``handler=…``) and handlers taking the parsed arguments and a ``Cli`` (``context``) and returning
the exit code. Building the parser imports only the standard library and these light modules:
``legday --help`` never loads FastAPI, SQLAlchemy or pandas; a handler imports what it needs when
it runs.

Failing politely: a bad argument is one line on stderr (``args``), a user error (``CliError``, a
setting that does not validate, a log level that does not exist) one line and exit 2, Ctrl-C exit
130, and a bug one line and exit 70 with the traceback in the log at ``LEGDAY_LOG_LEVEL=DEBUG``.
"""

from __future__ import annotations

import argparse
import logging
import os
from collections.abc import Callable, Sequence
from datetime import UTC, datetime
from pathlib import Path
from typing import TYPE_CHECKING, Any

from api.cli import args as types
from api.cli import athletes, data, db, demo, info, ingest, recommend, serve, sync, workouts
from api.cli.context import (
    EXIT_FAILED_FILES,
    EXIT_INTERNAL,
    EXIT_INTERRUPTED,
    EXIT_LOCKED,
    EXIT_USAGE,
    Cli,
    CliError,
    Handler,
)

if TYPE_CHECKING:
    from rich.console import Console

    from api.settings import Settings

__all__ = ["EXIT_FAILED_FILES", "EXIT_LOCKED", "EXIT_USAGE", "build_parser", "main"]
GROUPS = (ingest, athletes, db, demo, recommend, sync, serve, workouts, info, data)
log = logging.getLogger("legday.cli")

EPILOG = """\
exit codes: 0 done; 1 some files failed (each listed with its reason); 2 a user error (bad
argument or setting, unknown athlete: nothing changed); 3 sync --once: another runner holds the
folder; 70 a bug in legday (LEGDAY_LOG_LEVEL=DEBUG shows the traceback); 130 interrupted.
data: LEGDAY_DATA_DIR, else the platform's user data folder (~/.local/share/legday on Linux);
logs: LEGDAY_LOG_LEVEL (DEBUG, INFO, WARNING, ERROR), LEGDAY_LOG_FORMAT (text, json)."""


def build_parser() -> argparse.ArgumentParser:
    parser = types.Parser(
        prog="legday",
        description="Trail-running watch files in, the week's strength plan out.",
        epilog=EPILOG,
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    parser.add_argument("--version", action=types.VersionAction)
    parser.add_argument("--data-dir", type=Path, help="data directory (env LEGDAY_DATA_DIR)")
    parser.add_argument("--database-url", help="database URL (env LEGDAY_DATABASE_URL)")
    sub = parser.add_subparsers(dest="command", required=True, metavar="COMMAND")
    for group in GROUPS:
        group.register(sub)
    return parser


def main(
    argv: Sequence[str] | None = None,
    *,
    settings: Settings | None = None,
    console: Console | None = None,
    clock: Callable[[], datetime] | None = None,
    errors: Console | None = None,
) -> int:
    try:
        args = build_parser().parse_args(argv)
    except SystemExit as done:  # --help, --version, or a bad argument (already printed)
        return done.code if isinstance(done.code, int) else EXIT_USAGE
    from rich.console import Console

    errors = errors or (console if console is not None else Console(stderr=True))
    try:
        _configure_logging()
        cli = Cli(_settings(args, settings), console or Console(), clock or _now, errors=errors)
    except CliError as exc:
        _print_error(errors, str(exc))
        return EXIT_USAGE
    try:
        handler: Handler = args.handler
        return handler(args, cli)
    except CliError as exc:
        _print_error(cli.err, str(exc))
        return EXIT_USAGE
    except KeyboardInterrupt:
        _print_error(cli.err, "interrupted")
        return EXIT_INTERRUPTED
    except Exception as exc:
        log.debug("legday %s failed", args.command, exc_info=True)
        _print_error(
            cli.err,
            f"internal error: {type(exc).__name__}: {exc} — a bug in legday; "
            "LEGDAY_LOG_LEVEL=DEBUG prints the traceback",
        )
        return EXIT_INTERNAL
    finally:
        cli.close()


def _now() -> datetime:
    return datetime.now(UTC)


def _print_error(console: Console, message: str) -> None:
    from rich.text import Text

    console.print(Text.assemble(("error:", "red"), " ", message), highlight=False, soft_wrap=True)


def _configure_logging() -> None:
    from api.logs import LogSettingsError, configure

    try:
        configure(os.environ)
    except LogSettingsError as exc:
        raise CliError(str(exc)) from None


def _settings(args: argparse.Namespace, given: Settings | None) -> Settings:
    from pydantic import ValidationError

    from api.settings import Settings

    overrides: dict[str, Any] = {}
    if args.data_dir is not None:
        overrides["data_dir"] = args.data_dir
    if args.database_url:
        overrides["database_url"] = args.database_url
    try:
        if given is None:
            return Settings(**overrides)
        if not overrides:
            return given
        return Settings(**{**given.model_dump(exclude={"database_url"}), **overrides})
    except ValidationError as exc:
        raise CliError(_setting_errors(exc)) from None
    except RuntimeError as exc:  # no home folder to put the default data directory in
        raise CliError(str(exc)) from None


def _setting_errors(exc: Any) -> str:
    """``LEGDAY_PORT: Input should be a valid integer ('abc')`` for each invalid setting."""
    parts = []
    for err in exc.errors():
        name = "LEGDAY_" + "_".join(str(p) for p in err.get("loc", ())).upper()
        parts.append(f"{name}: {err.get('msg', 'invalid')} ({err.get('input')!r})")
    return "; ".join(parts) or str(exc)
