"""The OpenAPI document is valid, public, and describes exactly the routes and answers the server has."""

import re

import pytest
from openapi_spec_validator import validate

from tests.core.openapi_checks import check, check_body, check_items, property_names, response_schema

API_PREFIX = "/api/v1"
IGNORED_METHODS = {"HEAD", "OPTIONS"}


@pytest.fixture
def document(client):
    response = client.get("/api/v1/openapi.json")  # no login: integrators read it first
    assert response.status_code == 200
    assert response.is_json
    return response.get_json()


def _openapi_path(rule: str) -> str:
    """``/api/v1/users/<int:user_id>`` -> ``/users/{id}`` (every URL variable is called ``id``)."""
    return re.sub(r"<(?:[^:<>]+:)?[^<>]+>", "{id}", rule[len(API_PREFIX):])


def _documented_path(path: str) -> str:
    return re.sub(r"\{[^}]+\}", "{id}", path)


# The helpers of the first version, kept for the feature tests that import them (GET answers only).
_property_names = property_names


def _response_schema(document, path, status="200"):
    return response_schema(document, "get", path, status)


def _check(document, path, body, status="200"):
    check_body(document, "get", path, body, status)


def test_document_is_valid_openapi_3_1(document):
    assert document["openapi"].startswith("3.1")
    validate(document)
    components = document["components"]
    assert {"bearerAuth", "cookieAuth"} <= set(components["securitySchemes"])
    assert set(components["schemas"]["Error"]["properties"]["error"]["required"]) == {"code", "message"}


def test_every_api_route_is_documented_and_nothing_else(app, document):
    real = set()
    for rule in app.url_map.iter_rules():
        if rule.rule.startswith(API_PREFIX + "/"):
            real |= {(_openapi_path(rule.rule), m.lower()) for m in rule.methods - IGNORED_METHODS}
    documented = {(_documented_path(path), method)
                  for path, operations in document["paths"].items()
                  for method in operations if method in {"get", "post", "put", "patch", "delete"}}
    assert real, "no API routes found"
    assert real - documented == set(), "routes missing from the OpenAPI document"
    assert documented - real == set(), "documented routes the server does not have"


def test_documented_answers_match_real_answers(app, client, auth, make_user, document):
    from wilma.accounts.models import OrgUnit
    from wilma.core.database import commit
    from wilma.extensions import db

    unit = OrgUnit(name="Amt für Tests")
    db.session.add(unit)
    commit()
    anna = make_user("anna", org_unit_id=unit.id, job_title="Testerin")
    make_user("bert")
    auth.login("anna")

    me = check(document, "get", "/me", client.get("/api/v1/me"))
    assert me["username"] == "anna"

    users = check(document, "get", "/users", client.get("/api/v1/users?limit=1"))
    assert users["next_cursor"]
    check_items(document, "get", "/users", users)

    profile = check(document, "get", "/users/{id}", client.get(f"/api/v1/users/{anna.id}"))
    assert profile["job_title"] == "Testerin"

    missing = client.get("/api/v1/users/999999")
    assert missing.status_code == 404
    check(document, "get", "/users/{id}", missing)
    client.post("/logout", data={"csrf_token": auth.csrf("/settings/profile")})
    logged_out = client.get("/api/v1/me")
    assert logged_out.status_code == 401
    check(document, "get", "/me", logged_out)


def _schemas_within(document, schema, seen=None):
    """Every schema reachable from ``schema`` (through ``$ref``, ``allOf``/``oneOf``/``anyOf``, properties
    and array items), each once."""
    seen = set() if seen is None else seen
    if "$ref" in schema:
        name = schema["$ref"].rsplit("/", 1)[-1]
        if name in seen:
            return
        seen.add(name)
        schema = document["components"]["schemas"][name]
    yield schema
    children = [*schema.get("allOf", []), *schema.get("oneOf", []), *schema.get("anyOf", []),
                *schema.get("properties", {}).values()]
    if isinstance(schema.get("items"), dict):
        children.append(schema["items"])
    for child in children:
        yield from _schemas_within(document, child, seen)


def _success_schemas(document):
    for path, operations in document["paths"].items():
        for method, operation in operations.items():
            if not isinstance(operation, dict) or "responses" not in operation:
                continue
            for status, response in operation["responses"].items():
                content = response.get("content", {}).get("application/json")
                if status.startswith("2") and content:
                    yield f"{method.upper()} {path} {status}", content["schema"]


def test_list_items_have_ids_and_user_text_comes_with_its_html(document):
    """API.md: every item of a list has an ``id``; user-written text is returned as ``body`` and ``html``."""
    from tests.core.openapi_checks import property_schema, required_names

    lists = 0
    for where, schema in _success_schemas(document):
        items = property_schema(document, schema, "items")
        if items is not None and items.get("type") == "array":
            lists += 1
            assert "id" in required_names(document, items["items"]), f"items of {where} lack a required id"
        for part in _schemas_within(document, schema):
            if "body" in part.get("properties", {}):
                assert "html" in part["properties"], f"{where}: a `body` without its `html`"
    assert lists >= 10
