"""The refusals the core gives on every write route are documented on every write route: a cookie write
without its CSRF token (400) and a body above the upload limit (413)."""

import re

import pytest

from tests.core.openapi_checks import check

API_PREFIX = "/api/v1"
WRITE_METHODS = {"POST", "PUT", "PATCH", "DELETE"}


def _normal(path: str) -> str:
    return re.sub(r"\{[^}]+\}", "{id}", path)


def write_routes(app, document):
    """``(url, method, documented path)`` of every write route under /api/v1, with 1 for every id."""
    documented = {_normal(path): path for path in document["paths"]}
    routes = []
    for rule in app.url_map.iter_rules():
        if not rule.rule.startswith(API_PREFIX + "/"):
            continue
        openapi_path = re.sub(r"<(?:[^:<>]+:)?[^<>]+>", "{id}", rule.rule[len(API_PREFIX):])
        url = re.sub(r"<[^<>]+>", "1", rule.rule)
        for method in sorted(rule.methods & WRITE_METHODS):
            routes.append((url, method, documented[openapi_path]))
    assert routes
    return routes


def test_writes_without_csrf_token_answer_the_documented_400(app, client, auth, make_user, document):
    make_user("anna")
    auth.login("anna")
    for url, method, path in write_routes(app, document):
        response = client.open(url, method=method, json={})
        assert response.status_code == 400, f"{method} {url}"
        assert response.get_json()["error"]["code"] == "csrf_failed"
        check(document, method.lower(), path, response)


@pytest.mark.parametrize("app_config", [{"MAX_CONTENT_LENGTH": 4096}])
def test_bodies_above_the_limit_answer_the_documented_413(app, client, auth, make_user, document):
    make_user("anna")
    auth.login("anna")
    headers = {"X-CSRFToken": auth.csrf("/settings/profile")}
    taking_bodies = [(url, method, path) for url, method, path in write_routes(app, document)
                     if "requestBody" in document["paths"][path][method.lower()]]
    assert taking_bodies
    for url, method, path in taking_bodies:
        response = client.open(url, method=method, json={"body": "x" * 8192}, headers=headers)
        assert response.status_code == 413, f"{method} {url}"
        check(document, method.lower(), path, response)
