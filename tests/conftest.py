"""Shared fixtures.

Tests that need ../shared, PostgreSQL or Chromium skip with a reason where those are absent;
with LEGDAY_REQUIRE_ALL=1 (set by .ci/run) the same absence is a failure instead.
"""

from __future__ import annotations

import os
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
CORPUS = Path(os.environ.get("LEGDAY_CORPUS", ROOT.parent / "shared" / "corpus"))
SAMPLE_DATA = ROOT / "sample_data"
REQUIRE_ALL = os.environ.get("LEGDAY_REQUIRE_ALL") == "1"


def need(ok: bool, reason: str) -> None:
    """Skip (or, under LEGDAY_REQUIRE_ALL=1, fail) the calling test when ``ok`` is false."""
    if ok:
        return
    if REQUIRE_ALL:
        pytest.fail(f"required in CI but missing: {reason}")
    pytest.skip(reason)


@pytest.fixture(scope="session")
def corpus() -> Path:
    need(CORPUS.is_dir(), f"the real watch files are not at {CORPUS} (../shared/corpus)")
    return CORPUS


@pytest.fixture(scope="session")
def postgres_url() -> str:
    url = os.environ.get("LEGDAY_TEST_DATABASE_URL", "")
    need(bool(url), "LEGDAY_TEST_DATABASE_URL is not set (a PostgreSQL server for the store tests)")
    return url


@pytest.fixture(scope="session")
def chromium_path() -> str:
    path = os.environ.get("LEGDAY_CHROMIUM", "/usr/bin/chromium")
    need(Path(path).exists(), f"no Chromium at {path} (apt-get install chromium)")
    return path
