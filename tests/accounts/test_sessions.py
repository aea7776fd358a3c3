"""Sessions end on the server: logout everywhere, a password change and deactivation cut others off."""

from wilma.accounts import services
from wilma.accounts.models import UserSession
from wilma.extensions import db

NEW_PASSWORD = "a brand new passphrase"


def _is_logged_in(auth) -> bool:
    response = auth.client.get("/settings/profile")
    if response.status_code == 302:
        assert "/login" in response.headers["Location"]
        return False
    assert response.status_code == 200
    return True


def test_log_out_everywhere_ends_the_other_browser(auth, second_auth, make_user):
    make_user("anna")
    auth.login("anna")
    second_auth.login("anna")
    assert _is_logged_in(auth) and _is_logged_in(second_auth)

    response = auth.logout(everywhere=True)
    assert response.status_code == 302
    assert not _is_logged_in(auth)
    assert not _is_logged_in(second_auth)
    assert db.session.query(UserSession).count() == 0


def test_plain_logout_keeps_the_other_browser(auth, second_auth, make_user):
    make_user("anna")
    auth.login("anna")
    second_auth.login("anna")
    auth.logout()
    assert not _is_logged_in(auth)
    assert _is_logged_in(second_auth)


def test_password_change_ends_other_sessions_but_keeps_this_one(client, auth, second_auth, make_user):
    make_user("anna")
    auth.login("anna")
    second_auth.login("anna")
    response = auth.post("/settings/password", {
        "current_password": "correct horse battery", "new_password": NEW_PASSWORD, "confirm": NEW_PASSWORD})
    assert response.status_code == 302
    page = client.get("/settings/password").get_data(as_text=True)
    assert "Other sessions have been logged out." in page
    assert _is_logged_in(auth)

    other = second_auth.client.get("/people")
    assert other.status_code == 302 and "/login" in other.headers["Location"]

    auth.logout()
    assert auth.login("anna").status_code == 200  # the old password no longer works
    assert auth.login("anna", NEW_PASSWORD).status_code == 302


def test_password_change_errors_are_shown_in_the_form(client, auth, make_user):
    make_user("anna")
    auth.login("anna")
    response = auth.post("/settings/password", {
        "current_password": "not my password", "new_password": NEW_PASSWORD, "confirm": NEW_PASSWORD})
    page = response.get_data(as_text=True)
    assert response.status_code == 200
    assert "The current password is not correct." in page
    response = auth.post("/settings/password", {
        "current_password": "correct horse battery", "new_password": "short", "confirm": "short"})
    assert response.status_code == 200
    assert "field-error" in response.get_data(as_text=True)
    response = auth.post("/settings/password", {
        "current_password": "correct horse battery", "new_password": NEW_PASSWORD, "confirm": "different one!"})
    assert "The passwords differ." in response.get_data(as_text=True)
    auth.logout()
    assert auth.login("anna").status_code == 302  # nothing was changed


def test_deactivation_ends_sessions_blocks_login_and_tokens(app, client, auth, second_auth, make_user):
    user = make_user("anna")
    auth.login("anna")
    second_auth.login("anna")
    _token, raw = services.create_token(user, "script")
    bearer = {"Authorization": f"Bearer {raw}"}
    assert app.test_client().get("/api/v1/me", headers=bearer).status_code == 200

    result = app.test_cli_runner().invoke(args=["wilma", "users", "deactivate", "anna"])
    assert result.exit_code == 0, result.output

    assert not _is_logged_in(auth)
    assert not _is_logged_in(second_auth)
    response = app.test_client().get("/api/v1/me", headers=bearer)
    assert response.status_code == 401
    assert response.get_json()["error"]["code"] == "not_authenticated"
    assert auth.login("anna").status_code == 200
    assert not _is_logged_in(auth)


def test_deactivated_people_leave_the_directory_but_keep_a_profile(client, auth, make_user):
    make_user("anna")
    bert = make_user("bert", display_name="Bert Brecht")
    services.set_active(bert, False)
    auth.login("anna")
    assert "Bert Brecht" not in client.get("/people").get_data(as_text=True)
    profile = client.get(f"/people/{bert.id}").get_data(as_text=True)
    assert "Deactivated" in profile
