"""Personal access tokens: from the CLI and the settings page, used as Bearer, revoked, stored hashed."""

import re

from wilma.accounts.models import AccessToken
from wilma.extensions import db


def _cli_token(runner, username="anna", *extra) -> str:
    result = runner.invoke(args=["wilma", "users", "token", username, *extra])
    assert result.exit_code == 0, result.output
    return result.output.strip().splitlines()[-1]


def test_cli_prints_the_token_alone_on_the_last_line(app, runner, make_user):
    make_user("anna")
    raw = _cli_token(runner, "anna", "--name", "Intranet bot")
    assert re.fullmatch(r"wilma_[A-Za-z0-9_-]{30,}", raw)
    stored = db.session.query(AccessToken).one()
    assert stored.name == "Intranet bot"
    assert raw not in (stored.token_hash, stored.prefix)  # only a hash is kept

    response = app.test_client().get("/api/v1/me", headers={"Authorization": f"Bearer {raw}"})
    assert response.status_code == 200
    assert response.get_json()["username"] == "anna"


def test_unknown_or_revoked_token_is_a_json_401(app, runner, make_user):
    user = make_user("anna")
    raw = _cli_token(runner)
    api = app.test_client()
    bad = api.get("/api/v1/me", headers={"Authorization": "Bearer wilma_not-a-real-token"})
    assert bad.status_code == 401
    assert bad.get_json()["error"]["code"] == "not_authenticated"

    from wilma.accounts import services

    services.revoke_token(user, db.session.query(AccessToken).one().id)
    response = api.get("/api/v1/me", headers={"Authorization": f"Bearer {raw}"})
    assert response.status_code == 401
    assert set(response.get_json()["error"]) >= {"code", "message"}


def test_token_page_creates_shows_once_and_revokes(app, client, auth, make_user):
    make_user("anna")
    auth.login("anna")
    response = auth.post("/settings/tokens", {"name": "Dashboard"})
    assert response.status_code == 200
    page = response.get_data(as_text=True)
    raw = re.search(r'id="new-token"[^>]*value="(wilma_[^"]+)"', page).group(1)
    assert "Dashboard" in page

    api = app.test_client()
    assert api.get("/api/v1/me", headers={"Authorization": f"Bearer {raw}"}).status_code == 200
    listing = client.get("/settings/tokens").get_data(as_text=True)
    assert raw not in listing and raw[:12] in listing  # shown once, then only its beginning

    token_id = db.session.query(AccessToken).one().id
    response = auth.post(f"/settings/tokens/{token_id}/revoke")
    assert response.status_code == 302
    assert "The token has been revoked." in client.get("/settings/tokens").get_data(as_text=True)
    assert api.get("/api/v1/me", headers={"Authorization": f"Bearer {raw}"}).status_code == 401


def test_token_page_needs_a_label(client, auth, make_user):
    make_user("anna")
    auth.login("anna")
    response = auth.post("/settings/tokens", {"name": ""})
    assert response.status_code == 200
    assert "field-error" in response.get_data(as_text=True)
    assert db.session.query(AccessToken).count() == 0


def test_nobody_can_revoke_someone_elses_token(app, client, auth, runner, make_user):
    make_user("anna")
    make_user("bert")
    raw = _cli_token(runner, "anna")
    auth.login("bert")
    token_id = db.session.query(AccessToken).one().id
    response = auth.post(f"/settings/tokens/{token_id}/revoke")
    assert response.status_code == 404
    api = app.test_client()
    assert api.get("/api/v1/me", headers={"Authorization": f"Bearer {raw}"}).status_code == 200


def test_token_does_not_log_into_pages(app, runner, make_user):
    make_user("anna")
    raw = _cli_token(runner)
    response = app.test_client().get("/settings/profile", headers={"Authorization": f"Bearer {raw}"})
    assert response.status_code == 302 and "/login" in response.headers["Location"]


def test_tokens_page_shows_when_a_token_was_last_used(app, client, auth, runner, make_user):
    make_user("anna")
    raw = _cli_token(runner)
    auth.login("anna")
    assert "never" in client.get("/settings/tokens").get_data(as_text=True)
    assert app.test_client().get("/api/v1/me", headers={"Authorization": f"Bearer {raw}"}).status_code == 200
    db.session.rollback()  # the tests share one session with the requests: look at what was committed
    assert db.session.query(AccessToken).one().last_used_at is not None
    assert "never" not in client.get("/settings/tokens").get_data(as_text=True)
