"""TCX decoding: legday's stdlib decoder against a bare ElementTree parse of the same bytes, and
against the maintained TCX libraries when they are installed (they are not legday dependencies).

    python benchmarks/tcx_decode.py [CORPUS_DIR]

For each file in ``CORPUS_DIR/tcx``: the best of 5 runs of ``ElementTree.fromstring`` (the floor any
stdlib reader pays: expat building the tree), of ``decode_tcx`` (bytes -> Track, frame included),
and, when importable, of ``tcxreader`` (MIT, stdlib ElementTree) and ``python-tcxparser`` (BSD,
lxml) reading the points; what each library makes of the file (points, or why it failed). Prints
the totals and the ratios against the ElementTree floor.
"""

from __future__ import annotations

import sys
import time
import xml.etree.ElementTree as ElementTree
from collections.abc import Callable
from pathlib import Path
from typing import Any

from ingest.decode.tcx import decode_tcx, strip_leading_space

ROOT = Path(__file__).resolve().parent.parent
DEFAULT_CORPUS = ROOT.parent / "shared" / "corpus"
RUNS = 5


def best_ms(run: Callable[[], Any]) -> float:
    best = float("inf")
    for _ in range(RUNS):
        started = time.perf_counter()
        run()
        best = min(best, time.perf_counter() - started)
    return best * 1000


def libraries() -> dict[str, Callable[[Path], int]]:
    """The TCX libraries importable here: name -> (path -> trackpoints read)."""
    found: dict[str, Callable[[Path], int]] = {}
    try:
        from tcxreader.tcxreader import TCXReader

        found["tcxreader"] = lambda path: len(TCXReader().read(str(path)).trackpoints)
    except ImportError:
        pass
    try:
        import tcxparser

        found["tcxparser"] = lambda path: len(tcxparser.TCXParser(str(path)).time_values())
    except ImportError:
        pass
    return found


def attempt(read: Callable[[], Any]) -> tuple[Any, str | None]:
    try:
        return read(), None
    except Exception as error:  # a library's failure is a result here
        return None, f"{type(error).__name__}: {str(error)[:50]}"


def main(argv: list[str]) -> int:
    corpus = Path(argv[1]) if len(argv) > 1 else DEFAULT_CORPUS
    libs = libraries()
    totals = {"ElementTree": 0.0, "legday": 0.0, **dict.fromkeys(libs, 0.0)}
    failures = dict.fromkeys(["legday", *libs], 0)
    print(f"{'file':44} {'ET ms':>6} " + " ".join(f"{n:>30}" for n in ["legday", *libs]))
    for path in sorted((corpus / "tcx").glob("*.tcx")):
        data = path.read_bytes()
        floor = best_ms(lambda data=data: ElementTree.fromstring(strip_leading_space(data)))
        totals["ElementTree"] += floor
        track, error = attempt(lambda data=data: decode_tcx(data))
        ours_ms = best_ms(lambda data=data: attempt(lambda: decode_tcx(data)))
        course = "course" in path.name  # a planned route: refusing it is the right answer
        cells = [f"{ours_ms:6.1f} ms " + (f"{len(track.frame)} pts" if track else "refused")]
        failures["legday"] += error is not None and not course
        totals["legday"] += ours_ms
        for name, read in libs.items():
            points, failure = attempt(lambda read=read, path=path: read(path))
            lib_ms = best_ms(lambda read=read, path=path: attempt(lambda: read(path)))
            totals[name] += lib_ms
            failures[name] += (failure is not None or not points) and not course
            cells.append(f"{lib_ms:6.1f} ms " + (failure or f"{points} pts"))
        print(f"{path.name[:44]:44} {floor:6.1f} " + " ".join(f"{c[:30]:>30}" for c in cells))
    print()
    for name, total in totals.items():
        ratio = total / totals["ElementTree"]
        failed = f", {failures[name]} activity files unread" if name in failures else ""
        print(f"{name:12} {total:8.1f} ms  {ratio:5.2f}x the ElementTree parse{failed}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main(sys.argv))
