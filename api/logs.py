"""Logging for every legday process: standard ``logging``, one line per event on stderr, with a
timestamp and a level; ``LEGDAY_LOG_LEVEL`` (default INFO) and ``LEGDAY_LOG_FORMAT`` (``text``
default, or ``json``: one JSON object per line, for Loki, journald's JSON export or jq).

The same configuration (a ``logging.config.dictConfig`` dictionary) is applied by the command line
at start and handed to uvicorn as its ``log_config``, so ``legday serve`` (each of its worker
processes too) writes its access log, its errors and the sync scheduler's lines in one format.
Standard library only: the command line configures logging before anything heavy is imported.
"""

from __future__ import annotations

import json
import logging
import logging.config
import sys
from collections.abc import Mapping
from datetime import UTC, datetime
from typing import Any, TextIO

LEVEL_ENV = "LEGDAY_LOG_LEVEL"
FORMAT_ENV = "LEGDAY_LOG_FORMAT"
LEVELS = ("DEBUG", "INFO", "WARNING", "ERROR", "CRITICAL")
FORMATS = ("text", "json")
TEXT_FORMAT = "%(asctime)s %(levelname)s %(name)s: %(message)s"
# What a LogRecord carries by itself; anything else on it came from ``extra=`` (JSON fields).
_STANDARD = set(vars(logging.LogRecord("", 0, "", 0, "", None, None))) | {"message", "asctime"}


class LogSettingsError(ValueError):
    """A log level or format that does not exist."""


class StderrHandler(logging.StreamHandler):  # type: ignore[type-arg,unused-ignore]
    """Writes to whatever ``sys.stderr`` is when the record is emitted (tests swap it)."""

    def __init__(self) -> None:
        super().__init__(sys.stderr)

    @property  # type: ignore[override,unused-ignore]
    def stream(self) -> TextIO:
        return sys.stderr

    @stream.setter
    def stream(self, _value: TextIO) -> None:
        pass


class TextFormatter(logging.Formatter):
    """``2026-12-01T08:15:02.123+00:00 INFO legday.sync: message`` (UTC, ISO 8601)."""

    def __init__(self) -> None:
        super().__init__(TEXT_FORMAT)

    def formatTime(self, record: logging.LogRecord, datefmt: str | None = None) -> str:
        return _iso(record.created)


class JsonFormatter(logging.Formatter):
    """One JSON object per line: time, level, logger, message, the ``extra=`` fields, and the
    traceback (``exc``) when there is one."""

    def format(self, record: logging.LogRecord) -> str:
        entry: dict[str, Any] = {
            "time": _iso(record.created),
            "level": record.levelname,
            "logger": record.name,
            "message": record.getMessage(),
        }
        for key, value in vars(record).items():
            if key not in _STANDARD and not key.startswith("_"):
                entry[key] = value
        if record.exc_info:
            entry["exc"] = self.formatException(record.exc_info)
        return json.dumps(entry, default=str, ensure_ascii=False)


def _iso(created: float) -> str:
    return datetime.fromtimestamp(created, UTC).isoformat(timespec="milliseconds")


def level_from(environ: Mapping[str, str]) -> str:
    value = environ.get(LEVEL_ENV, "").strip().upper() or "INFO"
    if value == "WARN":
        value = "WARNING"
    if value not in LEVELS:
        raise LogSettingsError(
            f"{LEVEL_ENV}: not a log level: {environ.get(LEVEL_ENV)!r} (one of {', '.join(LEVELS)})"
        )
    return value


def format_from(environ: Mapping[str, str]) -> str:
    value = environ.get(FORMAT_ENV, "").strip().lower() or "text"
    if value not in FORMATS:
        raise LogSettingsError(
            f"{FORMAT_ENV}: not a log format: {environ.get(FORMAT_ENV)!r} (text or json)"
        )
    return value


def logging_config(level: str = "INFO", fmt: str = "text") -> dict[str, Any]:
    """The ``dictConfig`` for legday's loggers, uvicorn's and APScheduler's (the root logger is
    left alone). APScheduler's own INFO lines ("Running job …") show only at DEBUG."""
    formatter = "api.logs.JsonFormatter" if fmt == "json" else "api.logs.TextFormatter"
    ours = {"handlers": ["stderr"], "level": level, "propagate": False}
    return {
        "version": 1,
        "disable_existing_loggers": False,
        "formatters": {"legday": {"()": formatter}},
        "filters": {"feed_token": {"()": "api.access_log.FeedTokenFilter"}},
        "handlers": {"stderr": {"()": "api.logs.StderrHandler", "formatter": "legday"}},
        "loggers": {
            "legday": {"handlers": ["stderr"], "level": level, "propagate": True},
            "uvicorn": ours,
            "uvicorn.error": {"level": level},
            "uvicorn.access": {**ours, "filters": ["feed_token"]},
            "apscheduler": {**ours, "level": "DEBUG" if level == "DEBUG" else "WARNING"},
        },
    }


def configure(environ: Mapping[str, str]) -> dict[str, Any]:
    """Configure this process from ``LEGDAY_LOG_LEVEL``/``LEGDAY_LOG_FORMAT``; returns the
    dictionary (for uvicorn). Raises ``LogSettingsError`` for a level or format that is not one."""
    config = logging_config(level_from(environ), format_from(environ))
    logging.config.dictConfig(config)
    return config
