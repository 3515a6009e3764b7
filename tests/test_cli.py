"""The ``legday`` command, run through ``main([...])`` against a fresh data directory."""

from __future__ import annotations

import io
import json
import shutil
import time
from collections.abc import Callable
from datetime import UTC, datetime
from pathlib import Path

import pytest
from rich.console import Console

from api.cli.main import build_parser, main
from api.settings import Settings
from ingest.store import Store, hash_token
from tests.conftest import SAMPLE_DATA

ATHLETE_FILES = SAMPLE_DATA / "athlete"
NOW = datetime(2026, 11, 28, 9, 0, tzinfo=UTC)

Run = Callable[..., tuple[int, str]]


@pytest.fixture
def settings(tmp_path: Path) -> Settings:
    return Settings(data_dir=tmp_path / "data")


@pytest.fixture
def run(settings: Settings) -> Run:
    def _run(*argv: str) -> tuple[int, str]:
        out = io.StringIO()
        console = Console(file=out, width=250, color_system=None)
        code = main(list(argv), settings=settings, console=console, clock=lambda: NOW)
        return code, out.getvalue()

    return _run


def sample_files(n: int) -> list[Path]:
    files = sorted(p for p in ATHLETE_FILES.glob("*.fit") if p.is_file())
    if len(files) < n:
        pytest.skip(f"sample_data/athlete has fewer than {n} FIT files (generate it first)")
    return files[:n]


def stored(settings: Settings, name: str) -> list[str]:
    store = Store(settings.database_url, settings.data_dir)
    athlete = store.athlete_by_name(name)
    assert athlete is not None
    names = [a.file_name for a in store.list_activities(athlete.id)]
    store.dispose()
    return names


def test_creating_an_athlete_prints_a_token_that_works(run: Run, settings: Settings) -> None:
    code, out = run("athletes", "create", "Ana", "--timezone", "Europe/Zurich")
    assert code == 0
    token = out.strip().splitlines()[-1]
    store = Store(settings.database_url, settings.data_dir)
    athlete = store.athlete_by_token_hash(hash_token(token))
    assert athlete is not None and athlete.timezone == "Europe/Zurich"
    store.dispose()


def test_a_token_created_on_the_command_line_expires_after_the_configured_days(
    tmp_path: Path,
) -> None:
    settings = Settings(data_dir=tmp_path / "data", token_ttl_days=30)
    out = io.StringIO()
    console = Console(file=out, width=250, color_system=None)
    assert (
        main(["athletes", "create", "Ana"], settings=settings, console=console, clock=lambda: NOW)
        == 0
    )
    store = Store(settings.database_url, settings.data_dir)
    athlete = store.athlete_by_name("Ana")
    store.dispose()
    assert athlete is not None and athlete.token_expires_at == datetime(
        2026, 12, 28, 9, 0, tzinfo=UTC
    )


def test_a_store_that_cannot_be_opened_is_a_clear_error_not_a_traceback(tmp_path: Path) -> None:
    blocker = tmp_path / "not-a-dir"
    blocker.write_text("a file where the data directory should be")
    out = io.StringIO()
    console = Console(file=out, width=250, color_system=None)
    settings = Settings(data_dir=blocker, database_url=f"sqlite:///{blocker}/legday.db")
    code = main(["db", "upgrade"], settings=settings, console=console, clock=lambda: NOW)
    assert code == 2
    assert "cannot open the store" in out.getvalue() and "Traceback" not in out.getvalue()


def test_creating_the_same_athlete_twice_is_an_error(run: Run) -> None:
    run("athletes", "create", "Ana")
    code, out = run("athletes", "create", "Ana")
    assert code == 2 and "already exists" in out


def test_db_upgrade_creates_the_database_in_the_data_dir(run: Run, settings: Settings) -> None:
    code, _ = run("db", "upgrade")
    assert code == 0 and (settings.data_dir / "legday.db").is_file()


def test_ingesting_for_an_unknown_athlete_says_how_to_create_one(run: Run, tmp_path: Path) -> None:
    code, out = run("ingest", str(tmp_path), "--athlete", "Nobody")
    assert code == 2 and "legday athletes create Nobody" in out


