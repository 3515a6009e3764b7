"""Mutations of every corpus file (bit flips, byte overwrites, truncation, splices of two files,
duplicated chunks; FIT files also resealed so the mutation gets past the CRC) through the whole
ingest path: parse_activity, then add_activity on a real SQLite store for what parses.

Only IngestError may come out, and never one of the catch-alls that wrap a bug (ours or a
library's) as a refusal; after a refusal the store has no new row and no new raw file. The budget
is a few examples per file (the whole file runs in about a minute on two busy cores;
LEGDAY_FUZZ_EXAMPLES=200 for a local campaign); the atheris harnesses in fuzz/ run the long ones.
"""

from __future__ import annotations

import os
from collections.abc import Iterator
from functools import cache
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from ingest.decode.fit_crc import crc16
from ingest.errors import IngestError
from ingest.measure.summary import MetricsProfile
from ingest.pipeline import parse_activity
from ingest.store import Store
from tests.conftest import CORPUS

pytestmark = pytest.mark.corpus

FOLDERS = ("fit", "gpx", "broken")
FILES = sorted(
    f"{folder}/{p.name}" for folder in FOLDERS if (CORPUS / folder).is_dir()
    for p in (CORPUS / folder).iterdir()
)  # fmt: skip
PROFILE = MetricsProfile(hr_rest=50, hr_max=190)
CATCH_ALLS = ("could not read the file (", "unexpected decoder failure")
EXAMPLES_PER_FILE = int(os.environ.get("LEGDAY_FUZZ_EXAMPLES", "6"))  # more for a local campaign


@cache
def content(path: str) -> bytes:
    return (CORPUS / path).read_bytes()


def reseal(data: bytes) -> bytes:
    """A FIT file whose header declares all its bytes and whose file CRC is right again."""
    if len(data) < 16 or data[0] not in (12, 14) or data[8:12] != b".FIT":
        return data
    head = bytearray(data[: data[0]])
    body = data[data[0] : -2]
    head[4:8] = len(body).to_bytes(4, "little")
    if len(head) == 14:
        head[12:14] = b"\0\0"
    sealed = bytes(head) + body
    return sealed + crc16(sealed).to_bytes(2, "little")


@st.composite
def mutated(draw: st.DrawFn, path: str) -> bytes:
    data = bytearray(content(path))
    size = len(data)
    at = st.integers(0, max(size - 1, 0))
    kind = draw(st.sampled_from(["flip", "overwrite", "truncate", "splice", "duplicate"]))
    if kind == "flip" and size:
        for index in draw(st.lists(at, min_size=1, max_size=8)):
            data[index] ^= 1 << draw(st.integers(0, 7))
    elif kind == "overwrite" and size:
        index = draw(at)
        chunk = draw(st.binary(min_size=1, max_size=16))
        data[index : index + len(chunk)] = chunk
    elif kind == "truncate":
        del data[draw(st.integers(0, size)) :]
    elif kind == "splice":
        other = content(draw(st.sampled_from(FILES)))
        data = data[: draw(st.integers(0, size))] + other[draw(st.integers(0, len(other))) :]
    elif size:
        start = draw(at)
        chunk = data[start : start + draw(st.integers(1, 4096))]
        where = draw(st.integers(0, size))
        data[where:where] = chunk * draw(st.integers(1, 3))
    out = bytes(data)
    return reseal(out) if path.endswith(".fit") and draw(st.booleans()) else out


@pytest.fixture(scope="module")
def store(tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[Store, int, Path]]:
    data_dir = tmp_path_factory.mktemp("fuzz-store")
    s = Store(None, data_dir)
    s.upgrade()
    athlete = s.create_athlete("fuzz")[0].id
    yield s, athlete, data_dir / "blobs"
    s.dispose()


def snapshot(store: Store, athlete: int, blobs: Path) -> tuple[int, int]:
    files = sum(1 for p in blobs.rglob("*") if p.is_file()) if blobs.exists() else 0
    return len(store.list_activities(athlete)), files


@pytest.mark.parametrize("path", FILES)
def test_a_mutated_corpus_file_is_stored_whole_or_refused_with_nothing_stored(
    corpus: Path, store: tuple[Store, int, Path], path: str
) -> None:
    s, athlete, blobs = store

    big = len(content(path)) > 2 * 1024 * 1024  # the SDK decodes a mangled 3 MB file in ~7 s

    @settings(
        max_examples=max(2, EXAMPLES_PER_FILE // 3) if big else EXAMPLES_PER_FILE,
        deadline=None,
        database=None,
        suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large],
    )
    @given(data=mutated(path))
    def one(data: bytes) -> None:
        before = snapshot(s, athlete, blobs)
        try:
            parsed = parse_activity(data, path, PROFILE)
        except IngestError as error:
            assert error.reason and error.file_name
            assert not error.reason.startswith(CATCH_ALLS), error.reason
            assert 400 <= error.status_code < 500
            assert snapshot(s, athlete, blobs) == before
            return
        outcome = s.add_activity(athlete, parsed)
        stored = s.get_activity(athlete, outcome.activity_id)
        assert stored is not None and stored.sha256 == parsed.sha256
        assert s.raw_file(athlete, outcome.activity_id) == parsed.content

    one()
