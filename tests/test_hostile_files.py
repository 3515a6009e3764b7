"""Hostile files are refused with a clear 4xx and leave nothing behind (no activity row, no raw
file, no ledger success), through the pipeline, the HTTP upload on a real SQLite store and the
folder sync; a good track under a hostile file name is kept under a cleaned name only."""

from __future__ import annotations

import gzip
import io
import json
import subprocess
import sys
import zipfile
from collections.abc import Callable, Iterator
from datetime import UTC, datetime, timedelta
from functools import cache
from pathlib import Path
from typing import Any

import pytest
from fastapi.testclient import TestClient

from ingest.decode.fit_crc import crc16
from ingest.decode.xml_guard import MAX_POINTS, MAX_TAGS
from ingest.errors import IngestError
from ingest.measure.summary import MetricsProfile
from ingest.pipeline import MAX_NAME_CHARS, parse_activity
from ingest.store import Store
from ingest.store.ledger import SyncStore
from ingest.sync.job import run_sync
from tests.api_support import api_client, gpx_run, new_athlete, settings_for
from tests.conftest import ROOT
from tests.sync_fixtures import sample_files

MiB = 1024 * 1024
START = datetime(2026, 3, 2, 7, 0, tzinfo=UTC)
PROFILE = MetricsProfile()
XML = b'<?xml version="1.0" encoding="UTF-8"?>\n'
GPX_OPEN = b'<gpx version="1.1" creator="t" xmlns="http://www.topografix.com/GPX/1/1">'


def points(*rows: tuple[str, str, str, str]) -> bytes:
    body = b"".join(
        f'<trkpt lat="{lat}" lon="{lon}"><ele>{ele}</ele><time>{t}</time></trkpt>'.encode()
        for lat, lon, ele, t in rows
    )
    return XML + GPX_OPEN + b"<trk><trkseg>" + body + b"</trkseg></trk></gpx>"


def two_points(lat: str = "47.0", lon: str = "8.0", ele: str = "400", year: str = "2026") -> bytes:
    return points(
        (lat, lon, ele, f"{year}-03-02T07:00:00Z"), (lat, lon, ele, f"{year}-03-02T07:01:00Z")
    )


def billion_laughs() -> bytes:
    entities = '<!ENTITY l0 "lol">' + "".join(
        f'<!ENTITY l{i} "{f"&l{i - 1};" * 10}">' for i in range(1, 10)
    )
    return XML + f"<!DOCTYPE gpx [{entities}]>".encode() + GPX_OPEN + b"&l9;</gpx>"


def xxe() -> bytes:
    doctype = b'<!DOCTYPE gpx [<!ENTITY x SYSTEM "file:///etc/passwd">]>'
    return XML + doctype + GPX_OPEN + b"<trk><name>&x;</name></trk></gpx>"


def dtd_behind_a_false_comment() -> bytes:
    """``<!-->`` is not a whole comment: an XML parser reads on to the next ``-->``, so the DTD
    after it is real (this reached the parser before the prolog scan was fixed)."""
    doctype = b'<!DOCTYPE gpx [<!ENTITY x "EVIL">]>'
    return XML + b"<!--> <gpx> -->" + doctype + two_points().replace(b"<trk>", b"<trk><name>&x;")


