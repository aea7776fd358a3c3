"""Error pages in the layout without leaking internals; the language switch."""

import pytest
from flask import abort

from wilma.core.errors import PermissionDenied

SECRET = "internal-detail-4711 /srv/wilma/secret.py"


@pytest.fixture
def failing_routes(app):
    """Test-only pages that fail in the ways real pages can."""

    def forbidden():
        raise PermissionDenied()

    def aborted():
        abort(403)

    def crash():
        raise RuntimeError(SECRET)

    app.add_url_rule("/_test/forbidden", "test_forbidden", forbidden)
    app.add_url_rule("/_test/aborted", "test_aborted", aborted)
    app.add_url_rule("/_test/crash", "test_crash", crash)
    app.add_url_rule("/api/v1/_test/crash", "api_test_crash", crash)


def _in_layout(html: str) -> bool:
    return '<main id="main"' in html and 'class="footer"' in html and "wilma.css" in html


@pytest.mark.parametrize("path,status,text", [
    ("/_test/forbidden", 403, "You are not allowed to do this."),
    ("/_test/aborted", 403, "You are not allowed to see this page."),
    ("/no/such/page", 404, "This page does not exist or you cannot see it."),
    ("/_test/crash", 500, "Something went wrong on our side."),
])
def test_error_pages_use_the_layout(client, auth, make_user, failing_routes, path, status, text):
    make_user("anna")
    auth.login("anna")
    response = client.get(path)
    html = response.get_data(as_text=True)
    assert response.status_code == status
    assert _in_layout(html)
    assert text in html
    assert "Traceback" not in html and SECRET not in html and "RuntimeError" not in html


def test_error_page_for_visitors_who_are_not_logged_in(client, failing_routes):
    response = client.get("/no/such/page")
    assert response.status_code == 404 and _in_layout(response.get_data(as_text=True))
    response = client.get("/_test/crash")
    assert response.status_code == 500 and SECRET not in response.get_data(as_text=True)


def test_crash_in_the_api_is_a_json_500(client, failing_routes, caplog):
    response = client.get("/api/v1/_test/crash")
    assert response.status_code == 500
    assert response.get_json()["error"]["code"] == "server_error"
    assert SECRET not in response.get_data(as_text=True)
    assert SECRET in caplog.text  # ... but it is logged for the operators


def _switch(client, token, locale, next_path="/login"):
    return client.post("/language", data={"locale": locale, "next": next_path, "csrf_token": token})


def test_language_switch_before_login_is_kept_in_the_session(client, auth):
    assert '<html lang="en">' in client.get("/login").get_data(as_text=True)  # the tests' default
    response = _switch(client, auth.csrf("/login"), "de")
    assert response.status_code == 302 and response.headers["Location"].endswith("/login")
    html = client.get("/login").get_data(as_text=True)
    assert '<html lang="de">' in html
    assert "Anmelden" in html and "Log in" not in html  # the German catalogue is used


def test_language_switch_is_stored_in_the_profile(app, client, auth, make_user):
    make_user("anna")
    auth.login("anna")
    _switch(client, auth.csrf("/settings/profile"), "de", "/people")
    assert client.get("/api/v1/me").get_json()["locale"] == "de"
    # Another browser of the same person gets the language from the profile.
    other = type(auth)(app.test_client())
    other.login("anna")
    page = other.client.get("/people").get_data(as_text=True)
    assert '<html lang="de">' in page and "Personen" in page
    expired = other.client.post("/settings/profile", data={"display_name": "x"})  # no CSRF token
    assert "Bitte laden Sie die Seite neu" in expired.get_data(as_text=True)


def test_language_switch_ignores_unknown_languages_and_offsite_targets(client, auth):
    token = auth.csrf("/login")
    response = _switch(client, token, "xx", "https://evil.example/")
    assert "evil.example" not in response.headers["Location"]
    assert '<html lang="en">' in client.get("/login").get_data(as_text=True)


def test_language_switch_needs_csrf(client):
    assert client.post("/language", data={"locale": "de"}).status_code == 400


def test_language_chosen_before_login_stays_after_login_and_logout(client, auth, make_user):
    make_user("anna")
    _switch(client, auth.csrf("/login"), "de")
    auth.login("anna")
    assert '<html lang="de">' in client.get("/people").get_data(as_text=True)
    auth.logout()
    assert '<html lang="de">' in client.get("/login").get_data(as_text=True)


def test_images_in_user_text_stay_on_this_site():
    from wilma.core.sanitize import clean_html

    assert 'src="/people/1/avatar"' in clean_html('<img src="/people/1/avatar">')
    for src in ("/\t/evil.example/x.png", "//evil.example/x.png", "https://evil.example/x.png",
                "/\\evil.example/x.png", "data:image/png;base64,AAAA"):
        assert "evil" not in clean_html(f'<img src="{src}">') and "data:" not in clean_html(f'<img src="{src}">')
