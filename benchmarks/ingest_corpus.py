"""Ingest the real corpus (../shared/corpus: fit/, gpx/, broken/) into a fresh data directory with
``legday ingest`` and time it, next to a fitparse-only decode of the corpus FIT files (same run).

    python benchmarks/ingest_corpus.py [--corpus DIR] [--workers N] [--json OUT]

Prints one row per stage (files, MB, seconds, files/s, MB/s) and the per-file outcome of the ingest.
"""

from __future__ import annotations

import argparse
import io
import json
import os
import tempfile
import time
import warnings
from pathlib import Path
from typing import Any

from rich.console import Console
from rich.table import Table

ROOT = Path(__file__).resolve().parent.parent
CORPUS = Path(os.environ.get("LEGDAY_CORPUS", ROOT.parent / "shared" / "corpus"))
FOLDERS = ("fit", "gpx", "broken")


def corpus_files(corpus: Path) -> list[Path]:
    return sorted(p for folder in FOLDERS for p in (corpus / folder).glob("*") if p.is_file())


def fitparse_decode(files: list[Path]) -> dict[str, Any]:
    """Every record of every FIT file through fitparse alone (no metrics, no store)."""
    import fitparse

    ok = failed = 0
    started = time.perf_counter()
    for path in files:
        try:
            with warnings.catch_warnings():
                warnings.simplefilter("ignore")
                list(fitparse.FitFile(str(path)).get_messages())
            ok += 1
        except Exception:
            failed += 1
    seconds = time.perf_counter() - started
    return _stage("fitparse decode only (FIT files)", files, seconds, ok=ok, failed=failed)


def legday_ingest(files: list[Path], corpus: Path, workers: int | None) -> dict[str, Any]:
    """``legday ingest`` of the corpus folders into a fresh data directory."""
    from api.cli.main import main
    from api.settings import Settings

    with tempfile.TemporaryDirectory() as tmp:
        settings = Settings(data_dir=Path(tmp) / "data")
        quiet = Console(file=io.StringIO(), width=250)
        main(["athletes", "create", "bench"], settings=settings, console=quiet)
        out = io.StringIO()
        argv = ["ingest", *(str(corpus / f) for f in FOLDERS), "--athlete", "bench"]
        if workers is not None:
            argv += ["--workers", str(workers)]
        started = time.perf_counter()
        code = main(argv, settings=settings, console=Console(file=out, width=250))
        seconds = time.perf_counter() - started
    stage = _stage(f"legday ingest (workers={workers})", files, seconds, exit_code=code)
    stage["output"] = out.getvalue()
    return stage


def _stage(name: str, files: list[Path], seconds: float, **extra: Any) -> dict[str, Any]:
    mb = sum(p.stat().st_size for p in files) / 1e6
    return {
        "stage": name,
        "files": len(files),
        "mb": round(mb, 2),
        "seconds": round(seconds, 2),
        "files_per_s": round(len(files) / seconds, 1) if seconds else None,
        "mb_per_s": round(mb / seconds, 2) if seconds else None,
        **extra,
    }


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0] if __doc__ else None)
    parser.add_argument("--corpus", type=Path, default=CORPUS)
    parser.add_argument("--workers", type=int, default=None)
    parser.add_argument("--json", type=Path, help="also write the figures here")
    args = parser.parse_args(argv)
    files = corpus_files(args.corpus)
    fit_files = [p for p in files if p.parent.name == "fit"]
    stages = [
        fitparse_decode(fit_files),
        legday_ingest(files, args.corpus, workers=0),
        legday_ingest(files, args.corpus, workers=args.workers),
    ]
    console = Console()
    table = Table("stage", "files", "MB", "s", "files/s", "MB/s", "notes", title="corpus ingest")
    for s in stages:
        notes = ", ".join(f"{k}={s[k]}" for k in ("ok", "failed", "exit_code") if k in s)
        table.add_row(
            s["stage"],
            str(s["files"]),
            f"{s['mb']:.2f}",
            f"{s['seconds']:.2f}",
            str(s["files_per_s"]),
            str(s["mb_per_s"]),
            notes,
        )
    console.file.write(stages[-1]["output"])
    console.print(table)
    if args.json:
        figures = [{k: v for k, v in s.items() if k != "output"} for s in stages]
        args.json.write_text(json.dumps(figures, indent=2) + "\n", encoding="utf-8")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