@cache
def zeros_gzip(size: int, *, stated: int | None = None) -> bytes:
    """``size`` zero bytes, gzipped (about 1000:1); ISIZE says ``stated`` when given (a lie)."""
    out = io.BytesIO()
    with gzip.GzipFile(fileobj=out, mode="wb", compresslevel=9, mtime=0) as stream:
        chunk = bytes(MiB)
        for _ in range(size // MiB):
            stream.write(chunk)
    data = bytearray(out.getvalue())
    if stated is not None:
        data[-4:] = stated.to_bytes(4, "little")
    return bytes(data)


@cache
def good_fit() -> bytes:
    files = sample_files(".fit")
    assert files, "the sample athlete's FIT files are missing"
    return files[0].read_bytes()


def fit_declaring(size: int) -> bytes:
    """A real FIT file whose header declares ``size`` bytes of data."""
    data = bytearray(good_fit())
    data[4:8] = size.to_bytes(4, "little")
    return bytes(data)


def fit_with_a_255_field_definition() -> bytes:
    """A record definition of 255 fields of 255 bytes each, one 65,025-byte record, sealed."""
    fields = b"".join(bytes([number, 255, 0x0D]) for number in range(255))
    definition = bytes([0x40, 0, 0]) + (20).to_bytes(2, "little") + bytes([255]) + fields
    record = bytes([0x00]) + bytes(range(255)) * 255
    body = definition + record
    head = bytes([14, 0x20, 0x5C, 0x08]) + len(body).to_bytes(4, "little") + b".FIT\0\0"
    return head + body + crc16(head + body).to_bytes(2, "little")


@cache
def five_million_points() -> bytes:
    """5,000,000 minimal track points (120 MB of XML), gzipped to fit under the upload cap."""
    body = b'<trkpt lat="47.0" lon="8.0"/>' * 5_000_000
    xml = XML + GPX_OPEN + b"<trk><trkseg>" + body + b"</trkseg></trk></gpx>"
    return gzip.compress(xml, compresslevel=1, mtime=0)


def huge_attribute() -> bytes:
    return (
        XML + GPX_OPEN.replace(b'creator="t"', b'creator="' + b"a" * (32 * MiB) + b'"') + b"</gpx>"
    )


def huge_text_node() -> bytes:
    return XML + GPX_OPEN + b"<trk><name>" + b"a" * (32 * MiB) + b"</name></trk></gpx>"


def deeply_nested() -> bytes:
    depth = 100_000
    nested = b"<x>" * depth + b"</x>" * depth
    return XML + GPX_OPEN + b"<extensions>" + nested + b"</extensions></gpx>"


def namespace_flood() -> bytes:
    declarations = b" ".join(b'xmlns:p%d="urn:p%d"' % (i, i) for i in range(20_000))
    return two_points().replace(b"</gpx>", b"<!-- " + declarations + b" --></gpx>")


def tag_flood() -> bytes:
    return two_points().replace(b"</trkseg>", b"</trkseg>" + b"<a/>" * (MAX_TAGS + 1))


def polyglot() -> bytes:
    return bytes([14, 0x20, 0x5C, 0x08, 0, 0, 0, 0]) + b".FIT\0\0" + gpx_run(START)


def a_zip() -> bytes:
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w") as archive:
        archive.writestr("activities/1.gpx", gpx_run(START))
    return out.getvalue()


# name -> (bytes, HTTP status, what the reason says)
HOSTILE: dict[str, tuple[Callable[[], bytes], int, str]] = {
    "billion laughs": (billion_laughs, 422, "DTD"),
    "external entity (XXE)": (xxe, 422, "DTD"),
    "a bare DOCTYPE": (lambda: XML + b'<!DOCTYPE gpx SYSTEM "x.dtd">' + GPX_OPEN, 422, "DTD"),
    "a DTD behind a false comment": (dtd_behind_a_false_comment, 422, "DTD"),
    "a gzip bomb (512 MiB of zeros)": (lambda: zeros_gzip(512 * MiB), 413, "limit"),
    "a gzip bomb lying about its size": (
        lambda: zeros_gzip(300 * MiB, stated=100), 413, "inflates to more than"
    ),
    "a 0-byte file": (lambda: b"", 415, "empty"),
    "a FIT header declaring 4 GB": (lambda: fit_declaring(0xFFFFFFF0), 422, "truncated"),
    "a FIT with 255 fields of 255 bytes": (fit_with_a_255_field_definition, 422, "cannot be"),
    "a GPX with 5 million points": (five_million_points, 413, f"more than {MAX_POINTS} points"),
    "a GPX flooded with empty tags": (tag_flood, 413, "XML tags"),
    "a FIT header on XML (polyglot)": (polyglot, 422, "FIT file 2 at byte 16"),
    "a 32 MiB attribute": (huge_attribute, 422, "no track points"),
    "a 32 MiB text node": (huge_text_node, 422, "no track points"),
    "100,000 nested elements": (deeply_nested, 422, "no track points"),
    "20,000 namespace declarations": (namespace_flood, 422, "namespaces"),
    "NaN coordinates": (lambda: two_points("nan", "nan", "nan"), 422, "impossible position"),
    "infinite coordinates": (lambda: two_points("inf", "-inf", "inf"), 422, "impossible position"),
    "absurd coordinates": (lambda: two_points("95.0", "400.0", "400"), 422, "impossible position"),
    "absurd elevations": (lambda: two_points(ele="1e300"), 422, "impossible position, elevation"),
    "times in year 9999": (lambda: two_points(year="9999"), 422, "no usable timestamps"),
    "times before 1970": (lambda: two_points(year="1969"), 422, "no usable timestamps"),
    "a zip archive": (a_zip, 415, "neither FIT nor XML"),  # to the parser; an upload reads it
}  # fmt: skip
EXPORTS = {"a zip archive"}  # uploaded, a zip is an export: test_export_archives
KIND = {413: "too_large", 415: "not_activity", 422: ("unreadable", "no_track")}


def blob_files(data_dir: Path) -> list[Path]:
    root = data_dir / "blobs"
    return [p for p in root.rglob("*") if p.is_file()] if root.exists() else []


@pytest.fixture
def data_dir(tmp_path: Path) -> Path:
    return tmp_path / "data"


@pytest.fixture
def store(data_dir: Path) -> Iterator[Store]:
    s = Store(None, data_dir)
    s.upgrade()
    yield s
    s.dispose()


@pytest.fixture
def client(data_dir: Path) -> Iterator[TestClient]:
    with api_client(settings_for(data_dir)) as c:
        yield c


@pytest.mark.parametrize("case", sorted(HOSTILE))
def test_a_hostile_file_is_refused_by_the_pipeline_with_its_reason(case: str) -> None:
    make, status, reason = HOSTILE[case]
    with pytest.raises(IngestError) as caught:
        parse_activity(make(), "hostile.gpx", PROFILE)
    assert caught.value.status_code == status
    assert caught.value.kind in KIND[status]
    assert reason in caught.value.reason
    assert str(caught.value).startswith("hostile.gpx: ")


@pytest.mark.parametrize("case", sorted(set(HOSTILE) - EXPORTS))
def test_a_hostile_upload_is_a_clear_4xx_and_stores_nothing(
    client: TestClient, data_dir: Path, case: str
) -> None:
    make, status, reason = HOSTILE[case]
    auth = new_athlete(client, "Ana")[1]
    r = client.post("/v1/activities", files={"file": ("hostile.gpx", make())}, headers=auth)
    assert r.status_code == status, r.text
    assert reason in r.json()["detail"] and r.json()["detail"].startswith("hostile.gpx: ")
    assert client.get("/v1/activities", headers=auth).json()["activities"] == []
    assert blob_files(data_dir) == []


def test_hostile_files_in_a_sync_folder_are_ledger_failures_and_store_nothing(
    store: Store, data_dir: Path, tmp_path: Path
) -> None:
    athlete = store.create_athlete("ana")[0].id
    folder = tmp_path / "watch"
    folder.mkdir()
    skip = ("gzip bomb", "5 million", "zip archive")  # the bomb once below; zips in their own test
    cheap = [c for c in sorted(HOSTILE) if not any(s in c for s in skip)]
    for i, case in enumerate(cheap):
        (folder / f"hostile-{i}.gpx").write_bytes(HOSTILE[case][0]())
    (folder / "bomb.gpx.gz").write_bytes(zeros_gzip(512 * MiB))

    report = run_sync(store, folder, athlete, settle_s=0)

    assert report.ingested == 0 and report.duplicate == 0
    assert report.failed == len(cheap) + 1
    rows = assert_nothing_stored_for(store, athlete, data_dir)
    assert all(status == "failed" and reason for status, reason in rows.values())


def assert_nothing_stored_for(
    store: Store, athlete: int, data_dir: Path
) -> dict[str, tuple[str, str | None]]:
    """No activity, no raw file, no ledger row that says ingested; returns the ledger."""
    rows: dict[str, tuple[str, str | None]] = {}
    sync = SyncStore(store)
    for f in sync.folders(athlete):
        rows.update({p: (r.status, r.reason) for p, r in sync.ledger(f.id).items()})
    ingested = [p for p, (status, _) in rows.items() if status in ("ingested", "duplicate")]
    assert ingested == []
    assert store.list_activities(athlete) == []
    assert blob_files(data_dir) == []
    return rows


def strava_export_zip(members: dict[str, bytes]) -> bytes:
    out = io.BytesIO()
    index = "Activity ID,Activity Date,Activity Name,Activity Type,Filename\n"
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED, compresslevel=9) as archive:
        archive.writestr("activities.csv", index)
        for name, data in members.items():
            archive.writestr(name, data)
    return out.getvalue()


