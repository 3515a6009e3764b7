"""Shared by the atheris harnesses: seed a working corpus from ../shared/corpus, run one input
through the ingest path, and let anything but IngestError escape (atheris reports it as a crash).

Not part of the test suite; see fuzz/README.md.
"""

from __future__ import annotations

import os
import sys
import tempfile
import warnings
from collections.abc import Callable
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
CORPUS = Path(os.environ.get("LEGDAY_CORPUS", ROOT.parent / "shared" / "corpus"))
MAX_LEN = 65536
PROFILE_SHA = "0" * 64


def seeded_argv(argv: list[str], folders: tuple[str, ...], suffix: str) -> list[str]:
    """``argv`` with a fresh working corpus directory of the seeds (files up to MAX_LEN bytes,
    copied from the shared corpus, never written into it) unless a directory was named."""
    if any(not a.startswith("-") for a in argv[1:]):  # a corpus directory, or inputs to replay
        return argv
    work = Path(tempfile.mkdtemp(prefix=f"legday-fuzz-{suffix}-"))
    for folder in folders:
        for path in sorted((CORPUS / folder).glob(f"*{suffix}")):
            data = path.read_bytes()
            if 0 < len(data) <= MAX_LEN:
                (work / path.name).write_bytes(data)
    print(f"seed corpus: {work} ({len(list(work.iterdir()))} files)", file=sys.stderr)
    extra = [a for a in argv[1:] if a.startswith("-")]
    if not any(a.startswith("-max_len=") for a in extra):
        extra.append(f"-max_len={MAX_LEN}")
    return [argv[0], *extra, str(work)]


def run_one(data: bytes, decode: Callable[[bytes], object]) -> None:
    """Decode and summarise ``data``; IngestError is the only allowed failure. Warnings are
    errors, as in the test suite (a NaN warning there turns a good file into a refusal)."""
    from ingest.decode.track import Track
    from ingest.errors import IngestError
    from ingest.measure.metrics import summarize
    from ingest.measure.summary import MetricsProfile

    with warnings.catch_warnings():
        warnings.simplefilter("error")
        try:
            track = decode(data)
            assert isinstance(track, Track)
            summarize(track, MetricsProfile(hr_rest=50, hr_max=190), PROFILE_SHA)
        except IngestError as error:
            assert error.reason, "an IngestError without a reason"
