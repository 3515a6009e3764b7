"""Issue 14, finding 12: a zip swapped for a FIFO between the folder walk and the archive's open
no longer hangs the folder's sync forever; the archive is opened without blocking, checked to be
a regular file inside the folder, and otherwise recorded as a failure with the reason."""

from __future__ import annotations

import os
import shutil
import threading
import zipfile
from collections.abc import Iterator
from pathlib import Path

import pytest

from ingest.store import Store
from ingest.sync import scan
from ingest.sync.job import RunReport, run_sync, sync_status
from tests.sync_fixtures import sample_files


@pytest.fixture
def store(tmp_path: Path) -> Iterator[Store]:
    s = Store(None, tmp_path / "data")
    s.upgrade()
    yield s
    s.dispose()


def run_with_timeout(store: Store, folder: Path, athlete: int, fifo: Path) -> RunReport:
    done: list[RunReport] = []
    worker = threading.Thread(
        target=lambda: done.append(run_sync(store, folder, athlete, settle_s=0)), daemon=True
    )
    worker.start()
    worker.join(timeout=15)
    if worker.is_alive():  # blocked in open(): give it a writer so the thread can finish
        fd = os.open(fifo, os.O_WRONLY | os.O_NONBLOCK)
        os.close(fd)
        worker.join(timeout=15)
        pytest.fail("the sync blocked opening a FIFO where the walk had seen a zip")
    return done[0]


def test_a_zip_swapped_for_a_fifo_after_the_walk_is_a_failed_archive_not_a_hang(
    store: Store, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    athlete = store.create_athlete("ana")[0].id
    folder = tmp_path / "watch"
    folder.mkdir()
    shutil.copy(sample_files(".fit")[0], folder / "run.fit")
    export = folder / "export.zip"
    with zipfile.ZipFile(export, "w") as archive:
        archive.write(sample_files(".fit")[1], "activities/1.fit")
    walk = scan.walk

    def walk_then_swap(root: Path) -> Iterator[scan.Entry]:
        entries = list(walk(root))  # the walk saw a regular zip file...
        export.unlink()
        os.mkfifo(export)  # ...and a FIFO stands there when the sync opens it
        yield from entries

    monkeypatch.setattr(scan, "walk", walk_then_swap)
    report = run_with_timeout(store, folder, athlete, export)
    assert (report.status, report.ingested, report.failed) == ("ok", 1, 1)
    (failure,) = sync_status(store, athlete)["folders"][0]["failures"]
    assert failure["path"] == "export.zip" and "not a regular file" in failure["reason"]


def test_an_archive_path_whose_folder_is_swapped_for_a_link_outside_is_not_read(
    store: Store, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    athlete = store.create_athlete("ana")[0].id
    folder = tmp_path / "watch"
    (folder / "sub").mkdir(parents=True)
    outside = tmp_path / "outside"
    outside.mkdir()
    with zipfile.ZipFile(folder / "sub" / "export.zip", "w") as archive:
        archive.write(sample_files(".fit")[1], "activities/1.fit")
    shutil.copy(folder / "sub" / "export.zip", outside / "export.zip")
    walk = scan.walk

    def walk_then_swap(root: Path) -> Iterator[scan.Entry]:
        entries = list(walk(root))
        shutil.rmtree(folder / "sub")
        (folder / "sub").symlink_to(outside)  # the directory now leads out of the folder
        yield from entries

    monkeypatch.setattr(scan, "walk", walk_then_swap)
    report = run_with_timeout(store, folder, athlete, outside / "never-a-fifo")
    assert (report.ingested, report.failed) == (0, 1)
    assert "outside the sync folder" in report.failures[0][1]
