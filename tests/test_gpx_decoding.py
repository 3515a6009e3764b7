"""GPX -> Track: versions, segments, missing elevation and time, dropouts, HR extensions, DTDs."""

from __future__ import annotations

import gpxpy.parser
import pytest

from ingest.decode.geo import cumulative_distance
from ingest.decode.gpx import decode_gpx
from ingest.errors import IngestError

HEAD = (
    '<?xml version="1.0" encoding="UTF-8"?>\n<gpx version="1.1" creator="Test Watch"'
    ' xmlns="http://www.topografix.com/GPX/1/1"'
    ' xmlns:gpxtpx="http://www.garmin.com/xmlschemas/TrackPointExtension/v1">'
)


def point(lat: float, ele: str | None = "100", time: str | None = "10:00:00", ext: str = "") -> str:
    parts = [f'<trkpt lat="{lat}" lon="6.0">']
    if ele is not None:
        parts.append(f"<ele>{ele}</ele>")
    if time is not None:
        parts.append(f"<time>2024-05-04T{time}Z</time>")
    if ext:
        parts.append(f"<extensions>{ext}</extensions>")
    return "".join([*parts, "</trkpt>"])


def gpx(*segments: list[str], head: str = HEAD, extra: str = "") -> bytes:
    body = "".join(f"<trkseg>{''.join(points)}</trkseg>" for points in segments)
    return f"{head}{extra}<trk><name>Morning</name><type>9</type>{body}</trk></gpx>".encode()


def refusal(data: bytes) -> IngestError:
    with pytest.raises(IngestError) as caught:
        decode_gpx(data)
    return caught.value


def test_gpxpy_runs_on_the_standard_library_elementtree_not_lxml():
    assert gpxpy.parser.library() != "LXML"


def test_a_simple_track_has_haversine_distance_and_metadata():
    track = decode_gpx(gpx([point(45.0), point(45.001, time="10:00:10")]))
    assert track.frame["distance_m"].iloc[-1] == pytest.approx(111.2, abs=0.5)
    assert (track.format, track.sport, track.name) == ("gpx", "running", "Morning")
    assert track.device.product == "Test Watch"
    assert str(track.start) == "2024-05-04 10:00:00+00:00"


def test_gpx_1_0_is_read():
    head = '<?xml version="1.0"?><gpx version="1.0" xmlns="http://www.topografix.com/GPX/1/0">'
    assert len(decode_gpx(gpx([point(45.0), point(45.001, time="10:00:10")], head=head)).frame) == 2


def test_segments_are_joined_in_time_order_without_a_distance_jump():
    late = [point(46.0, time="11:00:00"), point(46.001, time="11:00:10")]
    early = [point(45.0), point(45.001, time="10:00:10")]
    frame = decode_gpx(gpx(late, early)).frame
    assert frame["lat"].tolist() == [45.0, 45.001, 46.0, 46.001]
    assert frame["distance_m"].iloc[-1] == pytest.approx(2 * 111.2, abs=1.0)


def test_points_without_elevation_have_nan_altitude():
    frame = decode_gpx(gpx([point(45.0, ele=None), point(45.001, time="10:00:10")])).frame
    assert frame["altitude_m"].isna().tolist() == [True, False]


def test_an_isolated_zero_elevation_among_high_points_is_a_dropout():
    times = ["10:00:00", "10:00:10", "10:00:20"]
    points = [
        point(45 + i / 1000, ele=e, time=t)
        for i, (e, t) in enumerate(zip(["800", "0", "801"], times, strict=True))
    ]
    assert decode_gpx(gpx(points)).frame["altitude_m"].isna().tolist() == [False, True, False]


def test_a_zero_elevation_next_to_points_near_sea_level_is_kept():
    times = ["10:00:00", "10:00:10", "10:00:20"]
    points = [
        point(45 + i / 1000, ele=e, time=t)
        for i, (e, t) in enumerate(zip(["2", "0", "1"], times, strict=True))
    ]
    assert decode_gpx(gpx(points)).frame["altitude_m"].tolist() == [2.0, 0.0, 1.0]


def test_points_without_time_between_timed_ones_are_interpolated_by_distance():
    points = [point(45.0), point(45.001, time=None), point(45.003, time="10:00:30")]
    track = decode_gpx(gpx(points))
    assert str(track.frame["time"].iloc[1]) == "2024-05-04 10:00:10+00:00"
    assert any("interpolated" in note for note in track.notes)


def test_a_track_without_any_time_is_refused_as_no_track():
    error = refusal(gpx([point(45.0, time=None), point(45.001, time=None)]))
    assert (error.kind, "no usable timestamps" in error.reason) == ("no_track", True)


def test_the_same_bogus_1901_time_on_every_point_is_no_usable_timestamps():
    points = [
        point(45.0 + i / 1000).replace("2024-05-04T10:00:00Z", "1901-12-13T20:45:52Z")
        for i in range(3)
    ]
    assert "no usable timestamps" in refusal(gpx(points)).reason


def test_waypoints_only_is_no_track():
    data = f'{HEAD}<wpt lat="45" lon="6"><name>hut</name></wpt></gpx>'.encode()
    error = refusal(data)
    assert (error.kind, error.reason) == (
        "no_track",
        "GPX has no track points (only routes/waypoints)",
    )


