"""Export archives, read one way for every entry point: every member accounted for (read, skipped
or failed, with the reason), one level of nested zips opened (Garmin Connect), deeper refused, and
the caps and the ``../`` refusal on every member, nested or not."""

from __future__ import annotations

import io
import zipfile

import pytest

from ingest.errors import IngestError
from ingest.sync.exports import (
    NESTED_TOO_DEEP,
    Budget,
    member_path,
    members,
    read_member,
    unsafe_member_name,
)


def zip_bytes(entries: dict[str, bytes]) -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        for name, data in entries.items():
            archive.writestr(name, data)
    return buffer.getvalue()


def _zip(entries: dict[str, bytes]) -> zipfile.ZipFile:
    return zipfile.ZipFile(io.BytesIO(zip_bytes(entries)))


def _listed(archive: zipfile.ZipFile, cap: int = 1000) -> dict[str, tuple[str, str | None]]:
    found = members(archive, max_inflated=cap, budget=Budget(10 * cap))
    return {m.path: (m.action, m.reason) for m in found}


@pytest.mark.parametrize(
    ("name", "unsafe"),
    [("activities/1.fit", False), ("../evil.fit", True), ("a/../../evil.fit", True),
     ("/etc/passwd.fit", True), ("C:/x.fit", True), ("..\\evil.fit", True), ("a..b.fit", False)],
)  # fmt: skip
def test_member_names_that_escape_the_archive_are_recognised(name: str, unsafe: bool) -> None:
    assert (unsafe_member_name(name) is not None) is unsafe


def test_every_member_is_read_skipped_or_failed_with_its_reason() -> None:
    archive = _zip(
        {
            "export/activities/1.fit.gz": b"fit",
            "export/activities/2.tcx.gz": b"tcx",
            "export/activities.csv": b"csv",
            "export/profile.csv": b"p",
            "export/media/photo.jpg": b"jpg",
            "__MACOSX/export/._1.fit.gz": b"junk",
            "../evil.fit": b"x",
            "big.gpx": b"\0" * 5000,
        }
    )
    found = _listed(archive)
    assert found["export/activities/1.fit.gz"] == ("read", None)
    assert found["export/activities/2.tcx.gz"] == ("read", None)
    assert found["export/activities.csv"][0] == "skip" and "index" in (
        found["export/activities.csv"][1] or ""
    )
    assert found["export/profile.csv"][0] == "skip"
    assert "not an activity file" in (found["export/media/photo.jpg"][1] or "")
    assert found["__MACOSX/export/._1.fit.gz"][0] == "skip"
    assert found["../evil.fit"][0] == "fail" and "escapes" in (found["../evil.fit"][1] or "")
    assert "declares 5000 bytes" in (found["big.gpx"][1] or "")
    assert len(found) == len(archive.infolist())  # every member, none left out


def test_a_zip_inside_the_export_is_opened_one_level_deep_with_the_same_caps() -> None:
    deeper = zip_bytes({"c.fit": b"c"})
    inner = zip_bytes(
        {"a.fit": b"a", "../up.fit": b"u", "big.fit": b"\0" * 5000, "deeper.zip": deeper}
    )
    found = _listed(_zip({"DI_CONNECT/Uploaded/part1.zip": inner, "b.gpx": b"b"}))
    assert found["DI_CONNECT/Uploaded/part1.zip!a.fit"] == ("read", None)
    assert "escapes" in (found["DI_CONNECT/Uploaded/part1.zip!../up.fit"][1] or "")
    assert "declares 5000 bytes" in (found["DI_CONNECT/Uploaded/part1.zip!big.fit"][1] or "")
    assert found["DI_CONNECT/Uploaded/part1.zip!deeper.zip"] == ("fail", NESTED_TOO_DEEP)
    assert found["b.gpx"] == ("read", None)


def test_a_nested_member_reads_its_own_bytes_after_the_listing() -> None:
    inner = zip_bytes({"a.fit": b"first", "b.fit": b"second"})
    listed = list(members(_zip({"part.zip": inner}), max_inflated=1000, budget=Budget(10_000)))
    assert [m.load() for m in listed] == [b"first", b"second"]


def test_a_nested_zip_that_is_not_a_zip_is_a_failed_member() -> None:
    found = _listed(_zip({"part.zip": b"PK\x03\x04 but not really"}))
    assert found["part.zip"][0] == "fail" and "not a readable zip" in (found["part.zip"][1] or "")


def test_the_members_of_one_archive_share_one_inflation_budget() -> None:
    listed = members(_zip({"a.fit": b"\0" * 600, "b.fit": b"\0" * 600}), max_inflated=1000,
                     budget=Budget(1000))  # fmt: skip
    first, second = list(listed)
    assert len(first.load()) == 600
    with pytest.raises(IngestError, match="more than 400 bytes"):
        second.load()


def test_a_member_lying_about_its_size_is_read_no_further_than_the_cap() -> None:
    archive = _zip({"bomb.fit": b"\0" * 100_000})
    info = archive.getinfo("bomb.fit")
    info.file_size = 10  # a forged header: the read must still stop at the bound
    with pytest.raises(IngestError):
        read_member(archive, "bomb.fit", 50)


def test_a_member_inflating_past_the_cap_is_refused() -> None:
    archive = _zip({"bomb.fit": b"\0" * 100_000})
    with pytest.raises(IngestError, match="more than 1000 bytes"):
        read_member(archive, "bomb.fit", 1000)


def test_a_member_path_names_the_archive_and_the_member() -> None:
    assert member_path("x/export.zip", "activities/1.fit.gz") == "x/export.zip!activities/1.fit.gz"
