"""Writes Sam's 12 weeks (2026-09-07 .. 2026-11-29) of watch files and the profile, strength log,
check-ins and manifest beside them. Deterministic: fixed seeds, no clock; same bytes every run.

    python sample_data/generate.py [--out DIR]     # default: this directory
"""

from __future__ import annotations

import argparse
import json
import sys
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from pathlib import Path
from zoneinfo import ZoneInfo

import numpy as np

sys.path.insert(0, str(Path(__file__).resolve().parent))

from athlete_json import checkins, profile, strength_log
from fit_writer import BARO_THRESHOLD_M, FitMeta, encode_fit
from gpx_writer import GpxMeta, encode_gpx
from simulate import simulate
from synth import Plan, hysteresis_totals

SEED = 20260907
TZ = ZoneInfo("Europe/Zurich")
FIRST_MONDAY = date(2026, 9, 7)
HOME = (47.3700, 8.5400, 430.0)  # Zurich
GUMEN = (46.9405, 8.9995, 1900.0)  # top station above Braunwald, start of the alpine traverse
DAYS = ("mon", "tue", "wed", "thu", "fri", "sat", "sun")
SLUG = {"easy": "easy-run", "recovery": "recovery-run", "long": "long-run", "hike": "hike"}
SLUG |= {"intervals": "intervals", "hills": "hill-repeats", "treadmill": "treadmill-intervals"}


@dataclass(frozen=True)
class Entry:
    week: int
    day: str
    kind: str
    km: float
    ascent: float
    fmt: str  # fit, gpx, pair (a FIT file plus its Garmin Connect GPX export)
    at: str  # local start time
    reps: int = 0
    descent: float | None = None
    origin: tuple[float, float, float] = HOME
    note: str = ""


def _week(n: int, *rows: tuple) -> list[Entry]:
    return [Entry(n, *row) for row in rows]


