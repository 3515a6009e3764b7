"""atheris harness over the GPX entry point (ingest.decode.gpx.decode_gpx, then summarize).
Usage: see fuzz/README.md.
"""

from __future__ import annotations

import sys

import atheris

with atheris.instrument_imports(include=["ingest", "gpxpy"]):
    from ingest.decode.gpx import decode_gpx

from _harness import run_one, seeded_argv


def test_one_input(data: bytes) -> None:
    run_one(data, decode_gpx)


def main() -> None:
    atheris.Setup(seeded_argv(sys.argv, ("gpx", "broken"), ".gpx"), test_one_input)
    atheris.Fuzz()


if __name__ == "__main__":
    main()
