"""Lint, format and types are part of the test run: CI and the README's test command check them."""

from __future__ import annotations

import shutil
import subprocess
import sys

import pytest

from tests.conftest import ROOT

PACKAGES = ["ingest", "recommender", "api"]


def _run(*args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(args, cwd=ROOT, capture_output=True, text=True, check=False)


@pytest.mark.slow
def test_ruff_finds_no_lint_errors() -> None:
    ruff = shutil.which("ruff")
    assert ruff, "ruff is a test dependency"
    result = _run(ruff, "check", *PACKAGES, "tests", "benchmarks", "sample_data")
    assert result.returncode == 0, result.stdout + result.stderr


@pytest.mark.slow
def test_code_is_formatted_the_ruff_way() -> None:
    ruff = shutil.which("ruff")
    assert ruff, "ruff is a test dependency"
    result = _run(ruff, "format", "--check", *PACKAGES, "tests", "benchmarks", "sample_data")
    assert result.returncode == 0, result.stdout + result.stderr


@pytest.mark.slow
def test_mypy_finds_no_type_errors_in_the_packages() -> None:
    result = _run(sys.executable, "-m", "mypy")
    assert result.returncode == 0, result.stdout + result.stderr
