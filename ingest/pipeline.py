"""bytes → ParsedActivity: sniff, inflate, decode, summarise. Pure and picklable, so it runs in a
worker process (or on a Dask worker); the process that owns the database stores the result.
"""

from __future__ import annotations

import hashlib
import re
import unicodedata
from dataclasses import dataclass
from typing import TYPE_CHECKING

from ingest.errors import IngestError
from ingest.measure.summary import ActivitySummary, MetricsProfile

if TYPE_CHECKING:
    from ingest.measure.strength import LoggedExercise

# Bump whenever parsing or metrics change what a summary says; `legday reprocess` recomputes
# every stored activity from its raw file and records the version it used.
PARSER_VERSION = 3  # 2: truncated FIT files recovered; impossible GPX values dropped
# 3: TCX; strength sets; GPX times that repeat or step back re-timed; sparse tracks measured
#    from the device's totals; sport judged on the moving speed; a mountain run is not a ride

MAX_BYTES = 64 * 1024 * 1024
MAX_INFLATED = 256 * 1024 * 1024
MAX_NAME_CHARS = 200
# A watch writes tens (FIT) to hundreds (GPX, TCX) of bytes per track point. A file past the
# floor that holds more than this per point is mostly something else — megabytes of comments
# or padding behind a handful of points, a small .gz that would fill the disk (issue 14,
# finding 5) — and is refused with that reason.
MAX_BYTES_PER_POINT = 16 * 1024
DENSITY_FLOOR_BYTES = 4 * 1024 * 1024

_SEPARATORS = re.compile(r"[/\\]")


@dataclass(frozen=True)
class ParsedActivity:
    summary: ActivitySummary
    content: bytes  # the inflated file: what gets content-addressed and kept
    sha256: str  # of ``content``
    format: str  # "fit" | "gpx" | "tcx"
    file_name: str  # display text only, see clean_file_name
    barometric: bool | None = None  # the device's altitude source, when the file says
    parser_version: int = PARSER_VERSION
    # A strength activity's sets, one entry per exercise, for the strength log (stored with the
    # activity, in its transaction).
    strength: tuple[LoggedExercise, ...] = ()
    profile_version: int = 0  # the athlete's figures it was computed with (MetricsProfile.version)


def clean_file_name(file_name: str | None) -> str:
    """The client's name as display text: basename only, no control characters or separators,
    at most ``MAX_NAME_CHARS`` characters. Never used as a path."""
    name = _SEPARATORS.split(file_name or "")[-1]
    name = "".join(ch for ch in name if unicodedata.category(ch)[0] != "C")
    name = name.strip().lstrip(".")
    if len(name) > MAX_NAME_CHARS:
        name = name[: MAX_NAME_CHARS - 1] + "…"
    return name or "activity"


def check_density(size: int, points: int) -> None:
    """IngestError when a file of ``size`` bytes is mostly not its ``points`` track points."""
    if size > DENSITY_FLOOR_BYTES and size > points * MAX_BYTES_PER_POINT:
        per_point = size / max(points, 1) / 1024
        raise IngestError(
            f"mostly not activity data: {size / 2**20:.1f} MiB for {points} track points "
            f"({per_point:,.0f} KiB per point; a watch writes under 1 KiB), comments or padding",
            kind="unreadable",
        )


def parse_activity(
    data: bytes,
    file_name: str,
    profile: MetricsProfile,
    *,
    max_bytes: int = MAX_BYTES,
    max_inflated: int = MAX_INFLATED,
) -> ParsedActivity:
    """Parse one uploaded file. Raises IngestError naming the file; never anything else."""
    name = clean_file_name(file_name)
    try:
        return _parse(data, name, profile, max_bytes, max_inflated)
    except IngestError as exc:
        raise exc.named(name) from None
    except Exception as exc:  # a parser bug must not crash the worker or the batch
        raise IngestError(
            f"could not read the file ({type(exc).__name__}: {exc})", kind="unreadable"
        ).named(name) from None


def _parse(
    data: bytes, name: str, profile: MetricsProfile, max_bytes: int, max_inflated: int
) -> ParsedActivity:
    # Imported here so this module (and the store, which names ParsedActivity) loads without the
    # parsers; workers import them once on first use.
    from ingest.decode.decoder import decode
    from ingest.decode.sniff import sniff
    from ingest.measure.metrics import summarize
    from ingest.measure.strength import strength_log

    fmt, content = sniff(data, max_bytes=max_bytes, max_inflated=max_inflated)
    digest = hashlib.sha256(content).hexdigest()
    track = decode(content, name, max_bytes=max_inflated)  # inflated: the inflated cap applies
    check_density(len(content), len(track.frame))
    summary = summarize(track, profile, digest)
    return ParsedActivity(
        summary=summary,
        content=content,
        sha256=digest,
        format=fmt,
        file_name=name,
        barometric=track.device.barometric,
        strength=strength_log(track.sets),
        profile_version=profile.version,
    )
