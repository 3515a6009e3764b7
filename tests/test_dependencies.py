"""The installed packages meet pyproject.toml's minimums, and the minimums of the packages that read
untrusted input sit at or above the first version free of every advisory we know of.

PyPI's JSON API (which pip-audit's default service reads) and OSV are not reachable from these
machines: pip-audit then skips every package and still prints "No known vulnerabilities found".
So the advisory floors below are the offline check, and the pip-audit test only counts when the
service answered for at least one package (``--strict`` makes a skipped package an error).
"""

from __future__ import annotations

import json
import shutil
import subprocess
import sys
import tomllib
from importlib.metadata import PackageNotFoundError, version

import pytest
from packaging.requirements import Requirement
from packaging.version import Version

from tests.conftest import ROOT

PYPROJECT = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))
REQUIREMENTS = [Requirement(r) for r in PYPROJECT["project"]["dependencies"]]

# package -> (first safe version, the advisories below it). Runtime packages that parse requests,
# uploads or files, and what they pull in for HTTP and templates.
ADVISORY_FLOORS: dict[str, tuple[str, str]] = {
    "python-multipart": (
        "0.0.31",
        "DESIGN.md: advisories up to 0.0.31 (CVE-2024-24762 ReDoS, CVE-2024-53981 boundary DoS,"
        " later header/part DoS fixes)",
    ),
    "starlette": ("0.47.2", "CVE-2024-47874 multipart DoS, CVE-2025-54121 blocking rollover"),
    "fastapi": ("0.109.1", "CVE-2024-24762 via python-multipart"),
    "h11": ("0.16.0", "CVE-2025-43859 chunked-encoding request smuggling"),
    "jinja2": ("3.1.6", "CVE-2024-56201, CVE-2024-56326, CVE-2025-27516 sandbox escapes"),
    "urllib3": ("2.5.0", "CVE-2025-50181, CVE-2025-50182 redirect handling"),
    "requests": ("2.32.4", "CVE-2024-47081 .netrc credential leak"),
    "sqlalchemy": ("2.0.0", "no advisory in 2.x; 1.x is out of support"),
    "gpxpy": ("1.6.2", "no advisory; 1.6.2 is the version the XML guards were written against"),
}


def installed(name: str) -> Version | None:
    try:
        return Version(version(name))
    except PackageNotFoundError:
        return None


@pytest.mark.parametrize("requirement", REQUIREMENTS, ids=str)
def test_every_installed_dependency_meets_the_pyproject_minimum(requirement: Requirement) -> None:
    found = installed(requirement.name)
    assert found is not None, f"{requirement.name} is not installed"
    assert requirement.specifier.contains(found, prereleases=True), f"{found} vs {requirement}"


def test_python_multipart_is_pinned_at_or_above_0_0_31_as_the_design_asks() -> None:
    pin = next(r for r in REQUIREMENTS if r.name == "python-multipart")
    assert not pin.specifier.contains("0.0.30") and pin.specifier.contains("0.0.31")


@pytest.mark.parametrize("name", sorted(ADVISORY_FLOORS))
def test_an_installed_parser_or_http_package_is_past_its_known_advisories(name: str) -> None:
    floor, advisories = ADVISORY_FLOORS[name]
    found = installed(name)
    if found is None:
        pytest.skip(f"{name} is not installed here")
    assert found >= Version(floor), f"{name} {found} is below {floor}: {advisories}"


DIRECT = {r.name.lower(): r for r in REQUIREMENTS}


@pytest.mark.parametrize("name", sorted(set(ADVISORY_FLOORS) & set(DIRECT) - {"sqlalchemy"}))
def test_a_pyproject_minimum_never_allows_a_version_with_a_known_advisory(name: str) -> None:
    pin = DIRECT[name]
    floor = Version(ADVISORY_FLOORS[name][0])
    lowest = [Version(s.version) for s in pin.specifier if s.operator in (">=", "==", "~=")]
    assert lowest and min(lowest) >= floor, f"{pin} allows versions below {floor}"


@pytest.mark.slow
def test_pip_audit_finds_no_known_vulnerability_when_the_advisory_service_answers() -> None:
    if shutil.which("pip-audit") is None and installed("pip-audit") is None:
        pytest.skip("pip-audit is not installed (it is in the test extras)")
    done = subprocess.run(
        [sys.executable, "-m", "pip_audit", "--progress-spinner", "off", "--format", "json"],
        capture_output=True,
        text=True,
        timeout=300,
    )
    report = json.loads(done.stdout or '{"dependencies": []}')
    audited = [d for d in report["dependencies"] if "skip_reason" not in d]
    if not audited:
        pytest.skip(
            "pip-audit could not audit any package (PyPI's JSON API is not reachable from here);"
            " the advisory floors above are the offline check"
        )
    vulnerable = {d["name"]: [v["id"] for v in d["vulns"]] for d in audited if d.get("vulns")}
    assert vulnerable == {}, vulnerable