SCHEDULE = [
    *_week(
        1,
        ("tue", "intervals", 10.5, 40, "fit", "18:15", 4),
        ("wed", "easy", 8, 120, "gpx", "06:45"),
        ("thu", "easy", 10, 250, "fit", "18:30"),
        ("sat", "long", 18, 700, "fit", "08:30"),
        ("sun", "recovery", 7, 90, "gpx", "09:30"),
    ),
    *_week(
        2,
        ("tue", "hills", 11, 350, "fit", "18:15", 8),
        ("wed", "easy", 8, 130, "fit", "06:45"),
        ("fri", "easy", 9, 200, "gpx", "18:00"),
        ("sat", "long", 20, 850, "gpx", "08:00"),
        ("sun", "recovery", 8, 100, "fit", "10:00"),
    ),
    *_week(
        3,
        ("mon", "easy", 8, 150, "gpx", "18:30"),
        ("wed", "intervals", 11, 40, "fit", "18:15", 5),
        ("thu", "easy", 10, 220, "pair", "06:40"),
        ("sat", "long", 22, 1000, "fit", "08:00"),
        ("sun", "hike", 12, 700, "fit", "10:30"),
    ),
    *_week(
        4,
        ("tue", "hills", 9, 260, "fit", "18:15", 6),
        ("thu", "easy", 8, 120, "gpx", "06:45"),
        ("sat", "long", 16, 600, "fit", "08:30"),
        ("sun", "easy", 8, 150, "fit", "10:00"),
    ),
    *_week(
        5,
        ("tue", "intervals", 12.5, 40, "fit", "18:15", 6),
        ("wed", "easy", 9, 180, "gpx", "06:45"),
        ("thu", "easy", 10, 250, "fit", "18:30"),
        ("sat", "easy", 8, 120, "gpx", "09:00"),
        ("sun", "long", 24, 1100, "fit", "08:00"),
    ),
    *_week(
        6,
        ("mon", "recovery", 7, 80, "fit", "18:30"),
        ("tue", "hills", 12, 420, "fit", "18:15", 10),
        ("wed", "easy", 9, 180, "gpx", "06:45"),
        ("thu", "easy", 10, 260, "fit", "18:30"),
        ("sat", "long", 25, 1200, "gpx", "08:00"),
        ("sun", "recovery", 8, 100, "fit", "10:00"),
    ),
    *_week(
        7,
        ("tue", "easy", 8, 150, "fit", "06:45"),
        ("wed", "intervals", 13, 40, "fit", "18:15", 6),
        ("thu", "easy", 10, 240, "gpx", "18:30"),
        ("fri", "easy", 8, 120, "fit", "06:45"),
        ("sat", "long", 26, 1050, "fit", "08:00"),
        ("sun", "hike", 14, 800, "gpx", "10:00"),
    ),
    *_week(
        8,
        ("tue", "hills", 11, 380, "fit", "18:00", 8),
        ("wed", "easy", 9, 150, "gpx", "06:45"),
        ("thu", "easy", 8, 150, "fit", "18:00"),
        ("sat", "long", 28, 900, "fit", "08:00", 0, 2300, GUMEN, "alpine traverse, novel descent"),
        ("sun", "recovery", 6, 60, "fit", "10:30"),
    ),
    # From week 9 on, Sam's club moves its long run to Sunday and its intervals to Thursday: a
    # permanent change the planner has to pick up from the files (weeks 9-12 all agree).
    *_week(
        9,
        ("tue", "easy", 8, 120, "gpx", "06:45"),
        ("wed", "easy", 9, 200, "fit", "18:00"),
        ("thu", "intervals", 10, 40, "fit", "18:00", 4),
        ("sat", "easy", 10, 250, "gpx", "09:30"),
        ("sun", "long", 27, 1300, "fit", "08:00"),
    ),
    *_week(
        10,
        ("mon", "easy", 8, 120, "gpx", "18:00"),
        ("tue", "easy", 10, 230, "fit", "06:45"),
        ("thu", "treadmill", 11, 0, "fit", "18:30", 5),
        ("sat", "hike", 10, 500, "fit", "11:00"),
        ("sun", "long", 30, 1500, "fit", "07:45"),
    ),
    *_week(
        11,
        ("tue", "easy", 9, 180, "gpx", "06:45"),
        ("wed", "easy", 8, 120, "fit", "18:00"),
        ("thu", "hills", 11, 400, "fit", "18:00", 8),
        ("sat", "recovery", 8, 100, "fit", "10:00"),
        ("sun", "long", 24, 1100, "gpx", "08:30"),
    ),
    *_week(
        12,
        ("tue", "easy", 8, 130, "gpx", "06:45"),
        ("wed", "easy", 9, 200, "fit", "18:00"),
        ("thu", "intervals", 10, 40, "fit", "18:00", 4),
        ("sat", "easy", 10, 250, "gpx", "10:00"),
        ("sun", "long", 20, 900, "fit", "08:30"),
    ),
]


def day_of(e: Entry) -> date:
    return FIRST_MONDAY + timedelta(weeks=e.week - 1, days=DAYS.index(e.day))


def plan_of(e: Entry) -> Plan:
    slow = e.kind in ("long", "hike")
    if slow or e.fmt == "gpx":
        steps: tuple[int, ...] = (3, 4, 5)  # smart recording
    elif e.kind in ("intervals", "treadmill"):
        steps = (1,)  # 1 s recording for sessions
    else:
        steps = (1, 2, 3) if e.kind == "hills" else (1, 2, 3, 4, 5)
    descent = e.ascent if e.descent is None else e.descent
    p2p = e.descent is not None
    return Plan(e.kind, e.km, e.ascent, descent, e.origin, p2p, e.reps, steps, 300 if slow else 0)


def sport_of(e: Entry) -> tuple[str, str]:
    if e.kind == "hike":
        return "hiking", "generic"
    if e.kind == "treadmill":
        return "running", "treadmill"
    return "running", "trail" if e.kind in ("long", "hills") or e.ascent >= 200 else "generic"


