"""The command line fails politely (issue 16, 3): every bad argument or setting is one line that
names it and says what would be right, with the documented exit code, never a traceback.

The table below is the one the README's "Exit codes" section shows (input → message → code)."""

from __future__ import annotations

import io
import subprocess
import sys
from datetime import UTC, datetime
from pathlib import Path

import pytest
from rich.console import Console

from api.cli.main import main
from api.settings import Settings
from ingest.store import Store

NOW = datetime(2026, 11, 28, 9, 0, tzinfo=UTC)

# argv → a piece of the one-line message → exit code. "{tmp}" is the test's folder.
TABLE: list[tuple[list[str], str, int]] = [
    (["athletes", "create", "Ana", "--timezone", "Mars/Olympus"],
     "argument --timezone: unknown time zone 'Mars/Olympus'", 2),
    (["athletes", "create", "Ana", "--timezone", "Europe"],
     "Europe is a region: pick a zone in it, e.g. Europe/", 2),
    (["athletes", "create", "Ana", "--timezone", "America/Argentina"],
     "America/Argentina is a region", 2),
    (["athletes", "create", "Ana", "--timezone", "europe/zurich"],
     "did you mean Europe/Zurich?", 2),
    (["athletes", "create", ""], "argument name: a name cannot be empty", 2),
    (["athletes", "create", "   "], "argument name: a name cannot be empty", 2),
    (["athletes", "create", "Ana\nBo"], "a name cannot hold control characters ('\\n'", 2),
    (["athletes", "create", "Ana\rX"], "control characters ('\\r'", 2),
    (["athletes", "create", "A" * 201], "a name is at most 100 characters (201)", 2),
    (["athletes", "create", "A" * 101], "a name is at most 100 characters (101)", 2),
    (["athletes", "create", "Ana\u202eX"], "control characters ('\\u202e'", 2),
    (["athletes", "create", "Ana\u200b"], "control characters ('\\u200b'", 2),
    (["recommend", "--athlete", "A" * 201], "a name is at most 200 characters (201)", 2),
    (["athletes", "create", "Ana", "--week-start", "tuesday"],
     "argument --week-start: invalid choice: 'tuesday'", 2),
    (["recommend", "--athlete", "Ana", "--week", "2026-13-01"],
     "argument --week: not a date: '2026-13-01': month must be in 1..12 (use YYYY-MM-DD)", 2),
    (["recommend", "--athlete", "Ana", "--week", "2026-02-30"],
     "not a date: '2026-02-30': day is out of range for month", 2),
    (["recommend", "--athlete", "Ana", "--week", "next week"],
     "not a date: 'next week' (use YYYY-MM-DD)", 2),
    (["recommend", "--athlete", "Nobody"], "no athlete named 'Nobody': no legday database in ", 2),
    (["recommend"], "the following arguments are required: --athlete", 2),
    (["sync", "{tmp}", "--athlete", "Ana", "--every", "15min"],
     "argument --every: not a duration: '15min' (try 90s, 15m, 1h)", 2),
    (["sync", "{tmp}", "--athlete", "Ana", "--every", "0"], "a duration must be more than zero", 2),
    (["sync", "{tmp}", "--athlete", "Ana", "--settle=-5s"], "not a duration: '-5s'", 2),
    (["sync", "{tmp}/missing", "--athlete", "Ana", "--once"], "not a folder: ", 2),
    (["sync", "{tmp}", "--once"], "sync DIR needs --athlete NAME", 2),
    (["sync", "{tmp}", "--athlete", "Ana", "--workers", "-1"],
     "argument --workers: -1 is out of range (from 0 to 256)", 2),
    (["ingest", "{tmp}/nothing-here.fit", "--athlete", "Ana"],
     "argument PATH: no such file or folder: ", 2),
    (["ingest", "{tmp}", "--athlete", "Ana", "--workers", "two"],
     "argument --workers: not a whole number: 'two'", 2),
    (["serve", "--port", "70000"], "argument --port: 70000 is out of range (from 0 to 65535)", 2),
    (["export", "--athlete", "Ana", "{tmp}/no/such/folder/ana.zip"], "no such folder: ", 2),
    (["export", "--athlete", "Ana", "{tmp}"], "already exists (legday never overwrites)", 2),
    (["import", "{tmp}/nothing.zip"], "no such file or folder: ", 2),
    (["backup", "{tmp}"], "is not an empty folder (legday never overwrites)", 2),
    (["frobnicate"], "argument COMMAND: invalid choice: 'frobnicate'", 2),
]  # fmt: skip