def test_heart_rate_is_read_from_garmin_trackpointextension():
    ext = "<gpxtpx:TrackPointExtension><gpxtpx:hr>142</gpxtpx:hr></gpxtpx:TrackPointExtension>"
    frame = decode_gpx(gpx([point(45.0, ext=ext), point(45.001, time="10:00:10")])).frame
    assert frame["heart_rate"].iloc[0] == 142 and frame["heart_rate"].isna().iloc[1]


@pytest.mark.parametrize("tag", ["heartrate", "bpm", "hr"])
def test_heart_rate_is_read_from_other_usual_extension_names(tag):
    ext = f"<{tag}>131</{tag}>"
    frame = decode_gpx(gpx([point(45.0, ext=ext), point(45.001, time="10:00:10")])).frame
    assert frame["heart_rate"].iloc[0] == 131


def test_a_document_with_a_dtd_is_refused_even_when_called_directly():
    laughs = '<!DOCTYPE gpx [<!ENTITY a "lol"><!ENTITY b "&a;&a;&a;&a;&a;&a;&a;&a;">]>'
    data = gpx([point(45.0)], head=HEAD.replace("<gpx", laughs + "<gpx", 1))
    error = refusal(data)
    assert (error.kind, "DTD" in error.reason) == ("unreadable", True)


def test_malformed_xml_is_unreadable_with_the_parser_message():
    error = refusal(HEAD.encode() + b"<trk><trkseg><trkpt lat='1' lon='2'></trk>")
    assert error.kind == "unreadable" and "not well-formed" in error.reason


def test_cumulative_distance_skips_points_without_a_position():
    distance = cumulative_distance([45.0, float("nan"), 45.001], [6.0, float("nan"), 6.0])
    assert distance[1] == 0.0 and distance[2] == pytest.approx(111.2, abs=0.5)


def test_korita_zbevnica_keeps_the_timed_points(corpus):
    track = decode_gpx((corpus / "gpx/gpxpy__korita-zbevnica.gpx").read_bytes())
    assert len(track.frame) == 513
    assert track.frame["time"].is_monotonic_increasing


def test_triund_karthani_with_two_timestamps_is_interpolated_between_them(corpus):
    track = decode_gpx((corpus / "gpx/wkz__Triund-Karthani_Trail.gpx").read_bytes())
    assert len(track.frame) == 955
    assert track.sport == "hiking"
    assert any("interpolated by distance on 953 of 955" in note for note in track.notes)


def test_holux_bpm_and_amazfit_heartrate_are_read(corpus):
    for name in ("sptr__bike-tour-holux-funtrek-130-pro-with-heartrate", "slib__amazfit"):
        frame = decode_gpx((corpus / f"gpx/{name}.gpx").read_bytes()).frame
        assert frame["heart_rate"].notna().mean() > 0.9, name


ODD_TIMES = [
    "2024-05-04T10:00:00Z", "2024-05-04T10:00:01", "2024-05-04T12:00:02+02:00",
    "2024-05-04T04:30:03-05:30", "2024-05-04T10:00:04+99:00", "2024-05-04T10:00:05+24:00",
    "2024-05-04T10:00:06-23:59", "2024-05-04T10:00:07.1234567Z", "2024-05-04T10:00:08−01:00",
    "2024-05-04T11:00:09+0100", "1979-12-31T23:59:59Z", "1980-01-01T01:00:00+01:00",
    "2099-12-31T23:59:59.999999Z", "2100-01-01T00:00:00Z", "0001-01-01T00:00:00+01:00",
    "9999-12-31T23:59:59-01:00", "1979-12-31T23:30:00-01:00",
]  # fmt: skip


@pytest.mark.parametrize("case", ["odd", "none usable", "no zone"])
def test_times_shifted_in_numpy_equal_the_point_by_point_conversion(case: str) -> None:
    from gpxpy.gpxfield import parse_time

    from ingest.decode.gpx_times import utc_times, utc_times_one_by_one

    cases: dict[str, list[str | None]] = {
        "odd": [*ODD_TIMES, None],
        "none usable": ["1970-01-01T00:00:00Z", None, "2100-05-01T00:00:00+99:00"],
        "no zone": ["2024-05-04T10:00:00", "2024-05-04T10:00:01.5"],
    }
    texts = cases[case]
    times = [None if t is None else parse_time(t) for t in texts]
    fast, slow = utc_times(times), utc_times_one_by_one(times)
    assert fast.dtype == slow.dtype
    assert fast.tolist() == slow.tolist()


def test_a_file_of_odd_zones_decodes_with_the_usable_times_in_utc() -> None:
    points = [
        f'<trkpt lat="{46 + i / 1e4}" lon="6.0"><time>{t}</time></trkpt>'
        for i, t in enumerate(ODD_TIMES[:10])
    ]
    track = decode_gpx(gpx(points))  # +99:00 and +24:00 are unusable: interpolated
    times = track.frame["time"].dt.strftime("%d %H:%M:%S.%f").tolist()
    assert times[:7] == [
        "04 10:00:00.000000", "04 10:00:01.000000", "04 10:00:02.000000", "04 10:00:03.000000",
        "04 10:00:07.123456", "04 10:00:09.000000", "04 11:00:08.000000",
    ]  # fmt: skip
    assert times[-1] == "05 09:59:06.000000"  # -23:59 is a valid zone
    assert track.notes == ("time interpolated by distance on 2 of 10 points",)
