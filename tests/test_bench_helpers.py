"""The benchmark's replicated athlete: every copy is a distinct, valid activity shifted in time."""

from __future__ import annotations

import hashlib
from datetime import timedelta
from itertools import pairwise
from pathlib import Path

import pytest

from benchmarks.common import shifted_copies
from ingest.decode.decoder import decode
from ingest.decode.fit_records import split_records
from tests.conftest import SAMPLE_DATA

WEEKS_13 = timedelta(weeks=13)


def two_samples(tmp_path: Path) -> Path:
    source = tmp_path / "source"
    source.mkdir()
    for suffix in (".fit", ".gpx"):
        found = sorted((SAMPLE_DATA / "athlete").glob(f"*{suffix}"))
        if not found:
            pytest.skip(f"sample_data/athlete has no {suffix} file (generate it first)")
        (source / found[0].name).write_bytes(found[0].read_bytes())
    return source


def test_shifted_copies_are_distinct_activities_13_weeks_apart(tmp_path: Path):
    copies = shifted_copies(6, tmp_path / "out", two_samples(tmp_path))
    assert len({hashlib.sha256(p.read_bytes()).hexdigest() for p in copies}) == 6
    tracks = [decode(p.read_bytes(), p.name) for p in copies]
    for fmt in ("fit", "gpx"):
        starts = [t.start for t in tracks if t.format == fmt]
        assert [b - a for a, b in pairwise(starts)] == [WEEKS_13, WEEKS_13]
        frames = [t.frame for t in tracks if t.format == fmt]
        assert all(len(f) == len(frames[0]) for f in frames)


def test_a_shifted_fit_file_keeps_a_valid_crc(tmp_path: Path):
    copies = shifted_copies(4, tmp_path / "out", two_samples(tmp_path))
    for path in copies:
        if path.suffix == ".fit":
            split_records(path.read_bytes())  # raises Unsupported on a CRC mismatch
