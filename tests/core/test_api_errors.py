"""API errors are JSON of one shape; writes with a session cookie need CSRF, token writes do not."""

import pytest
from flask_login import current_user

from wilma.accounts import services
from wilma.core.api import api_bp, encode_cursor, json_body
from wilma.core.security import require_login


def _error(response, status, code=None):
    assert response.status_code == status
    assert response.is_json, response.get_data(as_text=True)[:200]
    error = response.get_json()["error"]
    assert isinstance(error["message"], str) and error["message"]
    if code:
        assert error["code"] == code
    return error


def test_not_logged_in_is_401_json(client):
    _error(client.get("/api/v1/me"), 401, "not_authenticated")
    _error(client.get("/api/v1/users"), 401, "not_authenticated")


def test_missing_route_and_missing_user_are_404_json(client, auth, make_user):
    make_user("anna")
    auth.login("anna")
    _error(client.get("/api/v1/users/99999"), 404, "not_found")
    _error(client.get("/api/v1/no-such-thing"), 404, "not_found")


def test_bad_input_is_400_json(client, auth, make_user):
    make_user("anna")
    auth.login("anna")
    error = _error(client.get("/api/v1/users?cursor=%%%not-base64"), 400)
    assert error.get("field") == "cursor"
    _error(client.get("/api/v1/users?limit=many"), 400)
    for forged in ({"after": 5}, {"after": ["x"]}, {"after": [1, "x"]}):
        _error(client.get("/api/v1/users", query_string={"cursor": encode_cursor(forged)}), 400, "invalid")


def test_wrong_method_is_405_json(app, make_user):
    _token, raw = services.create_token(make_user("anna"), "bot")
    _error(app.test_client().delete("/api/v1/me", headers={"Authorization": f"Bearer {raw}"}), 405)


@pytest.fixture
def echo_route(app):
    """A test-only API write, to check CSRF on the API without depending on other features."""

    @require_login
    def echo():
        return {"got": json_body(), "user": current_user.username}

    app.add_url_rule("/api/v1/_test/echo", "api_test_echo", echo, methods=["POST"])
    yield "/api/v1/_test/echo"
    app.view_functions.pop("api_test_echo", None)
    assert api_bp  # the real blueprint is untouched


def test_api_post_with_session_cookie_needs_csrf(client, auth, make_user, echo_route):
    make_user("anna")
    auth.login("anna")
    response = client.post(echo_route, json={"a": 1})
    assert "reload" in _error(response, 400, "csrf_failed")["message"]
    assert auth.api("POST", echo_route, {"a": 1}).get_json() == {"got": {"a": 1}, "user": "anna"}


def test_api_post_with_bearer_token_needs_no_csrf(app, make_user, echo_route):
    user = make_user("anna")
    _token, raw = services.create_token(user, "bot")
    api = app.test_client()
    response = api.post(echo_route, json={"a": 2}, headers={"Authorization": f"Bearer {raw}"})
    assert response.status_code == 200
    assert response.get_json() == {"got": {"a": 2}, "user": "anna"}


def test_api_body_that_is_not_a_json_object_is_400(app, make_user, echo_route):
    user = make_user("anna")
    _token, raw = services.create_token(user, "bot")
    response = app.test_client().post(echo_route, data="[1,2]", content_type="application/json",
                                      headers={"Authorization": f"Bearer {raw}"})
    _error(response, 400, "invalid")


def test_form_post_without_csrf_is_refused(client, auth, make_user):
    make_user("anna", display_name="Anna")
    auth.login("anna")
    response = client.post("/settings/profile", data={"display_name": "Hacked", "locale": "en"})
    assert response.status_code == 400
    page = response.get_data(as_text=True)
    assert "Please reload the page and try again." in page and "Traceback" not in page
    assert client.get("/api/v1/me").get_json()["display_name"] == "Anna"
    response = client.post("/logout", data={})
    assert response.status_code == 400
    assert client.get("/api/v1/me").status_code == 200


def test_bad_bearer_token_is_not_rescued_by_the_session_cookie(client, auth, make_user, echo_route):
    make_user("anna")
    auth.login("anna")
    # A write that skips the CSRF check because it claims to use a token must not run as the cookie's user.
    response = client.post(echo_route, json={"a": 3}, headers={"Authorization": "Bearer wilma_forged"})
    _error(response, 401, "not_authenticated")
    assert client.get("/api/v1/me", headers={"Authorization": "Bearer wilma_forged"}).status_code == 401
    assert client.get("/api/v1/me").status_code == 200
