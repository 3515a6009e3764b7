"""The vectorised FIT record reader gives exactly the Track the Garmin SDK gives, or steps aside."""

from __future__ import annotations

import dataclasses
import os
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pandas as pd
import pytest
from garmin_fit_sdk import Encoder, Profile
from garmin_fit_sdk.crc_calculator import CrcCalculator

from ingest.decode.fit import _decode_fast, _decode_with_sdk, decode_fit
from ingest.decode.fit_crc import crc16
from ingest.decode.fit_records import Unsupported, split_records
from ingest.decode.track import Track
from tests.conftest import CORPUS, SAMPLE_DATA
from tests.test_fit_decoding import FIT_EPOCH, T0, fit_file, run

MESG = Profile["mesg_num"]
CORPUS_FIT = sorted(p.name for p in (CORPUS / "fit").glob("*.fit")) if CORPUS.is_dir() else []
SDK_ONLY = {  # the shapes the reader leaves to the SDK, and why
    "fitparse__compressed-speed-distance.fit": "compressed timestamp header",
    "fitparse__sample_mulitple_header.fit": "chained or trailing data",
    "garminsdk__HrmPluginTestActivity.fit": "hr messages",
    "gc__FR55-CoreTemp-Walk.fit": "record field 78 has base type 0x86, size 8",
}


def assert_same_track(fast: Track | None, sdk: Track) -> None:
    assert fast is not None
    pd.testing.assert_frame_equal(fast.frame, sdk.frame, check_exact=True)
    for field in dataclasses.fields(sdk):
        if field.name != "frame":
            assert getattr(fast, field.name) == getattr(sdk, field.name), field.name


@pytest.mark.parametrize("size", [0, 1, 9, 4095, 4096, 4097, 65_537, 300_001])
def test_the_vectorised_crc_equals_the_sdks_crc_at_every_length(size: int):
    data = os.urandom(size)
    assert crc16(data) == CrcCalculator.calculate_crc(data, 0, size)


def test_the_crc_is_crc16_arc():
    assert crc16(b"123456789") == 0xBB3D


def test_records_with_changing_fields_read_the_same_as_the_sdk():
    records = run(6)
    del records[1]["heart_rate"], records[2]["position_lat"], records[2]["position_long"]
    records[3]["enhanced_altitude"] = 4321.2  # both altitudes: the SDK expands altitude over it
    records[4] = {"timestamp": records[4]["timestamp"], "enhanced_altitude": 5000.0}
    records.insert(5, {"timestamp": records[4]["timestamp"], "heart_rate": 151})
    data = fit_file(records)
    assert_same_track(_decode_fast(data), _decode_with_sdk(data))


def test_an_unset_watch_clock_is_anchored_the_same_way():
    relative = [dict(r, timestamp=datetime(1990, 1, 1, tzinfo=UTC) + timedelta(seconds=i))
                for i, r in enumerate(run(4))]  # fmt: skip
    encoder = Encoder()
    encoder.write_mesg({"mesg_num": MESG["FILE_ID"], "type": "activity", "manufacturer": "garmin"})
    for record in relative:
        encoder.write_mesg({"mesg_num": MESG["RECORD"], **record})
    local = int(T0.timestamp()) - FIT_EPOCH
    encoder.write_mesg(
        {"mesg_num": MESG["ACTIVITY"], "timestamp": relative[-1]["timestamp"],
         "local_timestamp": local}
    )  # fmt: skip
    data = bytes(encoder.close())
    fast = _decode_fast(data)
    assert_same_track(fast, _decode_with_sdk(data))
    assert fast is not None and fast.frame["time"].iloc[0].year == 2024


def test_hr_messages_are_left_to_the_sdk_which_merges_them_into_the_records():
    encoder = Encoder()
    encoder.write_mesg({"mesg_num": MESG["FILE_ID"], "type": "activity", "manufacturer": "garmin"})
    for record in run(3):
        encoder.write_mesg({"mesg_num": MESG["RECORD"], **record})
    encoder.write_mesg({"mesg_num": MESG["HR"], "timestamp": T0, "filtered_bpm": [120]})
    with pytest.raises(Unsupported, match="hr messages"):
        split_records(bytes(encoder.close()))


def test_a_file_with_a_bad_crc_is_left_to_the_sdk_which_refuses_it():
    data = bytearray(fit_file(run()))
    data[40] ^= 0xFF
    with pytest.raises(Unsupported, match="CRC"):
        split_records(bytes(data))
    assert _decode_fast(bytes(data)) is None


def test_other_messages_go_to_the_sdk_in_a_small_fit_file_of_their_own():
    data = fit_file(run(50))
    others = split_records(data).others
    assert len(others) < len(data) / 3
    assert others[8:12] == b".FIT" and int.from_bytes(others[4:8], "little") == len(others) - 14


@pytest.mark.corpus
@pytest.mark.parametrize("name", CORPUS_FIT)
def test_every_corpus_file_reads_exactly_as_the_sdk_reads_it_or_is_left_to_it(
    corpus: Path, name: str
):
    data = (corpus / "fit" / name).read_bytes()
    if name in SDK_ONLY:
        with pytest.raises(Unsupported) as caught:
            split_records(data)
        assert SDK_ONLY[name] in str(caught.value)
        decode_fit(data)  # and the full decoder still reads it
        return
    assert_same_track(_decode_fast(data), _decode_with_sdk(data))


@pytest.mark.parametrize(
    "path", sorted(str(p.relative_to(SAMPLE_DATA)) for p in SAMPLE_DATA.rglob("*.fit"))
)
def test_every_sample_athlete_file_reads_exactly_as_the_sdk_reads_it(path: str):
    data = (SAMPLE_DATA / path).read_bytes()
    assert_same_track(_decode_fast(data), _decode_with_sdk(data))
