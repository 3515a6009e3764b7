"""Issue 14, finding 11: what the athletes and their files are called is printed as text, never
read as Rich markup. A name ``[/bold]…`` crashed ``legday athletes list`` (MarkupError); a name
``[link=…]…`` became a clickable link in the admin's terminal; a file ``a[/b].fit`` crashed
``legday sync --once``, ``legday sync --status`` and ``legday ingest``."""

from __future__ import annotations

import io
import shutil
from datetime import UTC, datetime
from pathlib import Path

import pytest
from rich.console import Console

from api.cli.main import main
from api.settings import Settings
from ingest.store import Store
from tests.conftest import SAMPLE_DATA

NOW = datetime(2026, 11, 28, 9, 0, tzinfo=UTC)
CLOSING = "[/bold]Ana"
LINK = "[link=https://evil.example/phish]Click me[/link]"
BAD_FILE = "a[/b].fit"  # the file b].fit in the folder a[: its path reads as a closing tag
OSC8 = "\x1b]8;"  # a terminal hyperlink


def run(settings: Settings, *argv: str, terminal: bool = False) -> tuple[int, str]:
    out = io.StringIO()
    if terminal:  # colours and hyperlinks on, as in the admin's terminal
        console = Console(file=out, width=250, force_terminal=True, color_system="truecolor")
    else:
        console = Console(file=out, width=250, color_system=None)
    code = main(list(argv), settings=settings, console=console, clock=lambda: NOW)
    return code, out.getvalue()


@pytest.fixture
def settings(tmp_path: Path) -> Settings:
    return Settings(data_dir=tmp_path / "data")


def add_athletes(settings: Settings, *names: str) -> None:
    store = Store(settings.database_url, settings.data_dir)
    store.upgrade()
    for name in names:
        store.create_athlete(name)
    store.dispose()


def test_an_athlete_named_like_a_closing_tag_is_listed_as_written(settings: Settings) -> None:
    add_athletes(settings, CLOSING, "[bold red]Bo")
    code, out = run(settings, "athletes", "list")
    assert code == 0, out
    assert CLOSING in out and "[bold red]Bo" in out


def test_an_athlete_named_like_a_link_is_no_link_in_the_terminal(settings: Settings) -> None:
    add_athletes(settings, LINK)
    code, out = run(settings, "athletes", "list", terminal=True)
    assert code == 0, out
    assert OSC8 not in out and "evil.example" in out  # the text shows, no hyperlink is made


def test_an_unknown_athlete_named_like_markup_is_named_in_the_error(settings: Settings) -> None:
    add_athletes(settings, "Ana")
    code, out = run(settings, "recommend", "--athlete", CLOSING)
    assert code == 2 and f"no athlete named {CLOSING!r}" in out, out


def broken_file_folder(tmp_path: Path) -> Path:
    folder = tmp_path / "watch"
    (folder / "a[").mkdir(parents=True)
    (folder / BAD_FILE).write_bytes(b"\x0e\x10\x00\x00 no FIT file at all")
    shutil.copy(sorted((SAMPLE_DATA / "athlete").glob("*.fit"))[0], folder / "[red]good.fit")
    return folder


def test_a_file_named_like_markup_is_reported_by_sync_once_and_status(
    settings: Settings, tmp_path: Path
) -> None:
    add_athletes(settings, "Ana")
    folder = broken_file_folder(tmp_path)
    code, out = run(settings, "sync", str(folder), "--athlete", "Ana", "--once", "--settle", "0")
    assert code == 1, out  # one file failed: the documented exit code, not a crash
    assert f"failed {BAD_FILE}:" in out and "1 ingested" in out
    code, out = run(settings, "sync", str(folder), "--athlete", "Ana", "--status", terminal=True)
    assert code == 0, out
    assert BAD_FILE in out and OSC8 not in out


def test_a_file_named_like_markup_is_reported_by_ingest(settings: Settings, tmp_path: Path) -> None:
    add_athletes(settings, "Ana")
    folder = broken_file_folder(tmp_path)
    code, out = run(settings, "ingest", str(folder), "--athlete", "Ana", "--workers", "0")
    assert code == 1, out
    assert BAD_FILE in out and "[red]good.fit" in out