def hostile_export() -> bytes:
    good = gpx_run(START)
    return strava_export_zip(
        {
            "../../escape.gpx": good,
            "activities/../../../etc/cron.d/x.gpx": good,
            "/abs/olute.fit": good_fit(),
            "C:\\evil\\a.gpx": good,
            "activities/bomb.fit": bytes(300 * MiB),  # declares 300 MiB: over the 256 MiB cap
            "activities/inner.zip": strava_export_zip({"deeper.zip": a_zip()}),
        }
    )


def test_a_strava_export_with_a_zip_bomb_and_escaping_members_stores_nothing(
    store: Store, data_dir: Path, tmp_path: Path
) -> None:
    athlete = store.create_athlete("ana")[0].id
    folder = tmp_path / "watch"
    folder.mkdir()
    export = hostile_export()
    bomb = zipfile.ZipFile(io.BytesIO(export)).getinfo("activities/bomb.fit")
    assert bomb.file_size >= 1000 * bomb.compress_size, "a zip bomb: at least 1000:1"
    (folder / "export.zip").write_bytes(export)

    report = run_sync(store, folder, athlete, settle_s=0)

    rows = assert_nothing_stored_for(store, athlete, data_dir)
    assert report.ingested == 0 and report.failed == 6
    reasons = {
        path.split("!", 1)[1]: reason or "" for path, (_, reason) in rows.items() if "!" in path
    }
    assert "escapes" in reasons["../../escape.gpx"]
    assert "escapes" in reasons["activities/../../../etc/cron.d/x.gpx"]
    assert "absolute" in reasons["/abs/olute.fit"] and "absolute" in reasons["C:\\evil\\a.gpx"]
    assert "more than" in reasons["activities/bomb.fit"]
    assert "one level of nesting" in reasons["activities/inner.zip!deeper.zip"]
    assert not (tmp_path / "escape.gpx").exists() and not (folder / "activities").exists()


