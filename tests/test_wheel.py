"""A wheel that works (issue 16, 6): built from the source tree and installed (not editable) into
a fresh virtual environment, ``legday --version``, ``legday demo`` and ``legday info`` work from any
folder, with the sample athlete the wheel carries. Before, ``legday demo`` from a wheel said
"no sample data at …/site-packages/sample_data"."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
import sysconfig
import venv
import zipfile
from pathlib import Path

import pytest

from tests.conftest import ROOT

pytestmark = pytest.mark.slow
SOURCES = ("api", "ingest", "recommender", "sample_data", "pyproject.toml", "setup.py",
           "MANIFEST.in", "README.md")  # fmt: skip


def build_wheel(tmp_path: Path) -> Path:
    """``pip wheel .`` on a copy of the source tree (an in-tree build writes build/ there)."""
    source = tmp_path / "src"
    source.mkdir()
    for name in SOURCES:
        path = ROOT / name
        if path.is_dir():
            shutil.copytree(path, source / name, ignore=shutil.ignore_patterns("__pycache__"))
        else:
            shutil.copy(path, source / name)
    out = tmp_path / "dist"
    subprocess.run(
        [sys.executable, "-m", "pip", "wheel", "-q", "--no-deps", "--no-build-isolation",
         "--wheel-dir", str(out), str(source)],
        check=True,
    )  # fmt: skip
    (wheel,) = out.glob("legday-*.whl")
    return wheel


def fresh_venv(tmp_path: Path, wheel: Path) -> Path:
    """A new venv with the wheel installed, its dependencies taken from this test's environment
    (a path line, not an install: offline, and this environment's editable legday stays out)."""
    env_dir = tmp_path / "venv"
    venv.create(env_dir, with_pip=False)
    python = env_dir / "bin" / "python"
    subprocess.run(
        [sys.executable, "-m", "pip", "--python", str(python), "install", "-q", "--no-deps",
         "--no-index", str(wheel)],
        check=True,
    )  # fmt: skip
    site = subprocess.run(
        [str(python), "-c", "import sysconfig; print(sysconfig.get_path('purelib'))"],
        capture_output=True, text=True, check=True,
    ).stdout.strip()  # fmt: skip
    (Path(site) / "zz_dependencies.pth").write_text(sysconfig.get_path("purelib") + "\n")
    return env_dir


def test_an_installed_wheel_runs_the_demo_from_any_folder(tmp_path: Path) -> None:
    wheel = build_wheel(tmp_path)
    with zipfile.ZipFile(wheel) as z:
        names = set(z.namelist())
    shipped = {"profile.json", "athlete.zip", "strength_log.json", "checkins.json"}
    assert {f"api/sample_data/{name}" for name in shipped} <= names
    assert any(n.startswith("ingest/store/migrations/versions/0001") for n in names)
    assert not any(n.startswith(("tests/", "sample_data/")) for n in names)
    env_dir = fresh_venv(tmp_path, wheel)
    legday = env_dir / "bin" / "legday"
    elsewhere = tmp_path / "elsewhere"
    elsewhere.mkdir()
    env = {k: v for k, v in os.environ.items() if not k.startswith("LEGDAY_")}
    env |= {"LEGDAY_DATA_DIR": str(tmp_path / "data"), "COLUMNS": "120"}

    def run(*argv: str) -> str:
        result = subprocess.run(
            [str(legday), *argv], cwd=elsewhere, env=env, capture_output=True, text=True
        )
        assert result.returncode == 0, result.stdout + result.stderr
        assert "Traceback" not in result.stdout + result.stderr
        return result.stdout

    where = subprocess.run(
        [str(env_dir / "bin" / "python"), "-c", "import api; print(api.__file__)"],
        cwd=elsewhere, capture_output=True, text=True, check=True,
    ).stdout  # fmt: skip
    assert where.startswith(str(env_dir)), where  # the wheel's code, not this tree's
    assert run("--version").strip() == "legday 0.1.0"
    out = run("demo", "--workers", "0")
    assert "created the sample athlete 'Sam'" in out and "heavy leg day" in out
    assert "legday athletes token Sam" in out  # how to open Sam's dashboard
    activities = len(list((ROOT / "sample_data" / "athlete").iterdir()))
    info = run("info")
    assert f"1 athletes, {activities} activities" in info, info
