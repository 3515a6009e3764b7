"""A database made by the first build of legday (schema 0004: ``legday demo`` run by the code of the
first landing, the sample athlete's 62 files, strength log and check-ins) upgrades to the current
schema and serves the same plans as a fresh database holding the same data.

The fixture is that database file as the first build left it (``tests/data``, gzipped); its raw
files are the sample files themselves, put back content-addressed as any install stores them."""

from __future__ import annotations

import gzip
import io
from datetime import date, timedelta
from pathlib import Path

import pytest
from rich.console import Console

from api.cli.main import main
from api.plans import athlete_plan
from api.settings import Settings
from ingest.measure.summary import MetricsProfile
from ingest.pipeline import parse_activity
from ingest.store import Store
from tests.conftest import SAMPLE_DATA

FIXTURE = Path(__file__).parent / "data" / "legday-first-build.db.gz"
FIRST_BUILD_ACTIVITIES = 62  # 61 runs and hikes plus one FIT/GPX cross-source duplicate
HISTORY_END = date(2026, 11, 29)  # the sample history's last day (a Sunday)


def first_build_install(data_dir: Path) -> Store:
    data_dir.mkdir(parents=True)
    (data_dir / "legday.db").write_bytes(gzip.decompress(FIXTURE.read_bytes()))
    store = Store(None, data_dir)  # not read before the upgrade: its tables are the old ones
    for path in sorted((SAMPLE_DATA / "athlete").iterdir()):
        parsed = parse_activity(path.read_bytes(), path.name, MetricsProfile())  # content only
        store.blobs.put(parsed.content, parsed.sha256)
    return store


def fresh_install(data_dir: Path) -> Store:
    out = Console(file=io.StringIO(), width=120)
    code = main(["demo", "--workers", "0"], settings=Settings(data_dir=data_dir), console=out)
    assert code == 0, out.file.getvalue()  # type: ignore[attr-defined]
    return Store(None, data_dir)


@pytest.mark.slow
def test_a_first_build_database_upgrades_and_plans_like_a_fresh_one(tmp_path: Path) -> None:
    old = first_build_install(tmp_path / "old")
    old.upgrade()
    report = old.reprocess(only_stale=True)  # only what a newer parser would read differently
    assert report.failed == 0 and report.missing_blob == 0
    new = fresh_install(tmp_path / "new")
    try:
        (sam_old,) = old.list_athletes()
        (sam_new,) = new.list_athletes()
        assert len(old.list_activities(sam_old.id)) == FIRST_BUILD_ACTIVITIES
        assert len(old.list_activities(sam_old.id)) == len(new.list_activities(sam_new.id))
        assert len(old.list_strength(sam_old.id)) == len(new.list_strength(sam_new.id))
        assert len(old.list_checkins(sam_old.id)) == len(new.list_checkins(sam_new.id))
        weeks = [HISTORY_END - timedelta(weeks=w) for w in (10, 6, 3, 1, 0, -1, -2)]
        for week in weeks:
            as_of = min(week, HISTORY_END + timedelta(days=1))
            before = athlete_plan(old, sam_old, week, as_of).to_dict()
            after = athlete_plan(new, sam_new, week, as_of).to_dict()
            assert before == after, f"the plans of the week of {week} differ"
    finally:
        old.dispose()
        new.dispose()