def test_a_broken_file_fails_the_command_but_every_good_file_is_stored(
    run: Run, settings: Settings, tmp_path: Path
) -> None:
    folder = tmp_path / "watch" / "nested"
    folder.mkdir(parents=True)
    good = sample_files(3)
    for f in good:
        shutil.copy(f, folder / f.name)
    (folder / "broken.fit").write_bytes(b"\x0e\x10\x00\x00garbage that is no FIT file")
    (folder / "upload.fit.part").write_bytes(b"half a file")  # a temp name: skipped
    run("athletes", "create", "Ana")
    code, out = run("ingest", str(tmp_path / "watch"), "--athlete", "Ana", "--workers", "0")
    assert code == 1
    assert sorted(stored(settings, "Ana")) == sorted(f.name for f in good)
    broken_line = next(line for line in out.splitlines() if "broken.fit" in line)
    assert "failed" in broken_line and len(broken_line.split("failed", 1)[1].strip(" │")) > 5
    assert "upload.fit.part" not in out and "Traceback" not in out


def test_ingesting_the_same_files_again_changes_nothing(run: Run, settings: Settings) -> None:
    files = [str(f) for f in sample_files(2)]
    run("athletes", "create", "Ana")
    assert run("ingest", *files, "--athlete", "Ana", "--workers", "0")[0] == 0
    code, out = run("ingest", *files, "--athlete", "Ana", "--workers", "0")
    assert code == 0 and out.count("duplicate") >= 3
    assert len(stored(settings, "Ana")) == 2


def test_other_engineers_can_add_a_subcommand_by_registering_a_handler() -> None:
    parser = build_parser()
    sub = next(a for a in parser._actions if a.dest == "command")
    assert {"ingest", "athletes", "reprocess", "db", "demo", "recommend"} <= set(sub.choices)  # type: ignore[arg-type]


@pytest.mark.slow
def test_the_demo_loads_the_sample_athlete_and_prints_a_plan_and_is_idempotent(
    run: Run, settings: Settings
) -> None:
    if not (SAMPLE_DATA / "profile.json").is_file() or not sample_files(1):
        pytest.skip("sample_data is not generated")
    started = time.perf_counter()
    code, out = run("demo", "--workers", "2")
    first = time.perf_counter() - started
    assert code == 0, out
    assert "heavy leg day" in out and "Traceback" not in out
    count = len(stored(settings, "Sam"))
    assert count == len([p for p in ATHLETE_FILES.iterdir() if p.suffix in (".fit", ".gpx")])
    code, out = run("demo", "--workers", "2")
    assert code == 0 and "0 new entries" in out
    assert len(stored(settings, "Sam")) == count
    assert first < 120


@pytest.mark.slow
def test_recommend_json_prints_the_week_plan(run: Run) -> None:
    if not (SAMPLE_DATA / "profile.json").is_file():
        pytest.skip("sample_data is not generated")
    run("athletes", "create", "Ana", "--timezone", "Europe/Zurich")
    run("ingest", *map(str, sample_files(4)), "--athlete", "Ana", "--workers", "0")
    code, out = run("recommend", "--athlete", "Ana", "--week", "2026-11-23", "--json")
    assert code == 0
    plan = json.loads(out)
    assert plan["week_start"] == "2026-11-23" and "rationale" in plan and "sessions" in plan
    code, out = run("recommend", "--athlete", "Ana", "--week", "2026-11-25")
    assert code == 0 and "phase" in out and "week of 2026-11-23" in out


