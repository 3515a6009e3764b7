"""What every command handler gets: the settings, a console, the clock and the store (opened on
first use, its schema brought up to date explicitly). Light to import: ``legday --help`` loads
nothing of the web stack, the database layer or pandas: every heavy import waits for first use."""

from __future__ import annotations

import argparse
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import UTC, date, datetime
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from rich.console import Console

    from api.settings import Settings
    from ingest.store import AthleteRecord, Store

EXIT_FAILED_FILES = 1
EXIT_USAGE = 2
EXIT_LOCKED = 3


class CliError(Exception):
    """A user error: printed without a traceback, exit code 2."""


@dataclass
class Cli:
    settings: Settings
    console: Console
    clock: Callable[[], datetime] = field(default=lambda: datetime.now(UTC))
    _store: Store | None = None

    def store(self, *, upgrade: bool = True) -> Store:
        """The store named by the settings, its schema brought up to date (explicitly, here)."""
        if self._store is None:
            from sqlalchemy.exc import SQLAlchemyError

            from ingest.store import Store

            try:
                self._store = Store(
                    self.settings.database_url,
                    self.settings.data_dir,
                    quota_bytes=self.settings.quota_bytes,
                )
                if upgrade:
                    self._store.upgrade()
            except (OSError, SQLAlchemyError) as exc:  # full disk, no permission, server down
                self._store = None
                reason = getattr(exc, "orig", None) or exc
                raise CliError(f"cannot open the store at {self.redacted_url()}: {reason}") from exc
        return self._store

    def athlete(self, name: str) -> AthleteRecord:
        athlete = self.store().athlete_by_name(name)
        if athlete is None:
            raise CliError(f"no athlete named {name!r}; create one: legday athletes create {name}")
        return athlete

    def today(self, athlete: AthleteRecord) -> date:
        from zoneinfo import ZoneInfo

        return self.clock().astimezone(ZoneInfo(athlete.timezone)).date()

    def redacted_url(self) -> str:
        """The database URL without its credentials, for messages."""
        url = self.settings.database_url
        return url.split("@")[-1] if "@" in url else url

    def close(self) -> None:
        if self._store is not None:
            self._store.dispose()


Handler = Callable[[argparse.Namespace, Cli], int]
Subparsers = Any  # argparse's private _SubParsersAction
