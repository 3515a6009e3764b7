"""Issue 14, finding 2: every string the store keeps is bounded where it enters, one file the
database refuses fails alone, and no SQL reaches a response or the sync status. PostgreSQL
enforces VARCHAR lengths (SQLite does not), so every test runs on both."""

from __future__ import annotations

import json
import os
import shutil
import zipfile
from collections.abc import Iterator
from dataclasses import replace
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import pytest
from fastapi.testclient import TestClient
from garmin_fit_sdk import Encoder, Profile

from ingest.pipeline import ParsedActivity, parse_activity
from ingest.store import Store
from ingest.store.ledger import MAX_REL_PATH, SyncStore
from ingest.store.text import safe_error
from ingest.sync.job import run_sync, sync_status
from tests.api_support import client_on, new_athlete
from tests.store_fixtures import backend_store
from tests.sync_fixtures import distinct_activities, sample_files

BACKENDS = ["sqlite", pytest.param("postgresql", marks=pytest.mark.postgres)]
T0 = datetime(2019, 6, 1, 7, 0, tzinfo=UTC)  # before every sample activity: no duplicate
SQL_WORDS = ("INSERT", "UPDATE ", "SELECT", "[SQL", "parameters", "Traceback")


def fit_with_product_name(product_name: str, start: datetime = T0) -> bytes:
    """A 10-minute run from a device whose file_id names its product ``product_name``."""
    mesg = Profile["mesg_num"]
    encoder = Encoder()
    encoder.write_mesg(
        {"mesg_num": mesg["FILE_ID"], "type": "activity", "manufacturer": "development",
         "product": 1, "product_name": product_name, "time_created": start}
    )  # fmt: skip
    for i in range(120):
        encoder.write_mesg(
            {"mesg_num": mesg["RECORD"], "timestamp": start + timedelta(seconds=5 * i),
             "distance": 15.0 * i, "altitude": 400.0 + i,
             "position_lat": int((47 + i * 1e-4) / 180 * 2**31),
             "position_long": int(8 / 180 * 2**31)}
        )  # fmt: skip
    return bytes(encoder.close())


