"""Schemathesis against the app's own /openapi.json (in-process ASGI, a real SQLite store):
no 5xx, no undocumented status, responses match their schemas."""

from __future__ import annotations

import os
import shutil
import tempfile
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
import schemathesis
from fastapi.testclient import TestClient
from hypothesis import HealthCheck, settings
from schemathesis.checks import positive_data_acceptance

from api.app import create_app
from ingest.store import Store
from tests.api_support import NOW, gpx_run, new_athlete, settings_for
from tests.test_api_activities import MONDAY

pytestmark = pytest.mark.slow

# The schema is loaded when pytest collects this module, so the app exists from import; its data
# dir is a temporary directory removed when the module's tests are done.
DATA_DIR = Path(tempfile.mkdtemp(prefix="legday-schemathesis-"))
SETTINGS = settings_for(DATA_DIR, max_upload_bytes=200_000)
_store = Store(SETTINGS.database_url, SETTINGS.data_dir)
_store.upgrade()
_store.dispose()
APP = create_app(SETTINGS, clock=lambda: NOW)
schema = schemathesis.openapi.from_asgi("/openapi.json", APP)


@pytest.fixture(scope="module")
def athlete() -> Iterator[dict[str, str]]:
    try:
        with TestClient(APP) as client:  # runs the lifespan: the store stays open for the tests
            _, auth = new_athlete(client, "Ana", timezone="Europe/Zurich")
            upload = client.post(
                "/v1/activities", files={"file": ("a.gpx", gpx_run(MONDAY))}, headers=auth
            )
            assert upload.status_code == 201
            yield auth
    finally:
        shutil.rmtree(DATA_DIR, ignore_errors=True)


@schema.parametrize()
@settings(
    max_examples=int(os.environ.get("LEGDAY_SCHEMATHESIS_EXAMPLES", "25")),
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.filter_too_much],
)
def test_the_api_honours_its_openapi_document(case: Any, athlete: dict[str, str]) -> None:
    # Every default check but "schema-valid data is accepted": the schema cannot say that a time
    # zone must be an IANA name, that dates lie in 1900-2199, or that an upload must be a real
    # watch file, so such requests are rightly refused with a documented 4xx.
    case.call_and_validate(headers=athlete, excluded_checks=[positive_data_acceptance])
