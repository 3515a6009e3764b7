"""Issue 14, finding 12, on the one archive path (issue 13): ``legday ingest`` opens files as the
folder sync does — without blocking, regular files only — so a FIFO in a folder (or named on
the command line) is a failed file, not a hang; and a symbolic link found in a folder that
leads outside it is a failed file, not followed."""

from __future__ import annotations

import contextlib
import io
import os
import shutil
import threading
from pathlib import Path

import pytest
from rich.console import Console

from api.cli.main import main
from api.settings import Settings
from tests.sync_fixtures import sample_files


def ingest(settings: Settings, *paths: Path, fifos: tuple[Path, ...] = ()) -> tuple[int, str]:
    """``legday ingest PATHS --athlete Ana`` in a thread; a FIFO it blocks on fails the test."""
    out = io.StringIO()
    console = Console(file=out, width=300, color_system=None)
    done: list[int] = []
    argv = ["ingest", *map(str, paths), "--athlete", "Ana", "--workers", "0"]
    worker = threading.Thread(
        target=lambda: done.append(main(argv, settings=settings, console=console)), daemon=True
    )
    worker.start()
    worker.join(timeout=60)
    if worker.is_alive():  # blocked opening a FIFO: give it writers so the thread can end
        for _ in range(3 * len(fifos)):
            for fifo in fifos:
                with contextlib.suppress(OSError):  # ENXIO: nobody has this one open yet
                    os.close(os.open(fifo, os.O_WRONLY | os.O_NONBLOCK))
            worker.join(timeout=5)
        pytest.fail("legday ingest blocked opening a FIFO")
    return done[0], out.getvalue()


@pytest.fixture
def settings(tmp_path: Path) -> Settings:
    settings = Settings(data_dir=tmp_path / "data")
    assert (
        main(["athletes", "create", "Ana"], settings=settings, console=Console(file=io.StringIO()))
        == 0
    )
    return settings


def test_a_fifo_in_a_folder_or_named_is_a_failed_file_not_a_hang(
    settings: Settings, tmp_path: Path
) -> None:
    folder = tmp_path / "watch"
    folder.mkdir()
    shutil.copy(sample_files(".fit")[0], folder / "run.fit")
    os.mkfifo(folder / "stuck.fit")
    os.mkfifo(tmp_path / "named.fit")
    code, out = ingest(settings, folder, tmp_path / "named.fit",
                       fifos=(folder / "stuck.fit", tmp_path / "named.fit"))  # fmt: skip
    assert code == 1, out

    def line(name: str) -> str:
        return next(line for line in out.splitlines() if f"{name} " in line)

    assert "ingested" in line("run.fit"), out
    for name in ("stuck.fit", "named.fit"):
        assert "failed" in line(name) and "not a regular file" in line(name), out


def test_a_link_in_a_folder_to_a_file_outside_it_is_not_followed(
    settings: Settings, tmp_path: Path
) -> None:
    folder = tmp_path / "watch"
    folder.mkdir()
    outside = tmp_path / "someone-else" / "theirs.fit"
    outside.parent.mkdir()
    shutil.copy(sample_files(".fit")[1], outside)
    shutil.copy(sample_files(".fit")[0], folder / "mine.fit")
    (folder / "link.fit").symlink_to(outside)
    code, out = ingest(settings, folder)
    assert code == 1, out
    link = next(line for line in out.splitlines() if "link.fit" in line)
    assert "failed" in link and "outside the folder" in link, out
    assert "ingested" in next(line for line in out.splitlines() if "mine.fit" in line)
