"""Every real file: both FIT decoders agree where both read it, and every file decodes or is refused
with a specific, named reason."""

from __future__ import annotations

from pathlib import Path

import pytest

from ingest.decode.decoder import decode
from ingest.decode.fit import _decode_with_fitparse, _decode_with_sdk
from ingest.decode.track import Track
from ingest.errors import IngestError
from tests.conftest import CORPUS

pytestmark = pytest.mark.corpus

FIT_FILES = sorted(p.name for p in (CORPUS / "fit").glob("*.fit")) if CORPUS.is_dir() else []
GPX_FILES = sorted(p.name for p in (CORPUS / "gpx").glob("*.gpx")) if CORPUS.is_dir() else []
ONLY_SDK = {"fitparse__coros-pace-2-cycling-misaligned-fields.fit"}
ONLY_FITPARSE = {"fitparse__compressed-speed-distance.fit"}
EXPECTED_REFUSALS = {
    "gpx/gc__MetadataOnly.gpx": ("no_track", "GPX has no track points (no points)"),
    "gpx/gpxpy__Mojstrovka.gpx": ("no_track", "no usable timestamps"),
}


def _try(decoder, data: bytes) -> Track | IngestError:  # type: ignore[no-untyped-def]
    try:
        return decoder(data)  # type: ignore[no-any-return]
    except IngestError as error:
        return error


def test_the_corpus_has_the_files_these_tests_expect(corpus: Path):
    assert len(FIT_FILES) >= 40 and len(GPX_FILES) >= 18


@pytest.mark.parametrize("name", FIT_FILES)
def test_sdk_and_fitparse_agree_on_every_fit_file_both_read(corpus: Path, name: str):
    data = (corpus / "fit" / name).read_bytes()
    sdk, fitparse = _try(_decode_with_sdk, data), _try(_decode_with_fitparse, data)
    readers = {k for k, v in (("sdk", sdk), ("fitparse", fitparse)) if isinstance(v, Track)}
    expected = (
        {"sdk"}
        if name in ONLY_SDK
        else {"fitparse"}
        if name in ONLY_FITPARSE
        else {"sdk", "fitparse"}
    )
    assert readers == expected, (sdk, fitparse)
    if not (isinstance(sdk, Track) and isinstance(fitparse, Track)):
        return
    a, b = sdk.frame, fitparse.frame
    assert len(a) == len(b)
    assert a["time"].iloc[0] == b["time"].iloc[0] and a["time"].iloc[-1] == b["time"].iloc[-1]
    assert a["distance_m"].iloc[-1] == pytest.approx(
        b["distance_m"].iloc[-1], rel=1e-6, nan_ok=True
    )
    assert a["altitude_m"].notna().sum() == b["altitude_m"].notna().sum()
    for stat in ("mean", "min", "max"):
        assert getattr(a["altitude_m"], stat)() == pytest.approx(
            getattr(b["altitude_m"], stat)(), abs=0.01, nan_ok=True
        ), stat
    # the SDK also merges HRM-Swim/Tri hr messages into the records: it may have more heart rate
    assert a["heart_rate"].notna().sum() >= b["heart_rate"].notna().sum()
    assert (sdk.sport, sdk.utc_offset_s, sdk.totals) == (
        fitparse.sport,
        fitparse.utc_offset_s,
        fitparse.totals,
    )


@pytest.mark.parametrize("path", [f"fit/{n}" for n in FIT_FILES] + [f"gpx/{n}" for n in GPX_FILES])
def test_every_real_file_decodes_to_timed_samples_or_is_refused_for_a_named_reason(
    corpus: Path, path: str
):
    try:
        track = decode((corpus / path).read_bytes(), path)
    except IngestError as error:
        assert path in EXPECTED_REFUSALS, f"unexpected refusal: {error}"
        kind, reason = EXPECTED_REFUSALS[path]
        assert error.kind == kind and reason in error.reason and error.file_name == path
        return
    assert path not in EXPECTED_REFUSALS
    frame = track.frame
    assert len(frame) >= 1 and frame["time"].notna().all()
    assert frame["time"].is_monotonic_increasing and frame["time"].is_unique
    assert str(frame["time"].dt.tz) == "UTC"
    assert frame["distance_m"].dropna().is_monotonic_increasing


@pytest.mark.parametrize("name", sorted(f for f in FIT_FILES if f not in ONLY_FITPARSE))
def test_fit_record_count_after_merge_matches_the_distinct_timestamps(corpus: Path, name: str):
    import pandas as pd

    truth = pd.read_csv(corpus / "truth.csv").set_index("file")
    frame = decode((corpus / "fit" / name).read_bytes()).frame
    assert len(frame) <= truth.loc[f"fit/{name}", "rec_timestamp_n"]
    first = pd.Timestamp(truth.loc[f"fit/{name}", "rec_first_ts"])
    if first.year > 1998:  # earlier: device-relative times, which the parser anchors
        assert frame["time"].iloc[0] == first
