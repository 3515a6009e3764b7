"""The folder walk and the settle rule, on real folders (zip members: ``test_exports``)."""

from __future__ import annotations

from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st

from ingest.errors import IngestError
from ingest.sync.scan import is_temporary, read_file, settled, walk


def _touch(path: Path, data: bytes = b"x") -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_bytes(data)
    return path


def test_the_walk_is_recursive_and_classifies_activities_archives_and_the_strava_index(
    tmp_path: Path,
) -> None:
    _touch(tmp_path / "a.fit")
    _touch(tmp_path / "deep" / "er" / "b.GPX.gz")
    _touch(tmp_path / "export.zip")
    _touch(tmp_path / "strava" / "activities.csv")
    _touch(tmp_path / "notes.txt")
    kinds = {e.rel_path: e.kind for e in walk(tmp_path)}
    assert kinds == {
        "a.fit": "activity",
        "deep/er/b.GPX.gz": "activity",
        "export.zip": "archive",
        "strava/activities.csv": "index",
        "notes.txt": "other",
    }


@pytest.mark.parametrize(
    "name",
    ["run.fit.part", "run.fit.tmp", "run.fit.crdownload", ".run.fit", "run.fit~", "~$run.fit",
     "#run.fit#", ".syncthing.run.fit.tmp", "run.fit.partial", "run.gpx.download"],
)  # fmt: skip
def test_temporary_names_are_never_candidates(tmp_path: Path, name: str) -> None:
    assert is_temporary(name)
    _touch(tmp_path / name)
    assert list(walk(tmp_path)) == []


def test_hidden_directories_are_not_entered(tmp_path: Path) -> None:
    _touch(tmp_path / ".git" / "x.fit")
    _touch(tmp_path / ".stversions" / "y.fit")
    assert list(walk(tmp_path)) == []


def test_symbolic_links_are_reported_and_never_followed_even_out_of_the_folder(
    tmp_path: Path,
) -> None:
    outside = tmp_path / "outside"
    _touch(outside / "secret.fit")
    root = tmp_path / "root"
    root.mkdir()
    (root / "link.fit").symlink_to(outside / "secret.fit")
    (root / "linkdir").symlink_to(outside, target_is_directory=True)
    entries = {e.rel_path: e.kind for e in walk(root)}
    assert entries == {"link.fit": "symlink", "linkdir": "symlink"}
    with pytest.raises(IngestError):
        read_file(root, "link.fit", 100)


def test_a_file_is_read_with_a_bound(tmp_path: Path) -> None:
    _touch(tmp_path / "big.fit", b"a" * 1000)
    assert len(read_file(tmp_path, "big.fit", 10)) == 11


def test_a_fresh_file_is_not_settled_until_seen_unchanged_for_the_settle_time() -> None:
    mtime_ns = int(1000.0 * 1e9)
    ok, since = settled(10, mtime_ns, now=1000.2, settle_s=5, previous=None)
    assert not ok and since == 1000.2
    ok, since = settled(10, mtime_ns, now=1003.0, settle_s=5, previous=(10, mtime_ns, since))
    assert not ok and since == 1000.2
    ok, _ = settled(10, mtime_ns, now=1005.3, settle_s=5, previous=(10, mtime_ns, since))
    assert ok


def test_a_growing_file_restarts_the_settle_clock() -> None:
    first = int(1000.0 * 1e9)
    later = int(1004.0 * 1e9)
    ok, since = settled(20, later, now=1004.1, settle_s=5, previous=(10, first, 1000.0))
    assert not ok and since == 1004.1


def test_a_file_whose_mtime_is_older_than_the_settle_time_is_settled_at_first_sight() -> None:
    ok, _ = settled(10, int(900 * 1e9), now=1000.0, settle_s=60, previous=None)
    assert ok


@given(
    size=st.integers(0, 10**9),
    mtime=st.floats(0, 2e9),
    now=st.floats(0, 2e9),
    settle=st.floats(0.1, 3600),
)
def test_nothing_is_settled_when_it_changed_less_than_the_settle_time_ago(
    size: int, mtime: float, now: float, settle: float
) -> None:
    mtime_ns = int(mtime * 1e9)
    ok, since = settled(size, mtime_ns, now=now, settle_s=settle, previous=None)
    if ok:
        assert now - mtime_ns / 1e9 >= settle
    assert since == now


def test_the_walk_never_changes_the_folder(tmp_path: Path) -> None:
    _touch(tmp_path / "a.fit")
    _touch(tmp_path / "b.part")
    before = sorted((p, p.stat().st_mtime_ns) for p in tmp_path.rglob("*"))
    list(walk(tmp_path))
    read_file(tmp_path, "a.fit", 10)
    assert sorted((p, p.stat().st_mtime_ns) for p in tmp_path.rglob("*")) == before