def write_activity(i: int, e: Entry, out: Path) -> list[dict]:
    rng = np.random.default_rng([SEED, i])
    day = day_of(e)
    hh, mm = map(int, e.at.split(":"))
    local = datetime(day.year, day.month, day.day, hh, mm, int(rng.integers(0, 60)), tzinfo=TZ)
    start, offset = int(local.timestamp()), int(local.utcoffset().total_seconds())  # type: ignore[union-attr]
    st = simulate(plan_of(e), rng)
    sport, sub = sport_of(e)
    stem = f"{day.isoformat()}-{SLUG[e.kind]}"
    base = {
        "date": day.isoformat(),
        "week": e.week,
        "weekday": day.strftime("%A").lower(),
        "kind": e.kind,
        "sport": sport,
        "sub_sport": sub,
        "start_utc": start,
        "utc_offset_s": offset,
        "distance_m": float(st.dist[-1]),
        "elapsed_s": int(st.t[-1]),
        "moving_s": int(st.t[-1]) - (st.pause[1] - st.pause[0] if st.pause else 0),
        "points": int(st.t.size),
        "avg_hr": round(float(st.hr.mean()), 1),
        "max_hr": int(st.hr.max()),
        "planned_ascent_m": e.ascent,
        "planned_descent_m": e.ascent if e.descent is None else e.descent,
        "note": e.note,
    }
    if st.alt_true is not None:
        up, down = hysteresis_totals(st.alt_true, 0.5)
        base |= {"true_ascent_m": round(up), "true_descent_m": round(down)}
    rows = []
    if e.fmt in ("fit", "pair"):
        cadence = 55 if e.kind == "hike" else 86
        data = encode_fit(st, FitMeta(start, offset, sport, sub, cadence))
        (out / f"{stem}.fit").write_bytes(data)
        assert st.alt_baro is not None or e.kind == "treadmill"
        dev = {}
        if st.alt_baro is not None:
            up, down = hysteresis_totals(st.alt_baro, BARO_THRESHOLD_M)
            dev = {"device_ascent_m": round(up), "device_descent_m": round(down)}
        rows.append({"file": f"{stem}.fit", "format": "fit", **base, **dev, "duplicate_of": None})
    if e.fmt == "gpx":
        kind = "hiking" if e.kind == "hike" else "running"
        meta = GpxMeta(start, f"{e.kind.title()} {day.isoformat()}", kind, "StravaGPX Android")
        rows.append({"file": f"{stem}.gpx", "format": "gpx", **base, "duplicate_of": None})
        (out / f"{stem}.gpx").write_text(encode_gpx(st, meta), encoding="utf-8", newline="\n")
    if e.fmt == "pair":
        meta = GpxMeta(
            start,
            "Zurich Trail Running",
            "trail_running",
            "Garmin Connect",
            "ns3",
            barometric=True,
            skip_first=2,
        )
        name = f"{stem}-connect-export.gpx"
        (out / name).write_text(encode_gpx(st, meta), encoding="utf-8", newline="\n")
        rows.append(
            {
                "file": name,
                "format": "gpx",
                **base,
                "start_utc": start + int(st.t[2]),
                "duplicate_of": f"{stem}.fit",
                "note": "Garmin Connect export of the FIT file",
            }
        )
    return rows


def dump(path: Path, obj: object) -> None:
    path.write_text(json.dumps(obj, indent=2, ensure_ascii=False) + "\n", encoding="utf-8")


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--out", type=Path, default=Path(__file__).resolve().parent)
    out = parser.parse_args(argv).out
    files = out / "athlete"
    files.mkdir(parents=True, exist_ok=True)
    for old in [*files.glob("*.fit"), *files.glob("*.gpx")]:
        old.unlink()
    rows = [row for i, e in enumerate(SCHEDULE) for row in write_activity(i, e, files)]
    dump(out / "manifest.json", {"athlete": "Sam", "activities": rows})
    dump(out / "profile.json", profile())
    dump(out / "strength_log.json", {"entries": strength_log(FIRST_MONDAY)})
    dump(out / "checkins.json", {"entries": checkins(FIRST_MONDAY, SEED)})
    print(f"wrote {len(rows)} files to {files}")


if __name__ == "__main__":
    main()