def run(argv: list[str], settings: Settings) -> tuple[int, str]:
    out = io.StringIO()
    console = Console(file=out, width=250, color_system=None)
    code = main(argv, settings=settings, console=console, clock=lambda: NOW)
    return code, out.getvalue()


@pytest.mark.parametrize(("argv", "message", "code"), TABLE, ids=lambda v: str(v)[:60])
def test_a_bad_argument_is_one_line_naming_it_and_the_documented_exit_code(
    argv: list[str],
    message: str,
    code: int,
    tmp_path: Path,
    capsys: pytest.CaptureFixture[str],
) -> None:
    settings = Settings(data_dir=tmp_path / "data")
    (tmp_path / "placeholder").write_text("so the folder is not empty")
    argv = [a.replace("{tmp}", str(tmp_path)) for a in argv]
    got, out = run(argv, settings)
    captured = capsys.readouterr()
    text = (out + captured.out + captured.err).strip()
    assert got == code, text
    assert message in text, text
    assert "Traceback" not in text
    assert len(text.splitlines()) == 1, text  # one line: no usage block, no stack


def test_version_prints_the_installed_version(capsys: pytest.CaptureFixture[str]) -> None:
    from importlib.metadata import version

    assert main(["--version"]) == 0
    assert capsys.readouterr().out.strip() == f"legday {version('legday')}"


def test_an_invalid_setting_in_the_environment_is_one_line_naming_the_variable(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    monkeypatch.setenv("LEGDAY_DATA_DIR", str(tmp_path))
    monkeypatch.setenv("LEGDAY_PORT", "eighty")
    out = io.StringIO()
    code = main(["info"], console=Console(file=out, width=250, color_system=None))
    assert code == 2
    text = out.getvalue().strip()
    assert text.startswith("error: LEGDAY_PORT:") and "'eighty'" in text, text
    assert len(text.splitlines()) == 1


def test_a_log_level_that_does_not_exist_is_one_line(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("LEGDAY_LOG_LEVEL", "verbose")
    code, out = run(["info"], Settings(data_dir=tmp_path))
    assert code == 2
    assert "LEGDAY_LOG_LEVEL: not a log level: 'verbose' (one of DEBUG, INFO" in out


def test_an_athlete_stored_with_an_unknown_time_zone_is_a_clear_error_not_a_traceback(
    tmp_path: Path,
) -> None:
    """Before this, an athlete created with ``--timezone Mars/Olympus`` was stored, and the next
    ``legday recommend`` died with a 40-line ZoneInfoNotFoundError."""
    settings = Settings(data_dir=tmp_path)
    store = Store(settings.database_url, settings.data_dir)
    store.upgrade()
    store.create_athlete("Ana", timezone="Mars/Olympus")
    store.dispose()
    code, out = run(["recommend", "--athlete", "Ana"], settings)
    assert code == 2, out
    assert "athlete 'Ana' has the unknown time zone 'Mars/Olympus'" in out
    assert "Traceback" not in out and len(out.strip().splitlines()) == 1


def test_a_bug_is_one_line_with_exit_70_and_the_traceback_only_at_debug(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    from api.cli import info

    def broken(*_: object) -> int:
        raise ZeroDivisionError("a bug")

    monkeypatch.setattr(info, "gather", broken)
    code, out = run(["info"], Settings(data_dir=tmp_path))
    assert code == 70
    assert "internal error: ZeroDivisionError: a bug" in out and "LEGDAY_LOG_LEVEL=DEBUG" in out
    assert "Traceback" not in out + capsys.readouterr().err
    monkeypatch.setenv("LEGDAY_LOG_LEVEL", "debug")
    code, _ = run(["info"], Settings(data_dir=tmp_path))
    assert code == 70 and "Traceback" in capsys.readouterr().err


def test_the_help_loads_no_web_database_or_dataframe_code() -> None:
    """``legday --help`` (and building the parser for any command) imports the standard library
    and the light CLI modules only: FastAPI, SQLAlchemy, pandas, pydantic and rich wait for the
    handler that needs them."""
    probe = (
        "import sys; from api.cli.main import build_parser; build_parser(); "
        "heavy = {'fastapi', 'starlette', 'sqlalchemy', 'pandas', 'numpy', 'pydantic', 'rich', "
        "'alembic', 'uvicorn', 'apscheduler'}; "
        "print(sorted({m.split('.')[0] for m in sys.modules} & heavy))"
    )
    result = subprocess.run(
        [sys.executable, "-c", probe], capture_output=True, text=True, check=True, timeout=60
    )
    assert result.stdout.strip() == "[]", result.stdout