def test_an_uploaded_hostile_export_lists_every_refusal_and_stores_nothing(
    client: TestClient, data_dir: Path
) -> None:
    auth = new_athlete(client, "Ana")[1]
    upload = {"file": ("export.zip", hostile_export())}
    r = client.post("/v1/activities", files=upload, headers=auth)
    assert r.status_code == 200, r.text
    files = {f["name"]: f for f in r.json()["files"]}
    assert [n for n, f in files.items() if f["status"] == "failed"] == sorted(
        [n for n in files if n not in ("activities.csv", "activities/inner.zip!activities.csv")]
    )
    assert "escapes" in files["../../escape.gpx"]["reason"]
    assert "one level of nesting" in files["activities/inner.zip!deeper.zip"]["reason"]
    assert client.get("/v1/activities", headers=auth).json()["activities"] == []
    assert blob_files(data_dir) == []


def test_a_zip_member_lying_about_its_size_is_read_no_further_than_the_cap(
    store: Store, data_dir: Path, tmp_path: Path
) -> None:
    athlete = store.create_athlete("ana")[0].id
    folder = tmp_path / "watch"
    folder.mkdir()
    raw = bytearray(strava_export_zip({"activities/liar.gpx": bytes(300 * MiB)}))
    for header, offset in ((b"PK\x03\x04", 22), (b"PK\x01\x02", 24)):  # both say: 100 bytes
        at = raw.rfind(header)  # the liar is the last member
        raw[at + offset : at + offset + 4] = (100).to_bytes(4, "little")
    (folder / "export.zip").write_bytes(bytes(raw))

    report = run_sync(store, folder, athlete, settle_s=0)

    rows = assert_nothing_stored_for(store, athlete, data_dir)
    assert report.ingested == 0 and report.failed == 1
    assert rows["export.zip!activities/liar.gpx"][0] == "failed"


