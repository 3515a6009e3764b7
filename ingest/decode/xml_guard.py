"""What an XML activity file (GPX, TCX) must not carry, checked on the bytes before any parser runs.

- A DTD anywhere (``<!DOCTYPE``, ``<!ENTITY``) is refused: without one, the parser can expand no
  entity (no "billion laughs", no external entity), which is what defusedxml guards against.
- More than ``MAX_POINTS`` points (a 1 Hz 100-hour ultra has 360,000) is refused as too large,
  counted by a scan that stops at the cap, so a 5-million-point file never becomes 5 million
  objects; more than ``MAX_TAGS`` tags likewise (empty elements in extensions cost memory too).
- More than ``MAX_NAMESPACES`` distinct ``xmlns`` is refused (gpxpy registers each one in
  ElementTree's global map, a quadratic loop; a TCX has five).
- Nesting deeper than ``MAX_DEPTH`` is refused by the streaming parsers that track depth (a TCX is
  eight levels deep; a GPX six).
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from ingest.errors import IngestError

MAX_POINTS = 500_000
MAX_TAGS = 6_000_000  # "<" characters: ElementTree keeps ~200 bytes per element
MAX_NAMESPACES = 64
MAX_DEPTH = 64
MAX_TEXT = 200  # a name, creator or type longer than this is cut: display text only
_DTD = re.compile(rb"<!\s*(?:DOCTYPE|ENTITY)", re.IGNORECASE)


@dataclass(frozen=True)
class PointTags:
    """How one format's point elements are found: a cheap byte count that bounds them from above
    (``marker``), and the exact opening-tag pattern counted when the bound is past the cap."""

    format: str  # "GPX", "TCX"
    marker: bytes
    pattern: re.Pattern[bytes]


GPX_POINTS = PointTags(  # every point tag ends in "pt"
    "GPX", b"pt", re.compile(rb"<(?:[A-Za-z_][\w.\-]*:)?(?:trkpt|rtept|wpt)[\s/>]")
)
TCX_POINTS = PointTags(
    "TCX", b"Trackpoint", re.compile(rb"<(?:[A-Za-z_][\w.\-]*:)?Trackpoint[\s/>]")
)


def check_hostile(data: bytes, points: PointTags) -> None:
    """Refuse, on the bytes, what must never reach the XML parser (see the module doc)."""
    what = points.format
    if _DTD.search(data):
        raise IngestError("XML with a DTD (<!DOCTYPE or <!ENTITY) is refused")
    if data.count(b"<") > MAX_TAGS:
        raise IngestError(f"{what} has more than {MAX_TAGS} XML tags, the limit", kind="too_large")
    if data.count(points.marker) > MAX_POINTS:  # else the exact scan cannot refuse
        for count, _ in enumerate(points.pattern.finditer(data), start=1):
            if count > MAX_POINTS:
                raise IngestError(
                    f"{what} has more than {MAX_POINTS} points, the limit (a 1 Hz 100-hour ultra"
                    " has 360000)",
                    kind="too_large",
                )
    _check_namespaces(data, what)


def too_deep(what: str) -> IngestError:
    return IngestError(f"{what} nests elements more than {MAX_DEPTH} deep, the limit")


def _check_namespaces(data: bytes, what: str) -> None:
    """gpxpy runs ``\\sxmlns:?[^=]*="[^"]+"`` over the document and registers every match in
    ElementTree's global map (each registration scans the map): bound the scans and the map."""
    if data.count(b"schemaLocation") > 16 or data.count(b"xmlns") > 100_000:
        raise IngestError(f"{what} has too many namespace or schemaLocation attributes")
    declared: set[bytes] = set()
    pos = data.find(b"xmlns")
    while pos >= 0:
        equals = data.find(b"=", pos, pos + 512)
        value_end = -1 if equals < 0 else data.find(b'"', equals + 2, equals + 4096)
        if equals < 0 or (data[equals + 1 : equals + 2] == b'"' and value_end < 0):
            raise IngestError(f"{what} has a malformed XML namespace declaration")
        if data[equals + 1 : equals + 2] == b'"':
            declared.add(data[pos:value_end])
            if len(declared) > MAX_NAMESPACES:
                raise IngestError(f"{what} declares more than {MAX_NAMESPACES} XML namespaces")
        pos = data.find(b"xmlns", pos + 5)
