"""Argument types for the command line: each turns a string into a value or raises
``argparse.ArgumentTypeError`` with one line saying what is wrong and what would be right.
Standard library only (``legday --help`` loads nothing heavy)."""

from __future__ import annotations

import argparse
import difflib
import sys
from collections.abc import Callable, Sequence
from datetime import date
from pathlib import Path
from typing import Any, NoReturn

from api.durations import DurationError, parse_duration
from api.plain_text import refused_in_name

MAX_NAME = 200  # the athletes.name column
MAX_NEW_NAME = 100  # what the API takes for a new name (api.schemas.common.Name)
WEEKDAYS = ("monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday")


class Parser(argparse.ArgumentParser):
    """argparse, but an error is one line on stderr (the usage is one ``--help`` away), exit 2."""

    def error(self, message: str) -> NoReturn:
        self.exit(2, f"{self.prog}: error: {message}; see {self.prog} --help\n")


class VersionAction(argparse.Action):
    """``--version``: the installed distribution's version, looked up only when asked."""

    def __init__(self, option_strings: Sequence[str], dest: str = argparse.SUPPRESS, **kw: Any):
        super().__init__(option_strings, dest, nargs=0, help="print legday's version and exit")

    def __call__(self, parser: argparse.ArgumentParser, *_: Any, **__: Any) -> None:
        sys.stdout.write(f"legday {installed_version()}\n")
        parser.exit(0)


def installed_version() -> str:
    from importlib.metadata import PackageNotFoundError, version

    try:
        return version("legday")
    except PackageNotFoundError:
        return "unknown (not installed: pip install .)"


def name(text: str) -> str:
    """An athlete's name to look up: not blank, at most 200 characters (the column), no control
    characters (``api.plain_text``: the API's rule)."""
    return _name(text, MAX_NAME)


def new_name(text: str) -> str:
    """A name to give an athlete: as the API takes it (``api.schemas.common.Name``): spaces at the
    ends dropped, 1 to 100 characters, no control characters."""
    return _name(text, MAX_NEW_NAME).strip()


def _name(text: str, limit: int) -> str:
    if not text.strip():
        raise argparse.ArgumentTypeError("a name cannot be empty")
    if len(text.strip()) > limit:
        raise argparse.ArgumentTypeError(
            f"a name is at most {limit} characters ({len(text.strip())})"
        )
    bad = refused_in_name(text)
    if bad is not None:
        raise argparse.ArgumentTypeError(
            f"a name cannot hold control characters ({bad!a} in {text!r})"
        )
    return text


def timezone(text: str) -> str:
    """An IANA time zone that this machine's time-zone database has, e.g. ``Europe/Zurich``."""
    from zoneinfo import ZoneInfo, available_timezones

    try:
        ZoneInfo(text)
        return text
    except (KeyError, ValueError, OSError, UnicodeError):
        # not found (Mars/Olympus), a directory (Europe), a path (../x), an odd character
        pass
    zones = available_timezones() - {"localtime", "posixrules", "Factory"}
    close = difflib.get_close_matches(text, zones, n=1, cutoff=0.6)
    close = close or [z for z in sorted(zones) if z.lower() == text.lower()]
    prefix = text.rstrip("/") + "/"
    inside = sorted(z for z in zones if z.startswith(prefix))
    if inside:
        hint = f"; {text.rstrip('/')} is a region: pick a zone in it, e.g. {inside[0]}"
    elif close:
        hint = f"; did you mean {close[0]}?"
    else:
        hint = " (an IANA name such as Europe/Zurich, America/Denver or UTC)"
    raise argparse.ArgumentTypeError(f"unknown time zone {text!r}{hint}")


def iso_date(text: str) -> date:
    """A calendar date, ``YYYY-MM-DD``."""
    try:
        return date.fromisoformat(text.strip())
    except ValueError as error:
        reason = str(error)
        why = "" if reason.startswith("Invalid isoformat") else f": {reason}"
        raise argparse.ArgumentTypeError(f"not a date: {text!r}{why} (use YYYY-MM-DD)") from None


def duration(text: str) -> float:
    """Seconds from ``90s``, ``15m``, ``1h``, ``1h30m``; more than zero."""
    try:
        seconds = parse_duration(text)
    except DurationError as error:
        raise argparse.ArgumentTypeError(str(error)) from None
    if seconds <= 0:
        raise argparse.ArgumentTypeError(f"a duration must be more than zero: {text!r}")
    return seconds


def settle(text: str) -> float:
    """Like ``duration``, but zero is allowed (read files at once)."""
    try:
        return parse_duration(text)
    except DurationError as error:
        raise argparse.ArgumentTypeError(str(error)) from None


def count(low: int, high: int | None = None) -> Callable[[str], int]:
    """A whole number in [low, high]."""

    def parse(text: str) -> int:
        try:
            value = int(text)
        except ValueError:
            raise argparse.ArgumentTypeError(f"not a whole number: {text!r}") from None
        if value < low or (high is not None and value > high):
            span = f"from {low}" + ("" if high is None else f" to {high}")
            raise argparse.ArgumentTypeError(f"{value} is out of range ({span})")
        return value

    parse.__name__ = "count"
    return parse


def existing_path(text: str) -> Path:
    """A file or folder that exists."""
    if not text:
        raise argparse.ArgumentTypeError("a path cannot be empty")
    path = Path(text).expanduser()
    if not path.exists():
        raise argparse.ArgumentTypeError(f"no such file or folder: {text}")
    return path


def new_file(text: str) -> Path:
    """A file to write: its folder must exist, the file must not (nothing is overwritten)."""
    if not text:
        raise argparse.ArgumentTypeError("a path cannot be empty")
    path = Path(text).expanduser()
    if path.exists():
        raise argparse.ArgumentTypeError(f"{text} already exists (legday never overwrites)")
    if not path.parent.is_dir():
        raise argparse.ArgumentTypeError(f"no such folder: {path.parent}")
    return path


def new_folder(text: str) -> Path:
    """A folder to write into: new, or existing and empty (nothing is overwritten)."""
    if not text:
        raise argparse.ArgumentTypeError("a path cannot be empty")
    path = Path(text).expanduser()
    if path.exists() and (not path.is_dir() or any(path.iterdir())):
        raise argparse.ArgumentTypeError(
            f"{text} exists and is not an empty folder (legday never overwrites)"
        )
    if not path.parent.is_dir():
        raise argparse.ArgumentTypeError(f"no such folder: {path.parent}")
    return path