@pytest.mark.slow
def test_a_five_million_point_gpx_is_refused_without_swallowing_memory(tmp_path: Path) -> None:
    """Measured in a fresh process that only reads the upload and parses it: peak RSS (VmHWM).
    The file is made here, so building the 145 MB document does not count against the parser."""
    upload = tmp_path / "big.gpx.gz"
    upload.write_bytes(five_million_points())
    code = f"""
import json, sys
sys.path.insert(0, {str(ROOT)!r})
from ingest.errors import IngestError
from ingest.pipeline import parse_activity
from ingest.measure.summary import MetricsProfile
data = open({str(upload)!r}, "rb").read()
try:
    parse_activity(data, "big.gpx.gz", MetricsProfile())
    outcome = "accepted"
except IngestError as error:
    outcome = error.kind + ": " + error.reason
status = open("/proc/self/status").read()  # VmHWM: this process's own peak (ru_maxrss would
peak = int(status.split("VmHWM:")[1].split()[0]) * 1024  # carry the parent's across exec)
print(json.dumps({{"outcome": outcome, "peak": peak}}))
"""
    done = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, timeout=300, check=True
    )
    result = json.loads(done.stdout.strip().splitlines()[-1])
    assert result["outcome"].startswith(f"too_large: GPX has more than {MAX_POINTS} points")
    assert result["peak"] < 1024 * MiB, f"peak RSS {result['peak'] / MiB:.0f} MiB"


HOSTILE_NAMES = {
    "../../etc/passwd\x00.fit": "passwd.fit",
    "C:\\evil\\a.gpx": "a.gpx",
    "\x1b[31mred.fit": "[31mred.fit",
    "x" * 4000 + ".gpx": "x" * (MAX_NAME_CHARS - 1) + "…",
    "x" * 5000 + ".gpx": "x" * (MAX_NAME_CHARS - 1) + "…",
}
# python-multipart refuses a part header line over 4224 bytes (its DoS cap): 400, nothing stored
TOO_LONG_FOR_MULTIPART = "x" * 5000 + ".gpx"


@pytest.mark.parametrize("name", sorted(HOSTILE_NAMES))
def test_a_hostile_file_name_is_cleaned_by_the_pipeline(name: str) -> None:
    parsed = parse_activity(gpx_run(START), name, PROFILE)
    assert parsed.file_name == HOSTILE_NAMES[name]


@pytest.mark.parametrize("name", sorted(HOSTILE_NAMES))
def test_a_good_track_under_a_hostile_name_is_stored_content_addressed_under_a_clean_name(
    client: TestClient, data_dir: Path, name: str
) -> None:
    auth = new_athlete(client, "Ana")[1]
    data = gpx_run(START)
    r = client.post("/v1/activities", files={"file": (name, data)}, headers=auth)
    if name == TOO_LONG_FOR_MULTIPART:
        assert (r.status_code, r.json()["detail"]) == (400, "Invalid multipart data.")
        assert client.get("/v1/activities", headers=auth).json()["activities"] == []
        assert blob_files(data_dir) == []
        return
    assert r.status_code == 201, r.text
    stored: dict[str, Any] = r.json()
    kept = stored["file_name"]
    assert kept and len(kept) <= MAX_NAME_CHARS
    assert not any(ch in kept for ch in "/\\\x00\x1b") and kept.isprintable()
    assert client.get(f"/v1/activities/{stored['id']}", headers=auth).json()["file_name"] == kept
    sha = stored["sha256"]
    assert blob_files(data_dir) == [data_dir / "blobs" / sha[:2] / sha[2:]]
    assert gzip.decompress((data_dir / "blobs" / sha[:2] / sha[2:]).read_bytes()) == data
    every_name = {p.name for p in data_dir.rglob("*")}
    assert not any(n in every_name for n in ("passwd", "passwd.fit", "a.gpx", "[31mred.fit", kept))


