"""Raw files are stored gzip-compressed (issue 14, finding 5), and every reader that opens them
again gets the file as it was uploaded: the activity page's track (issue 15), the recompute
after a profile change (issue 13), ``legday export`` (the archive holds the files as uploaded)
and ``legday backup`` (restored by copying, a working install) — issue 16."""

from __future__ import annotations

import hashlib
import shutil
import zipfile
from pathlib import Path

from fastapi.testclient import TestClient

from api.portability.backup import backup
from api.portability.export import export_athlete
from ingest.store import Store
from ingest.store.blobs import GZIP_MAGIC, BlobStore
from tests.api_support import NOW, api_client, new_athlete, settings_for
from tests.sync_fixtures import sample_files


def store_of(client: TestClient) -> Store:
    store: Store = client.app.state.store  # type: ignore[attr-defined]
    return store


def test_every_reader_of_a_compressed_raw_file_gets_the_file_as_uploaded(tmp_path: Path) -> None:
    fit = sample_files(".fit")[0]
    data = fit.read_bytes()
    sha = hashlib.sha256(data).hexdigest()
    with api_client(settings_for(tmp_path / "live"), NOW) as client:
        ana_id, ana = new_athlete(client, "Ana")
        r = client.post("/v1/activities", files={"file": (fit.name, data)}, headers=ana)
        assert r.status_code == 201, r.text
        activity = r.json()["id"]
        store = store_of(client)
        on_disk = store.blobs.path_for(sha).read_bytes()
        assert on_disk[:2] == GZIP_MAGIC and on_disk != data  # stored compressed

        track = client.get(f"/v1/activities/{activity}/track", headers=ana)
        assert track.status_code == 200, track.text
        assert len(track.json()["distance_m"]) > 10

        store.update_athlete(ana_id, hr_rest=48.0, hr_max=191.0)  # the summaries are stale now
        followed = store.follow_profile(ana_id)
        assert (followed.recomputed, followed.failed) == (1, 0)  # re-parsed from the raw file

        athlete = store.get_athlete(ana_id)
        assert athlete is not None
        export_athlete(store, athlete, tmp_path / "ana.zip", legday_version="test")
        with zipfile.ZipFile(tmp_path / "ana.zip") as archive:
            raws = [n for n in archive.namelist() if n.startswith("raw/")]
            assert [archive.read(n) for n in raws] == [data]  # inflated, as uploaded

        backup(store, tmp_path / "live", tmp_path / "backup", legday_version="test")
    copied = BlobStore(tmp_path / "backup" / "blobs").path_for(sha)
    assert copied.read_bytes()[:2] == GZIP_MAGIC  # laid out as legday keeps them

    shutil.copytree(tmp_path / "backup", tmp_path / "restored")  # docs/backup.md
    with api_client(settings_for(tmp_path / "restored"), NOW) as client:
        store = store_of(client)
        assert store.raw_file(ana_id, activity) == data
        track = client.get(f"/v1/activities/{activity}/track", headers=ana)
        assert track.status_code == 200, track.text
