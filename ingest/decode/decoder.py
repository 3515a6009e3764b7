"""Bytes -> Track: sniff the format, dispatch to the parser, and name the file in every error."""

from __future__ import annotations

from collections.abc import Callable

from ingest.decode.fit import decode_fit
from ingest.decode.gpx import decode_gpx
from ingest.decode.sniff import Format, MiB, sniff
from ingest.decode.tcx import decode_tcx
from ingest.decode.track import Track
from ingest.errors import IngestError

DECODERS: dict[Format, Callable[[bytes], Track]] = {
    "fit": decode_fit,
    "gpx": decode_gpx,
    "tcx": decode_tcx,
}


def decode(data: bytes, file_name: str | None = None, *, max_bytes: int = 64 * MiB) -> Track:
    """Decode a FIT, GPX or TCX file (optionally gzipped) of at most ``max_bytes``; raise
    IngestError, never anything else."""
    try:
        kind, content = sniff(data, max_bytes=max_bytes)
        return DECODERS[kind](content)
    except IngestError as error:
        raise (error.named(file_name) if file_name else error) from None
    except (MemoryError, RecursionError) as error:
        raise IngestError(
            f"file is too complex to decode ({type(error).__name__})", file_name=file_name
        ) from error
    except Exception as error:  # a library bug on odd input must not crash a worker
        reason = f"unexpected decoder failure: {type(error).__name__}: {error}"
        raise IngestError(reason, file_name=file_name) from error