@pytest.mark.corpus
@pytest.mark.slow
def test_the_whole_corpus_is_ingested_or_refused_file_by_file_with_reasons(
    run: Run, settings: Settings, corpus: Path
) -> None:
    folders = [corpus / "fit", corpus / "gpx", corpus / "broken"]
    files = sorted(p for f in folders for p in f.iterdir() if p.is_file())
    run("athletes", "create", "Ana")
    started = time.perf_counter()
    code, out = run("ingest", *map(str, folders), "--athlete", "Ana", "--workers", "2")
    seconds = time.perf_counter() - started
    assert code == 1 and "Traceback" not in out
    statuses: dict[str, str] = {}
    for path in files:
        line = next(line for line in out.splitlines() if f"{path} " in line)
        cells = [c.strip() for c in line.split("│")]
        status, reason = cells[2], cells[4]
        statuses[f"{path.parent.name}/{path.name}"] = status
        if status == "failed":
            assert len(reason) > 10, line  # a specific reason, not an empty cell
            assert "worker failed" not in reason and "unexpected" not in reason, line
        if path.parent.name == "broken":  # refused, or recovered and saying so (fit_recover)
            assert status == "failed" or reason.startswith("recovered: file truncated"), line
    good = [k for k in statuses if not k.startswith("broken/")]
    assert sum(statuses[k] != "failed" for k in good) >= 0.8 * len(good)
    # the real FIT/GPX pairs: the GPX is stored but counted once
    for stem in ("slib__6782987395", "slib__2067489619"):
        assert statuses[f"gpx/{stem}.gpx"] == "duplicate"
    print(f"corpus: {len(files)} files in {seconds:.1f} s, {len(files) / seconds:.1f} files/s")


@pytest.mark.parametrize(
    ("name", "timezone", "says"),
    [("ana", "UTC", "already exists"), (" ANA ", "UTC", "ignoring case"),
     ("Bo\nBo", "UTC", "control characters"), ("Bo\u202eX", "UTC", "control characters"),
     ("B" * 101, "UTC", "at most 100 characters"), ("Bo", "Europe", "unknown time zone")],
)  # fmt: skip
def test_the_cli_refuses_what_the_api_refuses_when_creating_an_athlete(
    run: Run, name: str, timezone: str, says: str, capsys: pytest.CaptureFixture[str]
) -> None:
    """The API's rules (a name of 1-100 characters without control characters, unique ignoring
    case; a real time zone), each a one-line error and exit 2: an argument the parser refuses is
    on stderr, a taken name on the console."""
    run("athletes", "create", "Ana")
    code, out = run("athletes", "create", name, "--timezone", timezone)
    text = out + capsys.readouterr().err
    assert code == 2 and says in text and "Traceback" not in text


def test_the_cli_takes_a_name_with_the_joiners_its_script_needs(
    run: Run, settings: Settings
) -> None:
    code, out = run("athletes", "create", "علی\u200cرضا")
    assert code == 0 and "created athlete" in out, out
    store = Store(settings.database_url, settings.data_dir)
    assert [a.name for a in store.list_athletes()] == ["علی\u200cرضا"]
    store.dispose()


def test_legday_sync_keeps_a_folder_with_its_athlete_after_renames(
    run: Run, settings: Settings, tmp_path: Path
) -> None:
    """Issue 14, finding 1, through the CLI: after the first `legday sync DIR --athlete A`, the
    folder is A's; A renaming to A2 and B taking the name A does not hand B the folder."""
    first, second = sample_files(2)
    folder = tmp_path / "watch"
    folder.mkdir()
    shutil.copy(first, folder / first.name)
    run("athletes", "create", "A")
    run("athletes", "create", "B")
    assert run("sync", str(folder), "--athlete", "A", "--once", "--settle", "0s")[0] == 0
    store = Store(settings.database_url, settings.data_dir)
    a, b = store.athlete_by_name("A"), store.athlete_by_name("B")
    assert a is not None and b is not None
    store.update_athlete(a.id, name="A2")
    store.update_athlete(b.id, name="A")
    store.dispose()
    shutil.copy(second, folder / second.name)
    code, out = run("sync", str(folder), "--athlete", "A", "--once", "--settle", "0s")
    assert code == 0 and "now named 'A2'" in out
    assert stored(settings, "A") == []  # B, now called A
    assert sorted(stored(settings, "A2")) == sorted([first.name, second.name])


def test_legday_sync_for_a_name_with_no_account_says_so_and_syncs_nothing(
    run: Run, tmp_path: Path
) -> None:
    folder = tmp_path / "watch"
    folder.mkdir()
    code, out = run("sync", str(folder), "--athlete", "nobody", "--once")
    assert code == 2 and "no athlete named 'nobody'" in out and "not synced" in out
