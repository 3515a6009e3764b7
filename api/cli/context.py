"""What every command handler gets: the settings, a console, the clock and the store (opened on
first use, its schema brought up to date explicitly). Light to import: ``legday --help`` loads
nothing of the web stack, the database layer or pandas: every heavy import waits for first use."""

from __future__ import annotations

import argparse
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import UTC, date, datetime
from pathlib import Path
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from rich.console import Console

    from api.settings import Settings
    from ingest.store import AthleteRecord, Store

# Exit codes (README "Exit codes"): scripts and systemd read them.
EXIT_OK = 0
EXIT_FAILED_FILES = 1  # the command ran, but some files failed (listed with their reasons)
EXIT_USAGE = 2  # a user error: a bad argument or setting, an unknown athlete; nothing was changed
EXIT_LOCKED = 3  # sync --once: another runner holds the folder
EXIT_INTERNAL = 70  # a bug in legday (EX_SOFTWARE): one line here, the traceback at DEBUG
EXIT_INTERRUPTED = 130  # Ctrl-C


class CliError(Exception):
    """A user error: printed on one line without a traceback, exit code 2."""


@dataclass
class Cli:
    settings: Settings
    console: Console
    clock: Callable[[], datetime] = field(default=lambda: datetime.now(UTC))
    _store: Store | None = None
    errors: Console | None = None  # where errors go (stderr); None: ``console``

    @property
    def err(self) -> Console:
        return self.errors or self.console

    def store(self, *, upgrade: bool = True, create: bool = True) -> Store:
        """The store named by the settings, its schema brought up to date (explicitly, here).
        ``create=False`` (commands that only read, or need an athlete): a SQLite database that
        does not exist yet is an error, not a new empty one in a folder the user did not mean."""
        if self._store is None:
            from sqlalchemy.exc import SQLAlchemyError

            from ingest.store import Store

            _hint_old_default(self.settings)
            if not create and not self.has_database():
                raise CliError(
                    f"no legday database in {self.where()} yet: legday athletes create NAME (or "
                    "legday demo) makes one; another folder: --data-dir or LEGDAY_DATA_DIR"
                )
            try:
                self._store = Store(
                    self.settings.database_url,
                    self.settings.data_dir,
                    quota_bytes=self.settings.quota_bytes,
                )
                if upgrade:
                    self._store.upgrade()
                else:
                    with self._store.engine.connect():
                        pass  # reachable, or a clear error now
            except ImportError as exc:  # postgresql+psycopg:// without the driver installed
                self._store = None
                raise CliError(
                    f"cannot open the store at {self.redacted_url()}: {exc} (PostgreSQL needs "
                    "its driver: pip install 'legday[postgres]')"
                ) from exc
            except (OSError, SQLAlchemyError) as exc:  # full disk, no permission, server down
                self._store = None
                reason = " ".join(str(getattr(exc, "orig", None) or exc).split())
                raise CliError(f"cannot open the store at {self.redacted_url()}: {reason}") from exc
        return self._store

    def has_database(self) -> bool:
        """False only for a SQLite database file that does not exist (PostgreSQL: always True)."""
        from sqlalchemy import make_url

        url = make_url(self.settings.database_url)
        if url.get_backend_name() != "sqlite" or url.database in (None, "", ":memory:"):
            return True
        return Path(url.database).is_file()

    def athlete(self, name: str) -> AthleteRecord:
        if not self.has_database():
            raise CliError(
                f"no athlete named {name!r}: no legday database in {self.where()} yet; create "
                f"one: legday athletes create {shell_quote(name)} (another folder: --data-dir "
                "or LEGDAY_DATA_DIR)"
            )
        athlete = self.store().athlete_by_name(name)
        if athlete is None:
            raise CliError(
                f"no athlete named {name!r} in {self.where()}; create one: "
                f"legday athletes create {shell_quote(name)}"
            )
        _check_timezone(athlete)
        return athlete

    def where(self) -> str:
        """The data directory, or the PostgreSQL database (credentials left out)."""
        if self.settings.is_sqlite:
            return str(self.settings.data_dir)
        return self.redacted_url()

    def today(self, athlete: AthleteRecord) -> date:
        from zoneinfo import ZoneInfo

        return self.clock().astimezone(ZoneInfo(athlete.timezone)).date()

    def redacted_url(self) -> str:
        """The database URL without its credentials, for messages."""
        return redact_url(self.settings.database_url)

    def close(self) -> None:
        if self._store is not None:
            self._store.dispose()


def redact_url(url: str) -> str:
    """``postgresql+psycopg://user:secret@host/db`` → ``postgresql+psycopg://user:***@host/db``."""
    scheme, sep, rest = url.partition("://")
    if not sep or "@" not in rest:
        return url
    credentials, _, host = rest.rpartition("@")
    user = credentials.split(":", 1)[0]
    return f"{scheme}://{user}{':***' if ':' in credentials else ''}@{host}"


def shell_quote(text: str) -> str:
    import shlex

    return shlex.quote(text)


def _check_timezone(athlete: AthleteRecord) -> None:
    """An athlete stored with a time zone this machine does not know (before legday checked, or
    a database moved from a machine with a newer time-zone database) is a clear error."""
    from zoneinfo import ZoneInfo

    try:
        ZoneInfo(athlete.timezone)
    except (KeyError, ValueError, OSError, UnicodeError):
        raise CliError(
            f"athlete {athlete.name!r} has the unknown time zone {athlete.timezone!r}: set one "
            'with PATCH /v1/me {"timezone": "Europe/Zurich"} (or update tzdata)'
        ) from None


def _hint_old_default(settings: Settings) -> None:
    """Earlier versions kept the data in ./legday-data: say where that data is when the
    default folder is new and an old one sits here."""
    import logging

    from api.data_dir import OLD_DEFAULT, default_data_dir

    try:
        default = default_data_dir()
    except RuntimeError:
        return
    if settings.data_dir != default or (default / "legday.db").exists():
        return
    if (OLD_DEFAULT / "legday.db").is_file():
        logging.getLogger("legday.cli").warning(
            "the data folder is now %s; the data in ./%s stays where it is: use "
            "--data-dir %s (or LEGDAY_DATA_DIR), or move it there",
            default, OLD_DEFAULT, OLD_DEFAULT.absolute(),
        )  # fmt: skip


Handler = Callable[[argparse.Namespace, Cli], int]
Subparsers = Any  # argparse's private _SubParsersAction
