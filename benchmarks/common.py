"""What the benchmarks share: where the files are, a timer, a peak-RSS probe in a fresh process, the
30-hour ultra FIT file, and copies of the sample athlete shifted in time (distinct activities).

Every benchmark prints ratios against a baseline measured in the same run, never a bare time.
"""

from __future__ import annotations

import json
import math
import os
import re
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from datetime import datetime, timedelta
from pathlib import Path
from typing import Any

import numpy as np

ROOT = Path(__file__).resolve().parent.parent
CORPUS = Path(os.environ.get("LEGDAY_CORPUS", ROOT.parent / "shared" / "corpus"))
SAMPLE = ROOT / "sample_data" / "athlete"
SCRATCH = Path(tempfile.gettempdir()) / "legday-bench"  # generated files; never in the repo
FIT_EPOCH_S = 631065600
_TIME_FIELDS = {(0, 4), (18, 2), (19, 2), (34, 5)}  # time_created, start_time x2, local_timestamp


def timed(fn: Callable[[], Any]) -> float:
    started = time.perf_counter()
    fn()
    return time.perf_counter() - started


def ratio(ours: float, baseline: float) -> str:
    return f"{ours / baseline:.2f}x" if baseline else "n/a"


def in_fresh_process(code: str) -> dict[str, Any]:
    """Run ``code`` (which sets ``result``, a dict) in a new interpreter; adds its peak RSS.

    ``code`` can call ``peak_mb()``. Linux: VmHWM of the new process's memory map; getrusage's
    ru_maxrss is not used there because it keeps the parent's peak across fork + exec."""
    wrapper = (
        "import json, resource, time\n"
        "def peak_mb():\n"
        "    try:\n"
        "        for line in open('/proc/self/status'):\n"
        "            if line.startswith('VmHWM:'):\n"
        "                return int(line.split()[1]) / 1024\n"
        "    except OSError:\n"
        "        pass\n"
        "    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024\n"
        f"{code}\n"
        "result['peak_rss_mb'] = peak_mb()\n"
        "print(json.dumps(result))\n"
    )
    out = subprocess.run(
        [sys.executable, "-c", wrapper], cwd=ROOT, capture_output=True, text=True, check=True
    )
    return dict(json.loads(out.stdout.strip().splitlines()[-1]))


def ultra_fit(records: int = 110_000) -> Path:
    """A 1 Hz trail ultra of ``records`` seconds (110,000: about 30.5 hours), written with the
    sample athlete's SDK-Encoder writer; cached in the temp directory."""
    path = SCRATCH / f"ultra-{records}.fit"
    if path.exists():
        return path
    sys.path.insert(0, str(ROOT / "sample_data"))
    from fit_writer import FitMeta, encode_fit  # type: ignore[import-not-found]
    from synth import Streams  # type: ignore[import-not-found]

    rng = np.random.default_rng(30)
    t = np.arange(records, dtype=float)
    speed = 1.6 + 0.3 * np.sin(t / 900) + rng.normal(0, 0.05, records)
    dist = np.concatenate([[0.0], np.cumsum(speed[1:])])
    angle = dist / 20_000 * 2 * np.pi
    lat, lon = 45.9 + 0.05 * np.sin(angle), 6.9 + 0.07 * np.cos(angle)
    alt = 1500 + 800 * np.sin(dist / 7000) + rng.normal(0, 0.3, records)
    hr = (130 + 10 * np.sin(t / 600)).astype(int)
    laps = [(d, min(d + 5000, dist[-1]), "active") for d in np.arange(0, dist[-1], 5000)]
    streams = Streams(t, dist, lat, lon, alt, alt, alt, speed, hr, None, laps)
    data = encode_fit(streams, FitMeta(1_790_000_000, 7200, "running", "trail", 85))
    SCRATCH.mkdir(parents=True, exist_ok=True)
    path.write_bytes(data)
    return path


def shifted_copies(count: int, out: Path, source: Path = SAMPLE) -> list[Path]:
    """``count`` distinct activities: the sample athlete's files again and again, each round
    shifted by 13 more weeks (every time in a FIT file re-written, the CRC recomputed; every
    <time> of a GPX), so each copy has its own bytes, sha256 and start time."""
    files = sorted(p for p in source.iterdir() if p.suffix in {".fit", ".gpx"})
    out.mkdir(parents=True, exist_ok=True)
    written: list[Path] = []
    for n in range(count):
        round_, path = divmod(n, len(files))
        original = files[path]
        delta = round_ * 13 * 7 * 86_400
        data = original.read_bytes()
        data = shift_fit(data, delta) if original.suffix == ".fit" else shift_gpx(data, delta)
        target = out / f"r{round_:03d}-{original.name}"
        target.write_bytes(data)
        written.append(target)
    return written


def shift_fit(data: bytes, seconds: int) -> bytes:
    """Every absolute time in a (single) FIT file moved by ``seconds``; the CRC recomputed."""
    from ingest.decode.fit_crc import crc16

    buf = bytearray(data)
    header, end = buf[0], buf[0] + int.from_bytes(buf[4:8], "little")
    layouts: dict[int, tuple[int, list[tuple[int, str]]]] = {}
    pos = header
    while pos < end:
        head = buf[pos]
        if head & 0x40:
            order = "big" if buf[pos + 2] else "little"
            number = int.from_bytes(buf[pos + 3 : pos + 5], order)
            at, offset, times = pos + 6, 0, []
            for _ in range(buf[pos + 5]):
                field, size = buf[at], buf[at + 1]
                if size == 4 and (field == 253 or (number, field) in _TIME_FIELDS):
                    times.append((offset, order))
                offset, at = offset + size, at + 3
            if head & 0x20:
                offset += sum(buf[at + 2 + 3 * i] for i in range(buf[at]))
                at += 1 + 3 * buf[at]
            layouts[head & 0x0F] = (offset, times)
            pos = at
            continue
        size, times = layouts[head & 0x0F]
        for offset, order in times:
            at = pos + 1 + offset
            value = int.from_bytes(buf[at : at + 4], order)  # type: ignore[arg-type]
            if 0x10000000 <= value < 0xFFFFFFFF:
                buf[at : at + 4] = (value + seconds).to_bytes(4, order)  # type: ignore[arg-type]
        pos += 1 + size
    buf[end : end + 2] = crc16(bytes(buf[:end])).to_bytes(2, "little")
    return bytes(buf)


_GPX_TIME = re.compile(rb"<time>([^<]+)</time>")


def shift_gpx(data: bytes, seconds: int) -> bytes:
    def move(match: re.Match[bytes]) -> bytes:
        text = match.group(1).decode()
        when = datetime.fromisoformat(text.replace("Z", "+00:00")) + timedelta(seconds=seconds)
        stamp = when.isoformat().replace("+00:00", "Z")
        return b"<time>" + stamp.encode() + b"</time>"

    return _GPX_TIME.sub(move, data)


@contextmanager
def store_in(tmp: Path, athlete: str = "bench") -> Iterator[tuple[Any, int]]:
    """A fresh SQLite store with one athlete: (store, athlete id)."""
    from ingest.store import Store

    store = Store(None, tmp)
    store.upgrade()
    try:
        record, _ = store.create_athlete(athlete, timezone="Europe/Zurich")
        yield store, record.id
    finally:
        store.dispose()


def mb(paths: list[Path]) -> float:
    return sum(p.stat().st_size for p in paths) / 1e6


def per_s(count: float, seconds: float) -> float:
    return count / seconds if seconds > 0 else math.nan
