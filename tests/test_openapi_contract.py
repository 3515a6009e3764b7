"""The OpenAPI document is the contract: each DESIGN "API v1" route and every status it answers."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

from api.app import create_app
from tests.api_support import settings_for

# DESIGN.md "API v1": (method, path) → every status the route can answer.
AUTH, BODY, FULL = {401}, {400, 413, 422}, {507}
CONTRACT: dict[tuple[str, str], set[int]] = {
    ("GET", "/healthz"): {200},
    ("POST", "/v1/athletes"): {201, 403, 409} | AUTH | BODY | FULL,
    ("POST", "/v1/athletes/{athlete_id}/token"): {201, 403, 404, 422} | AUTH | FULL,
    ("DELETE", "/v1/athletes/{athlete_id}/token"): {204, 403, 404, 422} | AUTH | FULL,
    ("POST", "/v1/athletes/{athlete_id}/calendar/rotate"): {200, 403, 404, 422} | AUTH | FULL,
    ("GET", "/v1/me"): {200} | AUTH,
    ("PATCH", "/v1/me"): {200, 409} | AUTH | BODY | FULL,
    ("POST", "/v1/me/token/rotate"): {200} | AUTH | FULL,
    ("POST", "/v1/me/calendar/rotate"): {200} | AUTH | FULL,
    ("POST", "/v1/activities"): {200, 201, 400, 408, 413, 415, 422, 429, 503} | AUTH | FULL,
    ("GET", "/v1/activities"): {200, 422} | AUTH,
    ("GET", "/v1/activities/{activity_id}"): {200, 404, 422} | AUTH,
    ("DELETE", "/v1/activities/{activity_id}"): {204, 404, 422} | AUTH | FULL,
    ("GET", "/v1/weeks"): {200, 422} | AUTH,
    ("GET", "/v1/recommendation"): {200, 422, 429} | AUTH,
    ("POST", "/v1/strength-log"): {201} | AUTH | BODY | FULL,
    ("GET", "/v1/strength-log"): {200, 422} | AUTH,
    ("PATCH", "/v1/strength-log/{entry_id}"): {200, 404} | AUTH | BODY | FULL,
    ("DELETE", "/v1/strength-log/{entry_id}"): {204, 404, 422} | AUTH | FULL,
    ("GET", "/v1/exercises"): {200} | AUTH,
    ("GET", "/v1/workouts/{day}.fit"): {200, 404, 422, 429} | AUTH,
    ("POST", "/v1/checkins"): {201} | AUTH | BODY | FULL,
    ("GET", "/v1/checkins"): {200, 422} | AUTH,
    ("GET", "/v1/calendar/{feed_token}.ics"): {200, 404, 422, 429},
    ("GET", "/v1/calendar/{feed_token}/workouts/{day}.fit"): {200, 404, 422, 429},
    ("POST", "/v1/sync/run"): {202} | AUTH,
    ("GET", "/v1/sync"): {200} | AUTH,
    ("GET", "/"): {200},
    # the dashboard's reads (issue 15)
    ("GET", "/v1/athletes"): {200, 403} | AUTH,
    ("GET", "/v1/trends/load"): {200, 422} | AUTH,
    ("GET", "/v1/trends/lifts"): {200, 422} | AUTH,
    ("GET", "/v1/activities/{activity_id}/track"): {200, 404, 422} | AUTH,
    ("GET", "/v1/rules"): {200},
    ("GET", "/v1/skips"): {200, 422} | AUTH,
    ("POST", "/v1/skips"): {201} | AUTH | BODY | FULL,
    ("DELETE", "/v1/skips/{day}"): {204, 404, 422} | AUTH | FULL,
}


@pytest.fixture(scope="module")
def openapi(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Any]:
    app = create_app(settings_for(Path(tmp_path_factory.mktemp("data"))))
    return app.openapi()


def operations(openapi: dict[str, Any]) -> dict[tuple[str, str], dict[str, Any]]:
    return {
        (method.upper(), path): op
        for path, item in openapi["paths"].items()
        for method, op in item.items()
    }


def test_the_document_has_exactly_the_designed_routes(openapi: dict[str, Any]) -> None:
    assert set(operations(openapi)) == set(CONTRACT)


@pytest.mark.parametrize(("method", "path"), sorted(CONTRACT))
def test_each_route_documents_every_status_it_can_answer(
    openapi: dict[str, Any], method: str, path: str
) -> None:
    documented = {int(code) for code in operations(openapi)[(method, path)]["responses"]}
    assert documented == CONTRACT[(method, path)]


def test_every_error_response_is_a_detail_string(openapi: dict[str, Any]) -> None:
    assert openapi["components"]["schemas"]["Error"]["properties"]["detail"]["type"] == "string"
    for (method, path), op in operations(openapi).items():
        for code, response in op["responses"].items():
            if int(code) >= 400:
                schema = response["content"]["application/json"]["schema"]
                assert schema == {"$ref": "#/components/schemas/Error"}, (method, path, code)


def test_routes_that_need_a_token_declare_the_bearer_scheme(openapi: dict[str, Any]) -> None:
    public = {
        ("GET", "/healthz"),
        ("GET", "/v1/calendar/{feed_token}.ics"),
        ("GET", "/v1/calendar/{feed_token}/workouts/{day}.fit"),
        ("GET", "/"),
        ("GET", "/v1/rules"),
    }
    for key, op in operations(openapi).items():
        assert bool(op.get("security")) == (key not in public), key
    assert openapi["components"]["securitySchemes"]["HTTPBearer"]["scheme"] == "bearer"


def test_the_calendar_answers_text_calendar_and_the_dashboard_html(openapi: dict[str, Any]) -> None:
    ops = operations(openapi)
    assert (
        "text/calendar"
        in ops[("GET", "/v1/calendar/{feed_token}.ics")]["responses"]["200"]["content"]
    )
    assert "text/html" in ops[("GET", "/")]["responses"]["200"]["content"]


def test_the_workouts_answer_a_fit_file(openapi: dict[str, Any]) -> None:
    ops = operations(openapi)
    for path in ("/v1/workouts/{day}.fit", "/v1/calendar/{feed_token}/workouts/{day}.fit"):
        assert "application/vnd.ant.fit" in ops[("GET", path)]["responses"]["200"]["content"]


def test_the_upload_is_multipart_with_a_file_field(openapi: dict[str, Any]) -> None:
    body = operations(openapi)[("POST", "/v1/activities")]["requestBody"]["content"]
    (schema_ref,) = [c["schema"]["$ref"] for c in body.values()]
    schema = openapi["components"]["schemas"][schema_ref.rsplit("/", 1)[1]]
    assert list(body) == ["multipart/form-data"] and schema["required"] == ["file"]


# A write in the request can meet a full disk; POST /v1/sync/run only starts a background run.
WRITES_ELSEWHERE = {("POST", "/v1/sync/run")}


def test_every_route_that_writes_documents_507_for_a_full_disk(openapi: dict[str, Any]) -> None:
    for (method, path), op in operations(openapi).items():
        if method in {"POST", "PUT", "PATCH", "DELETE"} and (method, path) not in WRITES_ELSEWHERE:
            assert "507" in op["responses"], (method, path)
