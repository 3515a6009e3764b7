"""A full disk under a strength-log or check-in write answers 507 and stores nothing."""

from __future__ import annotations

import sqlite3
import threading
from pathlib import Path
from typing import Any

from fastapi.testclient import TestClient
from sqlalchemy import event

from api.app import create_app
from ingest.store import Store
from tests.api_support import ADMIN, bearer, settings_for

LIFT = {"date": "2026-03-02", "exercise": "back squat", "sets": [{"reps": 5, "load_kg": 80}]}
CHECKIN = {"date": "2026-03-02", "sleep_hours": 7.5, "soreness": 3}


def test_strength_log_and_check_in_writes_on_a_full_disk_answer_507_and_store_nothing(
    tmp_path: Path,
) -> None:
    settings = settings_for(tmp_path / "data")
    store = Store(None, settings.data_dir)
    store.upgrade()
    full = threading.Event()

    @event.listens_for(store.engine, "commit")
    def disk_full_at_commit(conn: Any) -> None:
        if full.is_set():
            raise sqlite3.OperationalError("database or disk is full")

    with TestClient(create_app(settings, store=store)) as client:
        made = client.post("/v1/athletes", json={"name": "Sam"}, headers=bearer(ADMIN)).json()
        sam = bearer(made["token"])
        full.set()
        lift = client.post("/v1/strength-log", json=LIFT, headers=sam)
        checkin = client.post("/v1/checkins", json=CHECKIN, headers=sam)
        full.clear()
        for r in (lift, checkin):
            assert r.status_code == 507 and "the database" in r.json()["detail"], r.text
        assert client.get("/v1/strength-log", headers=sam).json()["entries"] == []
        assert client.get("/v1/checkins", headers=sam).json()["checkins"] == []
    store.dispose()