def test_a_good_track_with_a_3_mib_name_is_kept_with_its_name_cut() -> None:
    data = gpx_run(START).replace(
        b"<name>test run</name>", b"<name>" + b"n" * (3 * MiB) + b"</name>"
    )
    parsed = parse_activity(data, "long.gpx", PROFILE)
    assert parsed.summary.name == "n" * 200


def test_a_track_behind_a_32_mib_name_is_refused_as_mostly_not_activity_data() -> None:
    """Issue 14, finding 5: 32 MiB kept for 529 track points is a disk-filler, not a run."""
    data = gpx_run(START).replace(
        b"<name>test run</name>", b"<name>" + b"n" * (32 * MiB) + b"</name>"
    )
    with pytest.raises(IngestError, match=r"mostly not activity data: 32\.0 MiB for 529 track"):
        parse_activity(data, "long.gpx", PROFILE)


def test_a_few_impossible_points_are_dropped_with_a_note_not_refused() -> None:
    good = gpx_run(START)
    bad = b'<trkpt lat="nan" lon="400"><ele>inf</ele><time>2026-03-02T07:00:02Z</time></trkpt>'
    data = good.replace(b"<trkseg>", b"<trkseg>" + bad, 1)
    parsed = parse_activity(data, "glitch.gpx", PROFILE)
    assert "1 points with an impossible position, elevation or heart rate" in parsed.summary.notes
    assert parsed.summary.distance_m == pytest.approx(
        parse_activity(good, "g", PROFILE).summary.distance_m
    )


def test_a_time_with_a_mangled_zone_is_unusable_not_fatal() -> None:
    """Found by the atheris GPX harness: gpxpy accepts "+99:00", then comparing the time raised."""
    data = gpx_run(START).replace(b"07:00:05Z</time>", b"07:00:05+99:00</time>", 1)
    assert b"+99:00" in data
    parsed = parse_activity(data, "odd-zone.gpx", PROFILE)
    assert parsed.summary.distance_m > 7000


def test_a_gzip_bomb_is_at_least_1000_to_1() -> None:
    assert 512 * MiB / len(zeros_gzip(512 * MiB)) >= 1000
    assert 300 * MiB / len(zeros_gzip(300 * MiB, stated=100)) >= 1000


def fit_run_starting_at_latitude(first_lat: float) -> bytes:
    from garmin_fit_sdk import Encoder, Profile

    mesg = Profile["mesg_num"]
    encoder = Encoder()
    encoder.write_mesg(
        {"mesg_num": mesg["FILE_ID"], "type": "activity", "manufacturer": "garmin",
         "product": 3113, "time_created": START}
    )  # fmt: skip
    for i in range(60):
        lat = first_lat if i == 0 else 47.0 + i * 1e-4
        encoder.write_mesg(
            {"mesg_num": mesg["RECORD"], "timestamp": START + timedelta(seconds=i),
             "distance": 10.0 * i, "altitude": 400.0,
             "position_lat": int(lat / 180 * 2**31), "position_long": int(8.0 / 180 * 2**31)}
        )  # fmt: skip
    return bytes(encoder.close())


def test_a_fit_position_past_90_degrees_latitude_is_no_position_not_a_refusal() -> None:
    """Found by the atheris FIT harness: a latitude of 100° reached the time-zone lookup, which
    raised, and the whole file was refused as unreadable."""
    parsed = parse_activity(fit_run_starting_at_latitude(100.0), "lat100.fit", PROFILE)
    assert parsed.summary.distance_m == pytest.approx(590.0)
    assert "start position" in " ".join(parsed.summary.notes)  # the first possible one
