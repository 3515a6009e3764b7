"""Every file in corpus/broken is refused with a specific reason, or — a single FIT file cut short
mid-data, the policy of ``fit_recover`` — recovered up to its last complete message with the
note saying so; through the same decode() the API and the sync use; never any other exception."""

from __future__ import annotations

from pathlib import Path

import pytest

from ingest.decode.decoder import decode
from ingest.errors import IngestError

pytestmark = pytest.mark.corpus

EXPECTED = {
    "fitparse__activity-activity-filecrc.fit": ("unreadable", "CRC mismatch"),
    "fitparse__activity-filecrc.fit": ("unreadable", "CRC mismatch"),
    "fitparse__activity-settings-corruptheader.fit": (
        "unreadable",
        "FIT file 2 at byte 771 has a corrupt",
    ),
    "fitparse__activity-settings-nodata.fit": ("unreadable", "truncated (chained file 2)"),
    # the header promises 78236 bytes of data; the decoders then trip on local message type 11
    "fitparse__strava-android-app-201.10-b1218918.fit": ("unreadable", "truncated"),
    "slib__6037744996.gpx": ("unreadable", "unbound prefix"),
    "slib__empty-sessions.fit": ("not_activity", "the file is empty"),
}
# name -> (byte where the complete messages end, records kept, first and last time)
RECOVERED = {
    # the header promises 757 bytes of data, the file has 756: the last message is cut
    "fitparse__activity-unexpected-eof.fit": (
        751, 14, "2012-04-09 21:22:26+00:00", "2012-04-09 21:22:39+00:00"
    ),
    # sizes agree, but the last message runs past the declared end: a 4 h 39 min run, kept
    "fitparse__nick.fit": (403437, 14383, "2020-09-12 12:23:38+00:00", "2020-09-12 17:02:21+00:00"),
}  # fmt: skip


def test_every_broken_file_has_an_expected_refusal_or_recovery(corpus: Path):
    names = sorted(p.name for p in (corpus / "broken").iterdir())
    assert names == sorted({**EXPECTED, **RECOVERED})


@pytest.mark.parametrize("name", sorted(EXPECTED))
def test_a_broken_file_is_refused_with_its_specific_reason_and_name(corpus: Path, name: str):
    with pytest.raises(IngestError) as caught:
        decode((corpus / "broken" / name).read_bytes(), f"broken/{name}")
    kind, reason = EXPECTED[name]
    assert caught.value.kind == kind
    assert reason in caught.value.reason
    assert str(caught.value).startswith(f"broken/{name}: ")


@pytest.mark.parametrize("name", sorted(RECOVERED))
def test_a_fit_file_cut_short_mid_data_is_recovered_with_a_note_saying_where(
    corpus: Path, name: str
):
    track = decode((corpus / "broken" / name).read_bytes(), f"broken/{name}")
    cut, records, first, last = RECOVERED[name]
    assert f"recovered: file truncated at byte {cut}; CRC not verified" in track.notes
    assert len(track.frame) == records
    assert (str(track.frame["time"].iloc[0]), str(track.frame["time"].iloc[-1])) == (first, last)


@pytest.mark.parametrize("name", sorted({**EXPECTED, **RECOVERED}))
def test_every_prefix_of_a_broken_file_is_refused_cleanly(corpus: Path, name: str):
    data = (corpus / "broken" / name).read_bytes()[:4096]
    for cut in range(0, len(data), max(1, len(data) // 40)):
        try:
            decode(data[:cut], name)
        except IngestError as error:
            assert error.file_name == name and error.reason


def test_library_failures_are_wrapped_as_unreadable_with_the_file_name(monkeypatch):
    import ingest.decode.decoder as module

    def explode(data: bytes) -> None:
        raise KeyError("boom")

    monkeypatch.setitem(module.DECODERS, "gpx", explode)
    with pytest.raises(IngestError) as caught:
        module.decode(b"<gpx/>", "x.gpx")
    assert (caught.value.kind, caught.value.file_name) == ("unreadable", "x.gpx")
    assert "KeyError" in caught.value.reason
