"""Format by content: FIT header, <gpx> root, one level of gzip, caps before and after inflating."""

from __future__ import annotations

import gzip
import io
import os
import time

import pytest

from ingest.decode.sniff import MiB, sniff
from ingest.errors import IngestError

FIT_HEAD = bytes([14, 0x20, 0x5C, 0x08, 0, 0, 0, 0]) + b".FIT" + b"\x00\x00"
GPX = b'<?xml version="1.0"?>\n<gpx version="1.1" creator="t"><trk/></gpx>'


def refusal(data: bytes, **limits: int) -> IngestError:
    with pytest.raises(IngestError) as caught:
        sniff(data, **limits)
    return caught.value


def test_a_fit_header_is_fit_whatever_follows():
    assert sniff(FIT_HEAD + b"junk")[0] == "fit"


def test_a_12_byte_fit_header_is_fit_too():
    assert sniff(bytes([12, 0x10, 0, 0, 0, 0, 0, 0]) + b".FIT")[0] == "fit"


def test_gpx_is_found_after_bom_declaration_comments_and_whitespace():
    data = b"\xef\xbb\xbf <?xml version='1.0'?>\n<!-- made -->\n<?pi x?>\n <g:gpx xmlns:g='x'/>"
    assert sniff(data) == ("gpx", data)


def test_xml_that_is_not_gpx_or_tcx_is_not_an_activity():
    error = refusal(b"<?xml version='1.0'?><kml/>")
    assert error.kind == "not_activity"
    assert "<kml>" in error.reason and "TrainingCenterDatabase" in error.reason


def test_tcx_is_found_by_its_root_even_after_whitespace_before_the_declaration():
    assert sniff(b"  \n <?xml version='1.0'?><TrainingCenterDatabase/>")[0] == "tcx"


def test_a_zero_byte_file_is_not_an_activity_and_says_it_is_empty():
    error = refusal(b"")
    assert (error.kind, error.reason) == ("not_activity", "not an activity file: the file is empty")


def test_random_bytes_are_not_an_activity():
    error = refusal(os.urandom(4096).replace(b"\x1f\x8b", b"xx").replace(b"<", b"x"))
    assert error.kind == "not_activity"
    assert "neither FIT nor XML" in error.reason


def test_a_document_with_a_doctype_is_refused_as_unreadable():
    error = refusal(b'<?xml version="1.0"?><!DOCTYPE gpx [<!ENTITY a "b">]><gpx/>')
    assert error.kind == "unreadable"
    assert "DTD" in error.reason


def test_a_polyglot_with_a_fit_header_and_xml_is_fit():
    assert sniff(FIT_HEAD + GPX)[0] == "fit"


def test_xml_first_then_fit_bytes_is_gpx():
    assert sniff(GPX + FIT_HEAD)[0] == "gpx"


def test_a_file_larger_than_the_cap_is_too_large():
    assert refusal(b"x" * 2049, max_bytes=2048).kind == "too_large"


def test_a_gzipped_fit_is_inflated_and_sniffed():
    assert sniff(gzip.compress(FIT_HEAD)) == ("fit", FIT_HEAD)


def test_a_gzipped_gpx_is_inflated_and_sniffed():
    assert sniff(gzip.compress(GPX)) == ("gpx", GPX)


def test_gzip_inside_gzip_is_not_followed():
    error = refusal(gzip.compress(gzip.compress(GPX)))
    assert (error.kind, "gzip inside gzip" in error.reason) == ("not_activity", True)


def test_a_corrupt_gzip_is_unreadable():
    assert refusal(gzip.compress(GPX)[:-12] + b"\x00" * 4).kind == "unreadable"


def _zeros_gzip(size: int) -> bytes:
    out = io.BytesIO()
    with gzip.GzipFile(fileobj=out, mode="wb", compresslevel=1) as stream:
        chunk = bytes(MiB)
        for _ in range(size // MiB):
            stream.write(chunk)
    return out.getvalue()


@pytest.mark.slow
def test_a_300_mb_gzip_bomb_is_refused_quickly_as_too_large():
    bomb = _zeros_gzip(300 * MiB)
    started = time.perf_counter()
    error = refusal(bomb)
    assert error.kind == "too_large"
    assert time.perf_counter() - started < 1.0


def test_a_gzip_bomb_that_lies_about_its_size_is_refused_after_a_bounded_read():
    bomb = bytearray(_zeros_gzip(8 * MiB))
    bomb[-4:] = (100).to_bytes(4, "little")  # ISIZE says 100 bytes
    error = refusal(bytes(bomb), max_inflated=1 * MiB)
    assert error.kind == "too_large"
    assert "inflates to more than" in error.reason
