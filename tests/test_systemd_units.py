"""The systemd units in contrib/systemd (issue 16, 1): ``systemd-analyze verify`` accepts them,
``systemd-analyze security --offline`` rates their hardening, and what they run is a command this
legday has (no systemd runs as PID 1 on these machines, so the units are checked, not started;
``test_container`` runs the same commands as a non-root user in a container)."""

from __future__ import annotations

import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from api.cli.main import build_parser
from tests.conftest import ROOT, need

UNITS = sorted((ROOT / "contrib" / "systemd").glob("*.service"))
INSTALLED = "/opt/legday/bin/legday"


def analyze() -> str:
    path = shutil.which("systemd-analyze")
    need(path is not None, "systemd-analyze is not installed (apt-get install systemd)")
    assert path is not None
    return path


def exec_start(unit: Path) -> list[str]:
    (line,) = [x for x in unit.read_text().splitlines() if x.startswith("ExecStart=")]
    return line.removeprefix("ExecStart=").split()


def test_there_is_a_unit_for_serve_and_one_for_sync() -> None:
    commands = {unit.name: exec_start(unit)[1:] for unit in UNITS}
    assert commands == {
        "legday.service": ["serve", "--no-scheduler"],
        "legday-sync.service": ["sync"],
    }
    for unit in UNITS:
        assert exec_start(unit)[0] == INSTALLED
        build_parser().parse_args(exec_start(unit)[1:])  # a command this legday has


@pytest.mark.parametrize("unit", UNITS, ids=lambda p: p.name)
def test_systemd_analyze_verify_accepts_the_unit(unit: Path, tmp_path: Path) -> None:
    """Verified as installed, but with ExecStart at this environment's legday (verify checks that
    the program exists and is executable)."""
    legday = Path(sys.executable).with_name("legday")
    need(legday.exists(), "no legday script beside this Python (pip install -e .)")
    copy = tmp_path / unit.name
    copy.write_text(unit.read_text().replace(INSTALLED, str(legday)))
    result = subprocess.run(
        [analyze(), "verify", str(copy)], capture_output=True, text=True, timeout=120
    )
    assert result.returncode == 0, result.stdout + result.stderr
    assert result.stderr.strip() == "", result.stderr


@pytest.mark.parametrize("unit", UNITS, ids=lambda p: p.name)
def test_the_unit_is_hardened(unit: Path) -> None:
    result = subprocess.run(
        [analyze(), "security", "--offline=yes", "--threshold=20", str(unit)],
        capture_output=True,
        text=True,
        timeout=120,
    )
    match = re.search(r"Overall exposure level for \S+: (\d+\.\d+) (\w+)", result.stdout)
    assert match is not None, result.stdout + result.stderr
    print(f"{unit.name}: exposure {match.group(1)} {match.group(2)}")
    assert float(match.group(1)) <= 2.0  # "OK" on systemd's 0 (safe) to 10 (unsafe) scale
