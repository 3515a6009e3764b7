"""The per-week table of the manifest, as Markdown (what sample_data/README.md shows)."""

from __future__ import annotations

import json
import sys
from datetime import date, timedelta
from pathlib import Path

FIRST_MONDAY = date(2026, 9, 7)


def weekly_table(rows: list[dict]) -> str:
    lines = [
        "| week | monday | runs | hikes | km | ascent m | descent m | long run | notable |",
        "|---|---|---|---|---|---|---|---|---|",
    ]
    unique = [r for r in rows if r["duplicate_of"] is None]
    for week in range(1, 13):
        acts = [r for r in unique if r["week"] == week]
        runs = [r for r in acts if r["sport"] == "running"]
        hikes = [r for r in acts if r["sport"] == "hiking"]
        km = sum(r["distance_m"] for r in acts) / 1000
        up = sum(r.get("device_ascent_m", r.get("true_ascent_m")) or 0 for r in acts)
        down = sum(r.get("device_descent_m", r.get("true_descent_m")) or 0 for r in acts)
        long = max(runs, key=lambda r: r["distance_m"])
        notable = sorted({r["kind"] for r in acts} & {"intervals", "hills", "treadmill"})
        notable += [f"{r['file']} ({r['note'] or 'duplicate'})" for r in rows
                    if r["week"] == week and (r["note"] or r["duplicate_of"])]  # fmt: skip
        monday = FIRST_MONDAY + timedelta(weeks=week - 1)
        lines.append(
            f"| {week} | {monday} | {len(runs)} | {len(hikes)} | {km:.1f} | {up:.0f}"
            f" | {down:.0f} | {long['weekday']} {long['distance_m'] / 1000:.0f} km,"
            f" D− {long.get('device_descent_m', long.get('true_descent_m'))} m"
            f" | {', '.join(notable)} |"
        )
    return "\n".join(lines)


if __name__ == "__main__":
    manifest = Path(sys.argv[1] if len(sys.argv) > 1 else Path(__file__).parent / "manifest.json")
    print(weekly_table(json.loads(manifest.read_text())["activities"]))
