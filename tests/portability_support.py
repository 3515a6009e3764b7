"""The sample athlete (the first weeks of it) in a store, and what "the same plans" means: every
week's WeekPlan, as of each day of the history, equal field for field."""

from __future__ import annotations

import io
import json
from datetime import UTC, date, datetime, timedelta
from pathlib import Path
from typing import Any

from rich.console import Console

from api.cli.demo import load_logs
from api.cli.main import main
from api.plans import athlete_plan
from api.settings import Settings
from ingest.pipeline import parse_activity
from ingest.store import AthleteRecord, Store
from tests.conftest import SAMPLE_DATA

NOW = datetime(2026, 11, 28, 9, 0, tzinfo=UTC)
UNTIL = date(2026, 10, 5)  # four weeks: 20 files, among them a FIT/GPX pair of one run
WEEKS = [date(2026, 9, 7) + timedelta(days=7 * n) for n in range(6)]


def sample_files(until: date = UNTIL) -> list[Path]:
    files = sorted((SAMPLE_DATA / "athlete").iterdir())
    return [p for p in files if date.fromisoformat(p.name[:10]) <= until]


def add_sam(store: Store, *, until: date = UNTIL) -> AthleteRecord:
    """Sam with his profile, the files up to ``until``, his strength log and check-ins."""
    profile = json.loads((SAMPLE_DATA / "profile.json").read_text(encoding="utf-8"))
    name = profile.pop("name")
    athlete, _ = store.create_athlete(name, **profile)
    for path in sample_files(until):
        store.add_activity(
            athlete.id, parse_activity(path.read_bytes(), path.name, athlete.metrics_profile())
        )
    load_logs(store, athlete, SAMPLE_DATA)
    return athlete


def plans(store: Store, name: str) -> list[dict[str, Any]]:
    athlete = store.athlete_by_name(name)
    assert athlete is not None
    return [athlete_plan(store, athlete, week, week).to_dict() for week in WEEKS]


def activities(store: Store, name: str) -> list[dict[str, Any]]:
    """The athlete's activity summaries without this install's ids."""
    athlete = store.athlete_by_name(name)
    assert athlete is not None
    rows = []
    for a in store.list_activities(athlete.id):
        d = a.to_dict()
        d["duplicate_of"] = d["duplicate_of"] is not None
        d.pop("id")
        rows.append(d)
    return rows


def logs(store: Store, name: str) -> tuple[list[Any], list[Any]]:
    athlete = store.athlete_by_name(name)
    assert athlete is not None
    strength = [(e.date, e.exercise, e.sets) for e in store.list_strength(athlete.id)]
    checkins = [
        (c.date, c.sleep_hours, c.soreness, c.note) for c in store.list_checkins(athlete.id)
    ]
    return strength, checkins


def legday(settings: Settings, *argv: str) -> tuple[int, str]:
    out = io.StringIO()
    console = Console(file=out, width=250, color_system=None)
    code = main(list(argv), settings=settings, console=console, clock=lambda: NOW)
    return code, out.getvalue()
