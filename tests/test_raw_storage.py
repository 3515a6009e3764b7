"""Issue 14, finding 5: raw files are stored compressed (identity: the SHA-256 of the inflated
bytes; files stored before still read), each athlete has a storage quota (a JSON 507), and a
file that is mostly not activity data (megabytes of comments behind a few points) is refused
with that reason. On SQLite and PostgreSQL."""

from __future__ import annotations

import gzip
import hashlib
import shutil
from collections.abc import Iterator
from datetime import timedelta
from pathlib import Path

import pytest
from fastapi.testclient import TestClient

from ingest.store import Store
from ingest.sync.job import run_sync, sync_status
from tests.api_support import NOW, api_client, gpx_run, gzipped, new_athlete, settings_for
from tests.store_fixtures import START, make_parsed, postgres_schema
from tests.sync_fixtures import sample_files

BACKENDS = ["sqlite", pytest.param("postgresql", marks=pytest.mark.postgres)]
MiB = 1024 * 1024


@pytest.fixture(params=BACKENDS)
def database_url(request: pytest.FixtureRequest) -> Iterator[str]:
    if request.param == "sqlite":
        yield ""
        return
    with postgres_schema(request.getfixturevalue("postgres_url")) as url:
        yield url


def client_with(tmp_path: Path, database_url: str, **settings: object) -> TestClient:
    return api_client(settings_for(tmp_path / "data", database_url, **settings), NOW)  # type: ignore[return-value]


def store_of(client: TestClient) -> Store:
    store: Store = client.app.state.store  # type: ignore[attr-defined]
    return store


def padded_gpx(comment_bytes: int) -> bytes:
    """A real 3 km run with ``comment_bytes`` of XML comments before the track."""
    run = gpx_run(START, km=3.0)
    head, _, tail = run.partition(b"<trk>")
    comment = b"<!--" + b"x" * (comment_bytes - 7) + b"-->"
    return head + comment + b"<trk>" + tail


def test_a_raw_file_is_stored_compressed_and_read_back_as_it_was_uploaded(
    tmp_path: Path, database_url: str
) -> None:
    data = gpx_run(START, km=60.0)  # ~1.7 MB of GPX
    with client_with(tmp_path, database_url) as client:
        ana_id, ana = new_athlete(client, "Ana")
        upload = {"file": ("long.gpx.gz", gzipped(data))}
        r = client.post("/v1/activities", files=upload, headers=ana)
        assert r.status_code == 201, r.text
        store = store_of(client)
        on_disk = store.blobs.path_for(r.json()["sha256"]).stat().st_size
        assert r.json()["sha256"] == hashlib.sha256(data).hexdigest()  # the inflated bytes' hash
        assert store.raw_file(ana_id, r.json()["id"]) == data
    print(f"{len(data) / 1024:.0f} KiB GPX stored as {on_disk / 1024:.0f} KiB")
    assert on_disk * 8 < len(data)


def test_a_raw_file_stored_uncompressed_before_still_reads_reprocesses_and_deletes(
    tmp_path: Path, database_url: str
) -> None:
    store = Store(database_url or None, tmp_path / "data")
    store.upgrade()
    athlete = store.create_athlete("ana")[0].id
    fit = sample_files(".fit")[0].read_bytes()
    from ingest.pipeline import parse_activity

    parsed = parse_activity(fit, "old.fit", store.get_athlete(athlete).metrics_profile())  # type: ignore[union-attr]
    activity = store.add_activity(athlete, parsed).activity_id
    path = store.blobs.path_for(parsed.sha256)
    path.write_bytes(fit)  # as every raw file was written before: the inflated bytes
    assert store.raw_file(athlete, activity) == fit
    assert store.reprocess().updated == 1
    assert store.delete_activity(athlete, activity) and not path.exists()
    store.dispose()


def test_an_upload_past_the_athletes_quota_is_a_json_507_and_stores_nothing(
    tmp_path: Path, database_url: str
) -> None:
    with client_with(tmp_path, database_url, storage_quota_mb=0.1) as client:
        _, ana = new_athlete(client, "Ana")
        _, bo = new_athlete(client, "Bo")
        answers = []
        for week in range(12):
            data = gpx_run(START + timedelta(weeks=week), km=12.0)
            files = {"file": (f"w{week}.gpx", data)}
            answers.append(client.post("/v1/activities", files=files, headers=ana))
        statuses = [a.status_code for a in answers]
        assert 201 in statuses and statuses[-1] == 507, statuses
        refused = answers[statuses.index(507)]
        assert refused.headers["content-type"].startswith("application/json")
        assert "storage quota exceeded" in refused.json()["detail"]
        kept = store_of(client).list_activities(1)
        assert len(kept) == statuses.count(201)
        assert sum(store_of(client).blobs.stored_size(a.sha256) for a in kept) <= 0.1 * MiB
        other = client.post(
            "/v1/activities", files={"file": ("b.gpx", gpx_run(START, km=5))}, headers=bo
        )
        assert other.status_code == 201  # one athlete's quota is theirs alone


def test_a_sync_file_past_the_quota_fails_with_the_reason_and_is_read_again_later(
    tmp_path: Path, database_url: str
) -> None:
    store = Store(database_url or None, tmp_path / "data", quota_bytes=1)
    store.upgrade()
    athlete = store.create_athlete("ana")[0].id
    folder = tmp_path / "watch"
    folder.mkdir()
    shutil.copy(sample_files(".fit")[0], folder / "a.fit")
    report = run_sync(store, folder, athlete, settle_s=0)
    assert (report.ingested, report.failed) == (0, 1)
    reason = sync_status(store, athlete)["folders"][0]["failures"][0]["reason"]
    assert "storage quota exceeded" in reason
    store.quota_bytes = None  # the admin raised it
    assert run_sync(store, folder, athlete, settle_s=0).ingested == 1
    store.dispose()


def test_a_small_gzip_of_megabytes_of_comments_is_refused_as_mostly_not_activity_data(
    tmp_path: Path, database_url: str
) -> None:
    padded = padded_gpx(24 * MiB)
    upload = gzip.compress(padded, compresslevel=9, mtime=0)
    with client_with(tmp_path, database_url) as client:
        _, ana = new_athlete(client, "Ana")
        r = client.post("/v1/activities", files={"file": ("bomb.gpx.gz", upload)}, headers=ana)
        assert r.status_code == 422, r.text
        assert "mostly not activity data" in r.json()["detail"]
        assert store_of(client).list_activities(1) == []
        blobs = store_of(client).blobs.root
        assert not blobs.exists() or not [p for p in blobs.rglob("*") if p.is_file()]
    print(f"{len(upload) / 1024:.0f} KiB .gpx.gz inflating to {len(padded) / MiB:.0f} MiB refused")


def test_a_store_without_quota_keeps_counting_what_each_activity_takes(
    tmp_path: Path, database_url: str
) -> None:
    store = Store(database_url or None, tmp_path / "data")
    store.upgrade()
    athlete = store.create_athlete("ana")[0].id
    store.add_activity(athlete, make_parsed(content=b"x" * 10000))
    store.quota_bytes = 50
    with pytest.raises(Exception, match="storage quota exceeded"):
        store.add_activity(athlete, make_parsed(start=START + timedelta(days=1)))
    store.dispose()
