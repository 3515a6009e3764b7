"""Logs (issue 16, 4): standard ``logging`` with timestamps and levels, ``LEGDAY_LOG_LEVEL`` and
``LEGDAY_LOG_FORMAT=json``; one line per sync run and per failed file, also from the scheduler
inside ``legday serve``; progress for ``legday reprocess``; ``legday sync --status`` without
``--athlete`` shows every folder."""

from __future__ import annotations

import io
import json
import logging
import re
import shutil
import time
from collections.abc import Iterator
from datetime import UTC, datetime
from pathlib import Path

import httpx2
import pytest
from rich.console import Console

from api.cli.main import main
from api.logs import configure
from api.scheduler import log_report
from api.settings import Settings
from ingest.pipeline import parse_activity
from ingest.store import Store
from ingest.sync.job import RunReport
from tests.conftest import SAMPLE_DATA
from tests.serve_support import legday_serve

NOW = datetime(2026, 11, 28, 9, 0, tzinfo=UTC)
STAMP = r"\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}\+00:00"
GOOD = sorted((SAMPLE_DATA / "athlete").glob("*.fit"))[:2]


@pytest.fixture(autouse=True)
def restore_logging() -> Iterator[None]:
    yield
    configure({})  # back to the defaults for the tests after this one


def run(settings: Settings, *argv: str) -> tuple[int, str]:
    out = io.StringIO()
    console = Console(file=out, width=250, color_system=None)
    code = main(list(argv), settings=settings, console=console, clock=lambda: NOW)
    return code, out.getvalue()


def watch_folder(tmp_path: Path, name: str = "watch") -> Path:
    folder = tmp_path / name
    folder.mkdir()
    for path in GOOD:
        shutil.copy(path, folder / path.name)
    (folder / "broken.fit").write_bytes(b"\x0e\x10\x00\x00 not a FIT file")
    return folder


def test_a_log_line_has_a_timestamp_a_level_and_the_logger(
    capsys: pytest.CaptureFixture[str],
) -> None:
    configure({"LEGDAY_LOG_LEVEL": "info"})
    logging.getLogger("legday.sync").info("hello %s", "there")
    logging.getLogger("legday.sync").debug("not shown at INFO")
    err = capsys.readouterr().err
    assert re.fullmatch(rf"{STAMP} INFO legday\.sync: hello there\n", err), err


def test_json_logs_are_one_object_per_line_with_the_extra_fields(
    capsys: pytest.CaptureFixture[str],
) -> None:
    configure({"LEGDAY_LOG_FORMAT": "json", "LEGDAY_LOG_LEVEL": "DEBUG"})
    report = RunReport(folder="/srv/watch", ingested=3, failed=1, seconds=1.25)
    report.failures.append(("a/broken.fit", "not an activity file"))
    log_report(report, "Ana")
    lines = [json.loads(line) for line in capsys.readouterr().err.splitlines()]
    assert [(x["level"], x["logger"]) for x in lines] == [
        ("INFO", "legday.sync"),
        ("WARNING", "legday.sync"),
    ]
    run_line, failed = lines
    assert run_line["message"].startswith("sync /srv/watch for 'Ana': ok, 3 ingested")
    assert run_line["ingested"] == 3 and run_line["failed"] == 1 and run_line["athlete"] == "Ana"
    assert failed["file"] == "a/broken.fit" and failed["reason"] == "not an activity file"
    assert re.fullmatch(STAMP, run_line["time"])