@pytest.fixture(params=BACKENDS)
def store(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[Store]:
    with backend_store(request, tmp_path) as s:
        yield s


@pytest.fixture(params=BACKENDS)
def client(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[TestClient]:
    url = request.getfixturevalue("postgres_url") if request.param == "postgresql" else None
    with client_on(request.param, tmp_path, url) as c:
        yield c


def no_sql(value: Any) -> bool:
    text = json.dumps(value)
    return not any(word in text for word in SQL_WORDS)


def test_a_fit_product_name_of_250_characters_is_stored_clipped_not_a_500(
    client: TestClient,
) -> None:
    _, ana = new_athlete(client, "Ana")
    fit = fit_with_product_name("X" * 250)
    r = client.post("/v1/activities", files={"file": ("long.fit", fit)}, headers=ana)
    assert r.status_code == 201, r.text
    device = r.json()["device"]
    assert len(device) == 200 and device.startswith("development XXX") and device.endswith("…")


def test_one_crafted_fit_and_a_2100_character_member_name_fail_alone_and_39_files_ingest(
    store: Store, tmp_path: Path
) -> None:
    """The reported folder: 41 files, one FIT with a 250-character product name and one zip
    whose member is named with 2,100 characters. The run ends "ok", every file has its
    outcome, nothing is left "ingesting", and the status holds no SQL."""
    athlete = store.create_athlete("ana")[0].id
    folder = tmp_path / "watch"
    distinct_activities(folder, 39)
    (folder / "crafted.fit").write_bytes(fit_with_product_name("X" * 250))
    long_name = "activities/" + "a" * 2085 + ".fit"
    with zipfile.ZipFile(folder / "export.zip", "w") as archive:
        archive.writestr(long_name, sample_files(".fit")[0].read_bytes())
    assert len(list(p for p in folder.rglob("*") if p.is_file())) == 41

    report = run_sync(store, folder, athlete, settle_s=0)
    again = run_sync(store, folder, athlete, settle_s=0)

    assert (report.status, report.ingested, report.failed) == ("ok", 40, 1)
    assert (again.status, again.ingested, again.failed, again.opened) == ("ok", 0, 0, 0)
    status = sync_status(store, athlete)
    assert status["last_run"]["status"] == "ok"
    assert status["folders"][0]["counts"]["ingesting"] == 0
    (failure,) = status["folders"][0]["failures"]
    assert failure["path"].startswith("export.zip!activities/aaa") and len(failure["path"]) <= 2048
    assert "2100 characters long" in failure["reason"]
    assert no_sql(status)
    devices = [a.device for a in store.list_activities(athlete) if a.file_name == "crafted.fit"]
    assert devices and len(devices[0] or "") == 200


def test_a_database_error_on_one_file_fails_that_file_and_the_rest_of_the_batch_ingest(
    store: Store, tmp_path: Path
) -> None:
    """A value the database refuses (here a UTC offset past any integer column, through the
    parse seam) is that file's failure with a reason, not the run's end."""
    athlete = store.create_athlete("ana")[0].id
    folder = tmp_path / "watch"
    distinct_activities(folder, 5, gzip_every=99)

    def parse(data: bytes, name: str, *args: Any, **kwargs: Any) -> ParsedActivity:
        parsed = parse_activity(data, name, *args, **kwargs)
        if name == sorted(p.name for p in folder.rglob("*.fit"))[2]:
            return replace(parsed, summary=replace(parsed.summary, utc_offset_s=2**70))
        return parsed

    report = run_sync(store, folder, athlete, settle_s=0, parse=parse, batch_size=16)
    assert (report.status, report.ingested, report.failed) == ("ok", 4, 1)
    (failure,) = sync_status(store, athlete)["folders"][0]["failures"]
    assert failure["reason"].startswith("could not be stored (")
    assert "out of range" in failure["reason"] or "too large" in failure["reason"]  # PG, SQLite
    assert no_sql(sync_status(store, athlete))
    rows = SyncStore(store).ledger(SyncStore(store).folders(athlete)[0].id)
    assert sorted(r.status for r in rows.values()) == ["failed"] + ["ingested"] * 4


def test_a_file_name_that_is_not_utf8_is_ingested_and_does_not_stop_the_folder(
    store: Store, tmp_path: Path
) -> None:
    athlete = store.create_athlete("ana")[0].id
    folder = tmp_path / "watch"
    folder.mkdir()
    fit, other = sample_files(".fit")[:2]
    shutil.copy(fit, folder / "good.fit")
    with open(os.path.join(os.fsencode(folder), b"caf\xe9.fit"), "wb") as fh:  # Latin-1 name
        fh.write(other.read_bytes())
    report = run_sync(store, folder, athlete, settle_s=0)
    assert (report.status, report.ingested, report.failed) == ("ok", 2, 0)
    assert run_sync(store, folder, athlete, settle_s=0).opened == 0  # its ledger row holds
    assert sorted(a.file_name for a in store.list_activities(athlete)) == ["caf.fit", "good.fit"]


def test_a_path_longer_than_the_ledger_keeps_is_a_failure_of_that_file(
    store: Store, tmp_path: Path
) -> None:
    athlete = store.create_athlete("ana")[0].id
    folder = tmp_path / "watch"
    deep = folder
    while len(str(deep.relative_to(folder))) < MAX_REL_PATH:
        deep = deep / ("d" * 200)
    deep.mkdir(parents=True)
    shutil.copy(sample_files(".fit")[0], deep / "run.fit")
    shutil.copy(sample_files(".fit")[1], folder / "ok.fit")
    report = run_sync(store, folder, athlete, settle_s=0)
    assert (report.status, report.ingested, report.failed) == ("ok", 1, 1)
    assert "characters long" in report.failures[0][1]
    assert run_sync(store, folder, athlete, settle_s=0).failed == 0  # recorded: not read again


def test_a_database_error_reason_names_the_cause_without_the_statement(store: Store) -> None:
    from sqlalchemy import text
    from sqlalchemy.exc import SQLAlchemyError

    with pytest.raises(SQLAlchemyError) as caught, store.engine.begin() as conn:
        conn.execute(
            text("INSERT INTO athletes (id, name) VALUES (:id, :name)"),
            {"id": 1, "name": "secret-value"},
        )
    reason = safe_error(caught.value)
    assert reason.startswith("database error") and "null" in reason.lower()
    assert "INSERT" not in reason and "secret-value" not in reason


def test_a_run_that_ends_in_error_keeps_a_reason_without_the_statement_or_its_values(
    store: Store, tmp_path: Path
) -> None:
    """A run-level failure (here a database error raised where the run cannot attribute it to a
    file) is recorded for GET /v1/sync as the cause alone: no INSERT, no parameters."""
    from sqlalchemy.exc import DataError

    athlete = store.create_athlete("ana")[0].id
    folder = tmp_path / "watch"
    distinct_activities(folder, 2, gzip_every=99)

    def parse(*_: Any, **__: Any) -> ParsedActivity:
        raise DataError(
            "INSERT INTO activities (device) VALUES (%(device)s)",
            {"device": "secret-value"},
            Exception("value too long for type character varying(200)"),
        )

    with pytest.raises(DataError):
        run_sync(store, folder, athlete, settle_s=0, parse=parse)
    run = sync_status(store, athlete)["last_run"]
    assert run["status"] == "error"
    cause = "value too long for type character varying(200)"
    assert run["error"] == f"database error, Exception: {cause}"
    assert no_sql(run) and "secret-value" not in json.dumps(run)
