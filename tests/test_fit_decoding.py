"""FIT -> Track on small files written with the SDK's encoder, and on corpus files with quirks."""

from __future__ import annotations

import math
from datetime import UTC, datetime, timedelta
from typing import Any

import pytest
from garmin_fit_sdk import Encoder, Profile

from ingest.decode.fit import _decode_with_fitparse, _decode_with_sdk, check_chain, decode_fit
from ingest.errors import IngestError

MESG = Profile["mesg_num"]
T0 = datetime(2024, 5, 4, 7, 0, tzinfo=UTC)
FIT_EPOCH = 631065600


def fit_file(
    records: list[dict[str, Any]], *, offset_s: int | None = 7200, **session: Any
) -> bytes:
    encoder = Encoder()
    encoder.write_mesg(
        {
            "mesg_num": MESG["FILE_ID"],
            "type": "activity",
            "manufacturer": "garmin",
            "product": 3113,
            "time_created": T0,
        }
    )
    for record in records:
        encoder.write_mesg({"mesg_num": MESG["RECORD"], **record})
    end = T0 + timedelta(seconds=len(records))
    encoder.write_mesg(
        {
            "mesg_num": MESG["SESSION"],
            "timestamp": end,
            "start_time": T0,
            "sport": "running",
            "total_distance": 12.0,
            "total_elapsed_time": 4.0,
            **session,
        }
    )
    activity: dict[str, Any] = {"mesg_num": MESG["ACTIVITY"], "timestamp": end, "num_sessions": 1}
    if offset_s is not None:
        activity["local_timestamp"] = int(end.timestamp()) + offset_s - FIT_EPOCH
    encoder.write_mesg(activity)
    return bytes(encoder.close())


def run(n: int = 5) -> list[dict[str, Any]]:
    return [
        {
            "timestamp": T0 + timedelta(seconds=i),
            "distance": 3.0 * i,
            "altitude": 100.0 + i,
            "position_lat": int(45 / 180 * 2**31),
            "position_long": int(6 / 180 * 2**31),
            "heart_rate": 140,
        }
        for i in range(n)
    ]


def test_a_small_run_becomes_a_track_with_positions_in_degrees():
    track = decode_fit(fit_file(run()))
    frame = track.frame
    assert list(frame["distance_m"]) == [0.0, 3.0, 6.0, 9.0, 12.0]
    assert frame["lat"].iloc[0] == pytest.approx(45.0, abs=1e-6)
    assert frame["lon"].iloc[0] == pytest.approx(6.0, abs=1e-6)
    assert str(frame["time"].dt.tz) == "UTC"
    assert (track.format, track.sport, track.start) == ("fit", "running", T0)


def test_the_utc_offset_is_local_timestamp_minus_timestamp_unrounded():
    assert decode_fit(fit_file(run(), offset_s=225)).utc_offset_s == 225


def test_a_file_without_local_timestamp_has_no_utc_offset():
    assert decode_fit(fit_file(run(), offset_s=None)).utc_offset_s is None


def test_device_totals_come_from_the_session():
    totals = decode_fit(fit_file(run(), total_ascent=4, total_descent=2)).totals
    assert (totals.distance_m, totals.ascent_m, totals.descent_m) == (12.0, 4.0, 2.0)


def test_device_is_named_from_file_id_and_a_forerunner_945_counts_as_barometric():
    device = decode_fit(fit_file(run())).device
    assert (device.manufacturer, device.product, device.barometric) == ("garmin", "fr945", True)


def test_records_sharing_a_timestamp_merge_into_one_sample_taking_first_values():
    records = run(3)
    split = {"timestamp": records[1]["timestamp"], "heart_rate": 150}
    del records[1]["heart_rate"]
    frame = decode_fit(fit_file([*records[:2], split, records[2]])).frame
    assert len(frame) == 3
    assert frame["heart_rate"].iloc[1] == 150
    assert frame["altitude_m"].iloc[1] == 101.0


def test_altitude_is_read_from_enhanced_altitude_when_that_is_all_there_is():
    records = run(2)
    for record in records:
        record["enhanced_altitude"] = record.pop("altitude") + 5000.0  # beyond altitude's range
    assert list(decode_fit(fit_file(records)).frame["altitude_m"]) == [5100.0, 5101.0]


def test_both_decoders_read_the_encoded_file_the_same_way():
    data = fit_file(run())
    assert _decode_with_sdk(data).frame.equals(_decode_with_fitparse(data).frame)


