"""What accounts do with plugin hooks: a login provider, extra profile fields, the account events.

The hooks are implemented by a small object registered on the app's plugin manager for one test, so
these tests need no plugin package.
"""

import pytest

from wilma.accounts.models import User
from wilma.core.hookspecs import hookimpl
from wilma.extensions import db

DIRECTORY = {"dora": "directory password", "erik": "erik's password", "fritz": "fritz password"}


class FakeCity:
    """A city's directory (login provider), one extra profile field, and a record of events."""

    def __init__(self):
        self.events = []

    @hookimpl
    def wilma_authenticate(self, username, password):
        name = username.lower()
        if name not in DIRECTORY:
            return None
        if DIRECTORY[name] != password:
            return {"denied": True}
        if name == "fritz":  # a messy directory entry: taken address, overlong title
            return {"username": name, "email": "anna@example.org", "display_name": "Fritz",
                    "job_title": "Sachbearbeiter " * 30}
        return {"username": name, "email": f"{name}@city.example", "display_name": name.title() + " Directory",
                "job_title": "From the directory"}

    @hookimpl
    def wilma_profile_fields(self):
        return [{"key": "fakecity_badge", "label": "Badge number", "max_length": 10}]

    @hookimpl
    def wilma_user_created(self, user):
        self.events.append(("created", user.username))

    @hookimpl
    def wilma_user_logged_in(self, user):
        self.events.append(("logged_in", user.username))


@pytest.fixture
def city(app):
    plugin = FakeCity()
    app.extensions["wilma_plugins"].manager.register(plugin, name="fakecity")
    yield plugin
    app.extensions["wilma_plugins"].manager.unregister(plugin)


def test_directory_login_creates_the_account_and_fires_events(client, auth, city):
    response = auth.login("Dora", "directory password")
    assert response.status_code == 302
    me = client.get("/api/v1/me").get_json()
    assert me["username"] == "dora" and me["display_name"] == "Dora Directory"
    assert me["job_title"] == "From the directory"
    assert city.events == [("created", "dora"), ("logged_in", "dora")]
    user = db.session.query(User).filter_by(username="dora").one()
    assert user.password_hash is None and user.auth_source != "local"

    # The password lives in the directory: the settings page says so and refuses a change.
    page = client.get("/settings/password").get_data(as_text=True)
    assert "Your password is managed by your city's directory." in page

    auth.logout()
    assert auth.login("dora", "directory password").status_code == 302
    assert db.session.query(User).filter_by(username="dora").count() == 1
    assert city.events[-1] == ("logged_in", "dora")


def test_messy_directory_data_does_not_block_the_login(client, auth, make_user, city):
    make_user("anna")  # owns anna@example.org
    assert auth.login("fritz", "fritz password").status_code == 302
    me = client.get("/api/v1/me").get_json()
    assert me["username"] == "fritz" and me["email"] is None
    assert len(me["job_title"]) == 200


def test_directory_denial_wins_over_a_local_password(auth, make_user, city):
    make_user("erik")  # a local account with the test password
    response = auth.login("erik")
    assert response.status_code == 200
    assert "Unknown username or wrong password." in response.get_data(as_text=True)


def test_local_accounts_still_work_when_the_directory_does_not_know_them(auth, make_user, city):
    make_user("anna")
    assert auth.login("anna").status_code == 302
    assert ("logged_in", "anna") in city.events


def test_deactivated_directory_account_cannot_log_in(runner, auth, city):
    assert auth.login("dora", "directory password").status_code == 302
    auth.logout()
    runner.invoke(args=["wilma", "users", "deactivate", "dora"])
    assert auth.login("dora", "directory password").status_code == 200


def test_extra_profile_field_is_edited_shown_and_returned(client, auth, make_user, city):
    user = make_user("anna", display_name="Anna")
    auth.login("anna")
    form = {"display_name": "Anna", "email": "anna@example.org", "org_unit_id": "0", "locale": "en",
            "fakecity_badge": "B-42"}
    assert 'name="fakecity_badge"' in client.get("/settings/profile").get_data(as_text=True)
    assert auth.post("/settings/profile", form).status_code == 302
    assert client.get("/api/v1/me").get_json()["extra"] == {"fakecity_badge": "B-42"}
    page = client.get(f"/people/{user.id}").get_data(as_text=True)
    assert "Badge number" in page and "B-42" in page

    response = auth.post("/settings/profile", {**form, "fakecity_badge": "X" * 11})
    assert response.status_code == 200
    html = response.get_data(as_text=True)
    assert '<p class="field-error" id="extra-fakecity_badge-error">At most 10 characters.</p>' in html
    assert 'value="XXXXXXXXXXX"' in html  # what was typed stays in the form
    assert client.get("/api/v1/me").get_json()["extra"] == {"fakecity_badge": "B-42"}
