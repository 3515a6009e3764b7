"""Which format a byte string is, by content alone (never by file name), with size caps and gunzip.

FIT: header size 12 or 14 at byte 0 and ".FIT" at bytes 8-12. GPX: XML whose root element is gpx.
TCX: XML whose root element is TrainingCenterDatabase (whitespace before the declaration allowed).
One level of gzip is opened with a bounded read; an XML prolog carrying a DTD is refused.
"""

from __future__ import annotations

import gzip
import io
import re
import zlib
from typing import Literal

from ingest.errors import IngestError

MiB = 1024 * 1024
Format = Literal["fit", "gpx", "tcx"]
XML_ROOTS: dict[str, Format] = {"gpx": "gpx", "trainingcenterdatabase": "tcx"}

_GZIP_MAGIC = b"\x1f\x8b"
_PROLOG_WINDOW = 64 * 1024  # a prolog (declaration, comments, PIs) longer than this is refused
_ROOT = re.compile(r"<([A-Za-z_][\w.\-]*:)?([A-Za-z_][\w.\-]*)")


def sniff(
    data: bytes, *, max_bytes: int = 64 * MiB, max_inflated: int = 256 * MiB
) -> tuple[Format, bytes]:
    """Return the format and the (decompressed) content, or raise IngestError."""
    if len(data) > max_bytes:
        raise IngestError(
            f"file is {len(data)} bytes, more than the {max_bytes} byte limit", kind="too_large"
        )
    if data[:2] == _GZIP_MAGIC:
        data = _gunzip(data, max_inflated)
        if data[:2] == _GZIP_MAGIC:
            raise IngestError("not an activity file: gzip inside gzip", kind="not_activity")
        return _sniff_plain(data, inside="gzip ")
    return _sniff_plain(data, inside="")


def _sniff_plain(data: bytes, *, inside: str) -> tuple[Format, bytes]:
    if not data:
        raise IngestError(f"not an activity file: the {inside}file is empty", kind="not_activity")
    if is_fit(data):
        return "fit", data
    root = xml_root(data)
    if root is None:
        raise IngestError(
            f"not an activity file: the {inside}content is neither FIT nor XML", kind="not_activity"
        )
    fmt = XML_ROOTS.get(root.lower())
    if fmt is None:
        raise IngestError(
            f"not an activity file: XML root element is <{root}>, not <gpx> or"
            " <TrainingCenterDatabase>",
            kind="not_activity",
        )
    return fmt, data


def is_fit(data: bytes) -> bool:
    """A FIT header at byte 0: size 12 or 14, data type ".FIT"."""
    return len(data) >= 12 and data[0] in (12, 14) and data[8:12] == b".FIT"


def _gunzip(data: bytes, limit: int) -> bytes:
    if len(data) >= 18:
        stated = int.from_bytes(data[-4:], "little")  # ISIZE: size mod 2**32, a cheap early refusal
        if stated > limit:
            raise IngestError(
                f"gzip content states {stated} bytes, more than the {limit} byte limit",
                kind="too_large",
            )
    try:
        with gzip.GzipFile(fileobj=io.BytesIO(data)) as stream:
            inflated = stream.read(limit + 1)
    except (OSError, EOFError, zlib.error) as error:
        raise IngestError(f"corrupt gzip file: {error}", kind="unreadable") from error
    if len(inflated) > limit:
        raise IngestError(
            f"gzip content inflates to more than the {limit} byte limit", kind="too_large"
        )
    return inflated


def xml_root(data: bytes) -> str | None:
    """The local name of the root element, or None when ``data`` does not start like XML.

    Skips a BOM, the XML declaration, comments, processing instructions and whitespace.
    Raises IngestError (unreadable) when the prolog carries a DTD (``<!DOCTYPE`` / ``<!ENTITY``).
    """
    text = _prolog_text(data[:_PROLOG_WINDOW])
    pos = 0
    while True:
        while pos < len(text) and text[pos] in " \t\r\n":
            pos += 1
        if text.startswith("<?", pos):
            opener, closer = "<?", "?>"
        elif text.startswith("<!--", pos):
            opener, closer = "<!--", "-->"  # so "<!-->" is not a whole comment, as in XML
        elif text.startswith("<!", pos):
            if text[pos + 2 : pos + 8].upper() in ("DOCTYP", "ENTITY"):
                raise IngestError("XML with a DTD (<!DOCTYPE or <!ENTITY) is refused")
            return None
        else:
            match = _ROOT.match(text, pos)
            return match.group(2) if match else None
        end = text.find(closer, pos + len(opener))
        if end < 0:
            if len(data) > _PROLOG_WINDOW:
                raise IngestError("XML prolog is longer than 64 KiB before the root element")
            return None
        pos = end + len(closer)


def _prolog_text(head: bytes) -> str:
    for bom, codec in (
        (b"\xef\xbb\xbf", "utf-8"),
        (b"\xff\xfe", "utf-16-le"),
        (b"\xfe\xff", "utf-16-be"),
    ):
        if head.startswith(bom):
            return head[len(bom) :].decode(codec, errors="replace")
    return head.decode("latin-1")