def test_a_file_with_no_timed_records_is_no_track():
    with pytest.raises(IngestError) as caught:
        decode_fit(fit_file([]))
    assert caught.value.kind == "no_track"
    assert "no records with a time" in caught.value.reason


def test_a_file_cut_before_any_complete_message_names_expected_and_found_bytes():
    data = fit_file(run())
    with pytest.raises(IngestError) as caught:
        decode_fit(data[:20])
    assert caught.value.kind == "unreadable"
    assert "truncated" in caught.value.reason and "found" in caught.value.reason


def test_a_file_cut_mid_data_keeps_its_complete_records_and_says_where_it_was_cut():
    data = fit_file(run())
    whole = decode_fit(data)
    track = decode_fit(data[:-10])  # the last message (the session) is cut
    assert track.notes[-1].startswith("recovered: file truncated at byte ")
    assert track.notes[-1].endswith("; CRC not verified")
    assert track.frame.equals(whole.frame)


def test_a_flipped_byte_is_a_crc_mismatch():
    data = bytearray(fit_file(run()))
    data[40] ^= 0xFF
    with pytest.raises(IngestError) as caught:
        decode_fit(bytes(data))
    assert caught.value.kind == "unreadable"


def test_two_chained_files_are_counted_and_both_read():
    first, second = fit_file(run(3)), fit_file(run(3))
    assert check_chain(first + second) == 2
    track = decode_fit(first + second)
    assert "2 chained FIT files read" in track.notes


def test_trailing_garbage_after_a_fit_file_is_a_corrupt_header():
    with pytest.raises(IngestError, match="corrupt or missing header"):
        check_chain(fit_file(run()) + b"\x00" * 20)


def test_oregon_700_keeps_altitude_from_enhanced_altitude(corpus):
    frame = decode_fit((corpus / "fit/gpsbabel__garmin-oregon-700.fit").read_bytes()).frame
    assert len(frame) == 999
    assert frame["altitude_m"].notna().all()
    assert (
        _decode_with_fitparse((corpus / "fit/gpsbabel__garmin-oregon-700.fit").read_bytes())
        .frame["altitude_m"]
        .notna()
        .all()
    )


def test_compressed_timestamps_fall_back_to_fitparse_and_anchor_the_unset_clock(corpus):
    track = decode_fit((corpus / "fit/fitparse__compressed-speed-distance.fit").read_bytes())
    assert len(track.frame) == 755
    assert any("decoded with fitparse" in note for note in track.notes)
    assert track.start.date().isoformat() == "2012-02-13"
    assert track.utc_offset_s is None
    assert track.frame["distance_m"].iloc[-1] == pytest.approx(10248.67, rel=0.01)


def test_chained_triathlon_is_read_to_the_end(corpus):
    track = decode_fit((corpus / "fit/fitparse__sample_mulitple_header.fit").read_bytes())
    assert len(track.frame) == 1773
    assert track.sport == "multisport"
    assert track.totals.distance_m == pytest.approx(52533.68)
    assert any("swimming, transition, cycling" in note for note in track.notes)


def test_multisport_record_distance_restarting_per_session_stays_cumulative(corpus):
    track = decode_fit((corpus / "fit/fitparse__activity-large-fenxi2-multisport.fit").read_bytes())
    assert track.frame["distance_m"].is_monotonic_increasing
    assert track.frame["distance_m"].iloc[-1] == pytest.approx(69831.36, rel=0.01)


def test_fitparse_developer_definitions_do_not_leak_between_files(corpus):
    dev = (corpus / "fit/fitparse__developer-types-sample.fit").read_bytes()
    bolt = corpus / "fit/fitparse__elemnt-bolt-no-application-id-inside-developer-data-id.fit"
    first = _decode_with_fitparse(bolt.read_bytes()).frame
    _decode_with_fitparse(dev)
    again = _decode_with_fitparse(bolt.read_bytes()).frame
    assert first.equals(again)


def test_a_non_quarter_hour_offset_is_kept_as_the_file_states_it(corpus):
    assert decode_fit((corpus / "fit/gc__FR55-CoreTemp-Walk.fit").read_bytes()).utc_offset_s == 225


def test_a_treadmill_run_has_no_altitude_and_no_barometer(corpus):
    track = decode_fit((corpus / "fit/slib__6860622783.fit").read_bytes())
    assert track.sub_sport == "treadmill"
    assert track.frame["altitude_m"].isna().all() and track.frame["lat"].isna().all()
    assert track.device.barometric is False
    assert not math.isnan(track.frame["distance_m"].iloc[-1])
