"""Walk the URL map: every state-changing route refuses a request without a valid CSRF token, and every
page carries the security headers (CSP without inline script, nosniff, frame-ancestors, ...)."""

import re

import pytest

from wilma.core.security import WRITE_METHODS

PLACEHOLDERS = {"int": "1", "string": "x", "path": "x", "default": "x"}


def concrete(rule) -> str:
    """A URL for ``rule`` with placeholder values for its arguments."""
    def fill(match):
        converter = (match.group(1) or "default").split("(")[0]
        return PLACEHOLDERS.get(converter, "1")

    return re.sub(r"<(?:([a-z]+(?:\([^)]*\))?):)?[a-z_]+>", fill, rule.rule)


def write_routes(app):
    for rule in app.url_map.iter_rules():
        for method in sorted((rule.methods or set()) & WRITE_METHODS):
            yield method, rule


@pytest.fixture
def admin_client(client, auth, make_user):
    make_user("root", admin=True)
    auth.login("root")
    return client


def test_every_state_changing_route_needs_a_csrf_token(app, admin_client):
    checked = []
    for method, rule in write_routes(app):
        url = concrete(rule)
        response = admin_client.open(url, method=method, data={"x": "1"})
        checked.append(url)
        assert response.status_code == 400, f"{method} {rule.rule} answered {response.status_code} without a CSRF token"
        if url.startswith("/api/"):
            response = admin_client.open(url, method=method, json={"x": 1}, headers={"X-CSRFToken": "forged"})
            assert response.status_code == 400, f"{method} {rule.rule} accepted a forged CSRF header"
            assert response.get_json()["error"]["code"] == "csrf_failed"
    assert {"/login", "/logout", "/settings/profile"} <= set(checked)


def test_api_with_a_bearer_token_needs_no_csrf_token(app, client, make_user, runner):
    make_user("anna")
    token = runner.invoke(args=["wilma", "users", "token", "anna"]).output.strip().splitlines()[-1]
    response = client.get("/api/v1/me", headers={"Authorization": f"Bearer {token}"})
    assert response.status_code == 200 and response.get_json()["username"] == "anna"


def page_routes(app):
    for rule in app.url_map.iter_rules():
        if "GET" in (rule.methods or set()) and not rule.arguments and not rule.rule.startswith("/static"):
            yield rule.rule


def test_security_headers_on_every_page(app, admin_client):
    for path in page_routes(app):
        response = admin_client.get(path)
        headers = response.headers
        csp = headers.get("Content-Security-Policy", "")
        assert "script-src 'self'" in csp and "unsafe-inline" not in csp, path
        assert "frame-ancestors 'none'" in csp, path
        assert headers.get("X-Content-Type-Options") == "nosniff", path
        assert headers.get("Referrer-Policy") == "same-origin", path
        assert "Strict-Transport-Security" not in headers, path
        if response.status_code == 200 and response.mimetype == "text/html":
            assert headers.get("Cache-Control") == "no-store", f"{path} with private content may be cached"
            html = response.get_data(as_text=True)
            assert not re.search(r"<script(?![^>]*\bsrc=)[^>]*>", html), f"inline script on {path}"
            assert not re.search(r"\son[a-z]+\s*=", html), f"event-handler attribute on {path}"
            assert ' style="' not in html, f"inline style on {path}"


def test_hsts_only_over_https(client):
    assert "Strict-Transport-Security" in client.get("/login", base_url="https://localhost").headers
    assert "Strict-Transport-Security" not in client.get("/login").headers


def test_error_pages_leak_no_internals(app, client):
    def explode():
        raise RuntimeError("SELECT secret FROM users -- Traceback")

    app.add_url_rule("/_explode", "explode", explode)
    response = client.get("/_explode")
    body = response.get_data(as_text=True)
    assert response.status_code == 500 and "Traceback" not in body and "SELECT" not in body
    api = client.get("/api/v1/_nothing_here")
    assert api.status_code == 404 and api.get_json()["error"]["code"] == "not_found"


def test_nul_characters_are_refused_with_a_message(client, auth, make_user):
    make_user("anna")
    response = auth.login("an\x00na")
    assert response.status_code == 400 and b"NUL" in response.data
    auth.login("anna")
    api = auth.api("GET", "/api/v1/users?q=a%00b")
    assert api.status_code == 400 and "NUL" in api.get_json()["error"]["message"]
