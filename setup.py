"""Build hook only (the metadata is in pyproject.toml): a wheel carries the sample athlete that
``legday demo`` loads, as ``api/sample_data/`` — profile, strength log and check-ins, and the
activity files zipped (1.9 MB instead of 9.8 MB installed). A clone or an editable install reads
``sample_data/`` in place (``api/cli/demo.py``)."""

from __future__ import annotations

import shutil
import zipfile
from pathlib import Path

from setuptools import setup
from setuptools.command.build_py import build_py

SAMPLE = Path(__file__).resolve().parent / "sample_data"
DOCUMENTS = ("profile.json", "strength_log.json", "checkins.json")
STAMP = (2026, 1, 1, 0, 0, 0)  # fixed member times: the same files make the same zip


class BuildWithSample(build_py):
    def run(self) -> None:
        super().run()
        if getattr(self, "editable_mode", False):
            return
        activities = SAMPLE / "athlete"
        if not activities.is_dir():
            self.warn(f"no sample athlete at {activities}: legday demo will need --sample-data")
            return
        target = Path(self.build_lib) / "api" / "sample_data"
        target.mkdir(parents=True, exist_ok=True)
        for name in DOCUMENTS:
            shutil.copyfile(SAMPLE / name, target / name)
        with zipfile.ZipFile(target / "athlete.zip", "w", zipfile.ZIP_DEFLATED) as archive:
            for path in sorted(p for p in activities.iterdir() if p.is_file()):
                info = zipfile.ZipInfo(path.name, date_time=STAMP)
                info.compress_type = zipfile.ZIP_DEFLATED
                archive.writestr(info, path.read_bytes(), compresslevel=9)


setup(cmdclass={"build_py": BuildWithSample})
