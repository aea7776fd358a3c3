"""Logging in and out: username or e-mail, one answer for every failure, cookies, fresh sessions."""

import re
import statistics
import time

from wilma.accounts import services

PASSWORD = "correct horse battery"


def _form_page(response) -> str:
    """The page without the parts that change per request (the CSRF token)."""
    html = response.get_data(as_text=True)
    return re.sub(r'(name="csrf[-_]token"[^>]*(?:value|content)=")[^"]+', r"\1X", html)


def _cookie(response, name="wilma_session") -> str:
    headers = [h for h in response.headers.getlist("Set-Cookie") if h.startswith(name + "=")]
    assert headers, f"no {name} cookie set"
    return headers[-1]


def test_login_with_username_and_email(client, auth, make_user):
    make_user("anna")
    response = auth.login("anna")
    assert response.status_code == 302
    assert client.get("/api/v1/me").get_json()["username"] == "anna"
    auth.logout()
    response = auth.login("ANNA@example.org")
    assert response.status_code == 302
    assert client.get("/api/v1/me").get_json()["username"] == "anna"


def test_wrong_password_and_unknown_user_get_the_same_answer(client, auth, make_user):
    make_user("anna")
    wrong = auth.login("anna", "not the password at all")
    unknown = auth.login("nobody", PASSWORD)
    assert wrong.status_code == unknown.status_code == 200
    assert "Unknown username or wrong password." in wrong.get_data(as_text=True)
    # The only difference is the name typed into the form, echoed back.
    assert _form_page(wrong).replace('value="anna"', "") == _form_page(unknown).replace('value="nobody"', "")
    assert client.get("/api/v1/me").status_code == 401


def test_unknown_user_costs_as_much_time_as_a_wrong_password(app, make_user):
    make_user("anna")

    def timed(identifier):
        start = time.perf_counter()
        assert services.authenticate(identifier, "wrong password here") is None
        return time.perf_counter() - start

    samples = [(timed("anna"), timed("nobody")) for _ in range(5)]  # interleaved: load hits both alike
    wrong = statistics.median(w for w, _ in samples)
    unknown = statistics.median(u for _, u in samples)
    assert unknown > wrong * 0.5, (unknown, wrong)  # without the dummy hash it would be ~1000x faster


def test_deactivated_user_cannot_log_in(client, auth, make_user):
    user = make_user("anna")
    services.set_active(user, False)
    response = auth.login("anna")
    assert response.status_code == 200
    assert "Unknown username or wrong password." in response.get_data(as_text=True)


def test_logout_ends_the_session(client, auth, make_user):
    make_user("anna")
    auth.login("anna")
    response = auth.logout()
    assert response.status_code == 302 and "/login" in response.headers["Location"]
    assert client.get("/api/v1/me").status_code == 401
    assert "/login" in client.get("/settings/profile").headers["Location"]


def test_session_cookie_flags_over_http(client, auth, make_user):
    make_user("anna")
    cookie = _cookie(auth.login("anna"))
    assert "HttpOnly" in cookie
    assert "SameSite=Lax" in cookie
    assert "Secure" not in cookie


def test_session_cookie_is_secure_over_https(app, make_user):
    make_user("anna")
    client = app.test_client()
    page = client.get("/login", base_url="https://localhost").get_data(as_text=True)
    token = re.search(r'name="csrf_token"[^>]*value="([^"]+)"', page).group(1)
    response = client.post("/login", base_url="https://localhost",
                           data={"login": "anna", "password": PASSWORD, "csrf_token": token},
                           headers={"Referer": "https://localhost/login"})
    assert response.status_code == 302
    cookie = _cookie(response)
    assert "Secure" in cookie and "HttpOnly" in cookie and "SameSite=Lax" in cookie


def test_login_starts_a_fresh_session_and_the_old_cookie_dies_at_logout(app, client, auth, make_user):
    make_user("anna")
    auth.csrf("/login")
    before = client.get_cookie("wilma_session").value
    auth.login("anna")
    logged_in = client.get_cookie("wilma_session").value
    assert logged_in != before

    auth.logout()
    # Someone who copied the logged-in cookie cannot use it after the logout.
    thief = app.test_client()
    thief.set_cookie("wilma_session", logged_in)
    assert thief.get("/api/v1/me").status_code == 401
    assert "/login" in thief.get("/settings/profile").headers["Location"]


def test_login_redirects_to_next_but_never_offsite(client, auth, make_user):
    make_user("anna")
    token = auth.csrf("/login")
    response = client.post("/login?next=/organisation",
                           data={"login": "anna", "password": PASSWORD, "csrf_token": token})
    assert response.headers["Location"].endswith("/organisation")
    auth.logout()
    token = auth.csrf("/login")
    response = client.post("/login?next=//evil.example/x",
                           data={"login": "anna", "password": PASSWORD, "csrf_token": token})
    assert "evil.example" not in response.headers["Location"]


def test_empty_login_form_shows_field_errors(client, auth):
    response = client.post("/login", data={"login": "", "password": "", "csrf_token": auth.csrf()})
    assert response.status_code == 200
    assert 'class="field-error"' in response.get_data(as_text=True)


def test_no_open_redirect_through_tabs_or_backslashes(client, auth, make_user):
    make_user("anna")
    for target in ("/\t/evil.example/", "/\n/evil.example/", "/\\evil.example", "https://evil.example/"):
        token = auth.csrf("/login")
        response = client.post("/login", query_string={"next": target},
                               data={"login": "anna", "password": PASSWORD, "csrf_token": token})
        assert response.status_code == 302
        assert "evil" not in response.headers["Location"], target
        language = client.post("/language", data={"locale": "en", "next": target,
                                                  "csrf_token": auth.csrf("/settings/profile")})
        assert "evil" not in language.headers["Location"], target
        auth.logout()
