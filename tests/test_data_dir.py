"""Where the data lives (issue 16, 2): a default that does not depend on the current directory,
``legday info`` saying where it is and what it holds, and the sign-in link of
``legday athletes token`` (issue 15, 5)."""

from __future__ import annotations

import io
import json
import os
import subprocess
import sys
from datetime import UTC, datetime
from pathlib import Path

import pytest
from rich.console import Console

from api.cli.main import main
from api.data_dir import default_data_dir
from api.settings import Settings
from ingest.store import Store, hash_token

NOW = datetime(2026, 11, 28, 9, 0, tzinfo=UTC)


def run(settings: Settings, *argv: str) -> tuple[int, str]:
    out = io.StringIO()
    console = Console(file=out, width=250, color_system=None)
    code = main(list(argv), settings=settings, console=console, clock=lambda: NOW)
    return code, out.getvalue()


@pytest.mark.parametrize(
    ("platform", "environ", "expected"),
    [
        ("linux", {}, "/home/ana/.local/share/legday"),
        ("linux", {"XDG_DATA_HOME": "/srv/data"}, "/srv/data/legday"),
        ("linux", {"XDG_DATA_HOME": "relative/ignored"}, "/home/ana/.local/share/legday"),
        ("freebsd14", {}, "/home/ana/.local/share/legday"),
        ("darwin", {}, "/home/ana/Library/Application Support/legday"),
        ("win32", {"LOCALAPPDATA": "/c/ana/AppData/Local"}, "/c/ana/AppData/Local/legday"),
    ],
)  # fmt: skip
def test_the_default_data_dir_is_the_platform_user_data_folder(
    platform: str, environ: dict[str, str], expected: str
) -> None:
    assert default_data_dir(environ, platform, Path("/home/ana")) == Path(expected)


def test_the_default_does_not_depend_on_the_current_directory(tmp_path: Path) -> None:
    """Before, ``./legday-data``: ``legday athletes list`` from another folder made a new, empty
    database there and ``legday recommend`` said "no athlete named 'Ana'"."""
    env = {k: v for k, v in os.environ.items() if not k.startswith("LEGDAY_")}
    env["XDG_DATA_HOME"] = str(tmp_path / "xdg")
    probe = "from api.settings import Settings; print(Settings().data_dir)"
    seen = set()
    for folder in ("one", "two"):
        (tmp_path / folder).mkdir()
        result = subprocess.run(
            [sys.executable, "-c", probe],
            cwd=tmp_path / folder,
            env=env,
            capture_output=True,
            text=True,
            check=True,
        )
        seen.add(result.stdout.strip())
    assert seen == {str(tmp_path / "xdg" / "legday")}


def test_commands_that_read_never_create_a_database_in_a_folder_without_one(
    tmp_path: Path,
) -> None:
    """Before, ``legday athletes list`` (or ``recommend``, ``sync --status``) run against the
    wrong folder made a new, empty database there; ``recommend`` then said "no athlete named"."""
    settings = Settings(data_dir=tmp_path / "data")
    code, out = run(settings, "athletes", "list")
    assert code == 0 and f"no athletes yet in {tmp_path / 'data'}" in out
    code, out = run(settings, "sync", "--status")
    assert code == 0 and "no legday database in" in out
    code, out = run(settings, "recommend", "--athlete", "Ana")
    assert code == 2 and "no athlete named 'Ana': no legday database in" in out
    assert "legday athletes create Ana" in out
    for argv in (["reprocess"], ["backup", str(tmp_path / "bk")], ["export", "--athlete", "Ana",
                 str(tmp_path / "a.zip")]):  # fmt: skip
        code, out = run(settings, *argv)
        assert code == 2 and "no legday database in" in out, (argv, out)
    assert not (tmp_path / "data" / "legday.db").exists()
    assert not (tmp_path / "bk").exists() and not (tmp_path / "a.zip").exists()


def test_a_relative_or_home_data_dir_becomes_absolute() -> None:
    assert Settings(data_dir=Path("~/legday")).data_dir == Path.home() / "legday"
    assert Settings(data_dir=Path("rel")).data_dir == Path.cwd() / "rel"


def test_info_on_a_new_install_says_so_and_creates_nothing(tmp_path: Path) -> None:
    settings = Settings(data_dir=tmp_path / "data")
    code, out = run(settings, "info")
    assert code == 0, out
    assert f"data dir   {tmp_path / 'data'}" in out and "no database yet" in out
    assert not (tmp_path / "data").exists()


def test_info_prints_version_data_dir_database_and_counts(tmp_path: Path) -> None:
    from importlib.metadata import version

    settings = Settings(data_dir=tmp_path / "data")
    run(settings, "athletes", "create", "Ana")
    code, out = run(settings, "info", "--json")
    assert code == 0, out
    facts = json.loads(out)
    assert facts["version"] == version("legday")
    assert facts["data_dir"] == str(tmp_path / "data")
    assert facts["database"] == f"sqlite:///{tmp_path / 'data' / 'legday.db'}"
    assert facts["schema"].endswith("(latest)")
    assert facts["counts"]["athletes"] == 1 and facts["counts"]["activities"] == 0


def test_info_never_shows_the_database_password(tmp_path: Path) -> None:
    settings = Settings(
        data_dir=tmp_path, database_url="postgresql+psycopg://legday:s3cret@127.0.0.1:1/legday"
    )
    code, out = run(settings, "info")
    assert "s3cret" not in out
    assert code == 2 and "postgresql+psycopg://legday:***@127.0.0.1:1/legday" in out


def test_athletes_token_issues_a_new_token_and_prints_a_sign_in_link(tmp_path: Path) -> None:
    settings = Settings(data_dir=tmp_path / "data", port=8123)
    code, out = run(settings, "athletes", "create", "Ana")
    first = out.strip().splitlines()[-1]
    code, out = run(settings, "athletes", "token", "Ana")
    assert code == 0, out
    link = next(line for line in out.splitlines() if "#token=" in line).strip()
    assert link.startswith("http://127.0.0.1:8123/#token=")
    token = link.split("#token=", 1)[1]
    assert token in out.splitlines()[out.splitlines().index(link) - 2]  # printed alone too
    store = Store(settings.database_url, settings.data_dir)
    try:
        ana = store.athlete_by_token_hash(hash_token(token))
        assert ana is not None and ana.name == "Ana"
        assert store.athlete_by_token_hash(hash_token(first)) is None  # rotated: the old one stops
    finally:
        store.dispose()


def test_the_sign_in_link_uses_the_public_url_behind_a_proxy(tmp_path: Path) -> None:
    settings = Settings(data_dir=tmp_path, public_url="https://legday.example.org/")
    run(settings, "athletes", "create", "Ana")
    code, out = run(settings, "athletes", "token", "Ana")
    assert code == 0 and "https://legday.example.org/#token=" in out
    assert Settings(data_dir=tmp_path, host="0.0.0.0").sign_in_url("t") == (
        "http://localhost:8000/#token=t"
    )


def test_a_token_for_an_unknown_athlete_is_one_line(tmp_path: Path) -> None:
    code, out = run(Settings(data_dir=tmp_path), "athletes", "token", "Nobody")
    assert code == 2 and "no athlete named 'Nobody'" in out
