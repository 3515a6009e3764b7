"""Decode speed over corpus/fit: the pipeline (SDK, fitparse fallback) against fitparse alone.

python benchmarks/decode_speed.py [CORPUS_DIR]   # one core, prints MB/s for both
"""

from __future__ import annotations

import sys
import time
from collections.abc import Callable
from pathlib import Path

from ingest.decode.fit import _decode_with_fitparse, decode_fit
from ingest.decode.track import Track
from ingest.errors import IngestError


def measure(decoder: Callable[[bytes], Track], files: list[bytes]) -> tuple[float, int, int]:
    started, failed = time.perf_counter(), 0
    for data in files:
        try:
            decoder(data)
        except IngestError:
            failed += 1
    return time.perf_counter() - started, sum(map(len, files)), failed


def main() -> None:
    root = Path(sys.argv[1]) if len(sys.argv) > 1 else Path(__file__).parents[2] / "shared/corpus"
    files = [p.read_bytes() for p in sorted((root / "fit").glob("*.fit"))]
    for label, decoder in (
        ("pipeline (sdk + fallback)", decode_fit),
        ("fitparse only", _decode_with_fitparse),
    ):
        seconds, size, failed = measure(decoder, files)
        print(
            f"{label:26s} {len(files)} files {size / 1e6:.2f} MB {seconds:6.2f} s "
            f"{size / 1e6 / seconds:5.2f} MB/s  refused {failed}"
        )


if __name__ == "__main__":
    main()