def test_the_scheduler_inside_serve_logs_each_run_and_each_failed_file(tmp_path: Path) -> None:
    """Before, ``legday serve`` with sync folders ingested and failed files without a line."""
    folder = watch_folder(tmp_path)
    settings = Settings(data_dir=tmp_path / "legday-data")
    assert run(settings, "athletes", "create", "Ana")[0] == 0
    env = {"LEGDAY_SYNC_FOLDERS": f"Ana={folder}", "LEGDAY_SYNC_SETTLE": "0"}
    with legday_serve(tmp_path, env=env) as server:
        deadline = time.monotonic() + 60
        while "failed broken.fit" not in server.output() and time.monotonic() < deadline:
            time.sleep(0.2)
        httpx2.get(f"{server.url}/healthz", timeout=5)
        time.sleep(0.5)
        output = server.output()
    run_line = next(line for line in output.splitlines() if "legday.sync: sync " in line)
    assert re.match(rf"{STAMP} INFO legday\.sync: sync {re.escape(str(folder))} for 'Ana': ok, "
                    r"2 ingested, 0 duplicate, 1 failed", run_line), output  # fmt: skip
    failed = next(line for line in output.splitlines() if "failed broken.fit" in line)
    assert re.match(rf"{STAMP} WARNING legday\.sync: sync .*: failed broken\.fit: \S", failed)
    access = next(line for line in output.splitlines() if "GET /healthz" in line)
    assert re.match(rf"{STAMP} INFO uvicorn\.access: ", access), access
    assert "Traceback" not in output


def test_serve_logs_json_when_asked(tmp_path: Path) -> None:
    with legday_serve(tmp_path, env={"LEGDAY_LOG_FORMAT": "json"}) as server:
        httpx2.get(f"{server.url}/healthz", timeout=5)
        time.sleep(0.5)
        output = server.output()
    lines = [json.loads(line) for line in output.splitlines() if line.startswith("{")]
    assert any(x["logger"] == "uvicorn.access" and "/healthz" in x["message"] for x in lines)
    assert any(x["logger"] == "uvicorn.error" and x["level"] == "INFO" for x in lines)
    stray = [line for line in output.splitlines() if not line.startswith("{")]
    assert all(line.startswith("legday: admin token") for line in stray), stray


def test_reprocess_reports_progress_when_not_on_a_terminal(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    settings = Settings(data_dir=tmp_path / "data")
    run(settings, "athletes", "create", "Ana")
    run(settings, "ingest", *map(str, GOOD), "--athlete", "Ana", "--workers", "0")
    capsys.readouterr()
    code, out = run(settings, "reprocess")
    assert code == 0 and "reprocessed 2: 2 updated" in out
    err = capsys.readouterr().err
    assert re.search(rf"{STAMP} INFO legday\.reprocess: reprocessing: 2 of 2 done", err), err


def test_reprocess_progress_counts_every_activity_however_it_ends(tmp_path: Path) -> None:
    store = Store(None, tmp_path)
    store.upgrade()
    try:
        athlete, _ = store.create_athlete("Ana")
        for path in GOOD:
            parsed = parse_activity(path.read_bytes(), path.name, athlete.metrics_profile())
            store.add_activity(athlete.id, parsed)
        seen: list[tuple[int, int]] = []
        store.blobs.delete(store.raw_file_hashes()[0])  # one raw file lost
        report = store.reprocess(progress=lambda done, total: seen.append((done, total)))
        assert report.missing_blob == 1 and report.updated == 1
        assert seen == [(0, 2), (1, 2), (2, 2)]
    finally:
        store.dispose()


def test_sync_status_without_an_athlete_shows_every_athletes_folders(tmp_path: Path) -> None:
    """Before, ``legday sync --status`` without ``--athlete`` and without configured folders
    printed nothing and exited 0."""
    settings = Settings(data_dir=tmp_path / "data")
    code, out = run(settings, "sync", "--status")
    assert code == 0 and "no sync folders yet" in out
    for name in ("Ana", "Bo"):
        run(settings, "athletes", "create", name)
        folder = watch_folder(tmp_path, f"watch-{name}")
        assert run(settings, "sync", str(folder), "--athlete", name, "--once", "--settle", "0")[
            0
        ] == 1  # fmt: skip
    code, out = run(settings, "sync", "--status")
    assert code == 0, out
    assert "sync folders of Ana" in out and "sync folders of Bo" in out
    assert str(tmp_path / "watch-Ana") in out and str(tmp_path / "watch-Bo") in out
    assert out.count("failed broken.fit") == 0 and out.count("/broken.fit:") == 2
