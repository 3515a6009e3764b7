"""parse_activity: bytes in, a picklable ParsedActivity or an IngestError naming the file out."""

from __future__ import annotations

import gzip
import hashlib
import pickle
from pathlib import Path

import pytest

from ingest.errors import IngestError
from ingest.measure.summary import MetricsProfile
from ingest.pipeline import PARSER_VERSION, ParsedActivity, clean_file_name, parse_activity
from tests.conftest import CORPUS

PROFILE = MetricsProfile(timezone="Europe/Zurich", hr_rest=50, hr_max=190)
FIT = CORPUS / "fit" / "slib__6782987395.fit"
GPX = CORPUS / "gpx" / "slib__6782987395.gpx"


def corpus_file(path: Path) -> bytes:
    return path.read_bytes()


@pytest.mark.parametrize(
    ("given", "shown"),
    [
        ("../../etc/passwd", "passwd"),
        ("C:\\Users\\ana\\run.fit", "run.fit"),
        ("run\x00\x1b[31m.fit", "run[31m.fit"),
        ("", "activity"),
        (None, "activity"),
        ("..", "activity"),
        ("a" * 500 + ".fit", "a" * 199 + "…"),
    ],
)
def test_a_client_file_name_becomes_harmless_display_text(given: str | None, shown: str) -> None:
    assert clean_file_name(given) == shown


def test_garbage_is_refused_with_the_files_name() -> None:
    with pytest.raises(IngestError) as caught:
        parse_activity(b"hello, not a watch file", "dir/notes.txt", PROFILE)
    assert caught.value.file_name == "notes.txt"
    assert caught.value.kind == "not_activity"
    assert "notes.txt" in str(caught.value)


def test_a_file_over_the_cap_is_too_large() -> None:
    with pytest.raises(IngestError) as caught:
        parse_activity(b"\x00" * 2048, "big.fit", PROFILE, max_bytes=1024)
    assert caught.value.kind == "too_large" and caught.value.status_code == 413


def test_an_error_survives_a_trip_through_pickle() -> None:
    with pytest.raises(IngestError) as caught:
        parse_activity(b"", "empty.fit", PROFILE)
    back = pickle.loads(pickle.dumps(caught.value))
    assert (back.reason, back.kind, back.file_name) == (
        caught.value.reason,
        caught.value.kind,
        "empty.fit",
    )


def test_a_real_fit_file_becomes_a_summary_hashed_by_its_content(corpus: Path) -> None:
    data = corpus_file(FIT)
    parsed = parse_activity(data, FIT.name, PROFILE)
    assert parsed.format == "fit" and parsed.file_name == FIT.name
    assert parsed.sha256 == hashlib.sha256(data).hexdigest() == parsed.summary.sha256
    assert parsed.content == data and parsed.parser_version == PARSER_VERSION
    assert parsed.summary.distance_m > 1000
    assert pickle.loads(pickle.dumps(parsed)) == parsed


def test_a_gzipped_file_is_hashed_by_what_it_inflates_to(corpus: Path) -> None:
    data = corpus_file(GPX)
    plain = parse_activity(data, GPX.name, PROFILE)
    zipped = parse_activity(gzip.compress(data), GPX.name + ".gz", PROFILE)
    assert isinstance(zipped, ParsedActivity)
    assert zipped.sha256 == plain.sha256 and zipped.content == data
    assert zipped.format == "gpx"
