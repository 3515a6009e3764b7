"""Builders for sync tests and the sync benchmark: folders of distinct activities from the sample
athlete (FIT files as they are, or gzipped; GPX files copied with every timestamp shifted by whole
weeks so each copy is an activity of its own), Strava-style exports, and zips of them."""

from __future__ import annotations

import gzip
import io
import re
import shutil
import zipfile
from datetime import UTC, datetime, timedelta
from pathlib import Path

from tests.conftest import SAMPLE_DATA

ATHLETE_DIR = SAMPLE_DATA / "athlete"
_TIME = re.compile(rb"<time>(\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d(?:\.\d+)?)Z</time>")


def sample_files(suffix: str) -> list[Path]:
    return sorted(ATHLETE_DIR.glob(f"*{suffix}"))


def shift_gpx(data: bytes, weeks: int) -> bytes:
    """The same GPX with every ``<time>`` moved by ``weeks`` weeks and ``weeks`` minutes."""
    delta = timedelta(weeks=weeks, minutes=weeks)

    def move(match: re.Match[bytes]) -> bytes:
        stamp = datetime.fromisoformat(match.group(1).decode()).replace(tzinfo=UTC) + delta
        return b"<time>" + stamp.strftime("%Y-%m-%dT%H:%M:%S").encode() + b"Z</time>"

    return _TIME.sub(move, data)


def distinct_activities(folder: Path, count: int, *, gzip_every: int = 3) -> list[Path]:
    """``count`` files in ``folder`` (nested a little), each a distinct activity: every sample FIT
    once (every ``gzip_every``-th gzipped), then shifted GPX copies (some gzipped) until full."""
    folder.mkdir(parents=True, exist_ok=True)
    written: list[Path] = []
    for i, fit in enumerate(sample_files(".fit")):
        if len(written) == count:
            return written
        target = folder / f"watch/{fit.name}" if i % gzip_every else folder / f"gz/{fit.name}.gz"
        target.parent.mkdir(parents=True, exist_ok=True)
        data = fit.read_bytes()
        target.write_bytes(gzip.compress(data, mtime=0) if target.suffix == ".gz" else data)
        written.append(target)
    gpxs = sample_files(".gpx")
    weeks = 0
    while len(written) < count:
        weeks += 53
        for j, gpx in enumerate(gpxs):
            if len(written) == count:
                break
            data = shift_gpx(gpx.read_bytes(), weeks)
            name = f"{gpx.stem}-plus{weeks}w.gpx"
            if j % gzip_every == 0:
                target = folder / f"shifted/{weeks}/{name}.gz"
                data = gzip.compress(data, mtime=0)
            else:
                target = folder / f"shifted/{weeks}/{name}"
            target.parent.mkdir(parents=True, exist_ok=True)
            target.write_bytes(data)
            written.append(target)
    return written


STRAVA_INDEX = (
    "Activity ID,Activity Date,Activity Name,Activity Type,Activity Description,Elapsed Time,"
    "Distance,Filename\n"
    '9001,"Sep 8, 2026",Track Tuesday,Run,,3441,10.5,activities/9001.fit.gz\n'
    '9002,"Sep 9, 2026",Zurich trails,Trail Run,,3000,8.0,activities/9002.gpx.gz\n'
    '9003,"Sep 13, 2026",Shakeout,Run,,1800,4.0,activities/9003.gpx\n'
)


def strava_export(folder: Path) -> Path:
    """A Strava bulk export as unpacked: activities.csv, activities/ (.fit.gz, .gpx.gz, .gpx)."""
    fit = sample_files(".fit")[0].read_bytes()
    gpx1, gpx2 = (p.read_bytes() for p in sample_files(".gpx")[:2])
    activities = folder / "activities"
    activities.mkdir(parents=True, exist_ok=True)
    (activities / "9001.fit.gz").write_bytes(gzip.compress(fit, mtime=0))
    (activities / "9002.gpx.gz").write_bytes(gzip.compress(gpx1, mtime=0))
    (activities / "9003.gpx").write_bytes(gpx2)
    (folder / "activities.csv").write_text(STRAVA_INDEX, encoding="utf-8")
    (folder / "profile.csv").write_text("Athlete ID\n1\n", encoding="utf-8")
    return folder


def zip_folder(source: Path, target: Path, *, extra: dict[str, bytes] | None = None) -> Path:
    """A zip of ``source`` (members relative to it) plus ``extra`` members, at ``target``."""
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        for path in sorted(source.rglob("*")):
            if path.is_file():
                archive.write(path, path.relative_to(source).as_posix())
        for name, data in (extra or {}).items():
            archive.writestr(name, data)
    target.parent.mkdir(parents=True, exist_ok=True)
    target.write_bytes(buffer.getvalue())
    return target


def copy_slowly(source: Path, target: Path, *, chunks: int, pause_s: float) -> None:
    """Write ``source`` to ``target`` in ``chunks`` pieces with a pause after each (a slow copy)."""
    import time

    data = source.read_bytes()
    step = -(-len(data) // chunks)
    with target.open("wb") as fh:
        for start in range(0, len(data), step):
            fh.write(data[start : start + step])
            fh.flush()
            time.sleep(pause_s)


def copy_tree(source: Path, target: Path) -> Path:
    shutil.copytree(source, target)
    return target
