"""DSGVO: a person downloads their data; an admin pseudonymises a person who has left."""

import io
import json
import zipfile

import pytest
from PIL import Image

from wilma.accounts import services as accounts
from wilma.core import uploads
from wilma.core.database import commit
from wilma.extensions import db


@pytest.fixture
def mia(make_user, make_group):
    """Mia, with a full profile, a picture, an API token and a group she founded."""
    user = make_user("mia", display_name="Mia Musterfrau", phone="089 233-4711", room="A 3.14",
                     job_title="Sachbearbeiterin", about="Ich mag **Akten**.")
    user.avatar_file = uploads.save_square_png(Image.new("RGB", (64, 64), "red"), "avatars", 64)
    commit()
    make_group("Radlgruppe", members={user: "owner"}, created_by=user)
    return user


def test_pseudonymised_person_disappears_but_content_stays_attributed(
        app, client, as_admin, admin, admin_post, mia, other_client, audit_entries, make_group):
    other_client.login("mia")
    _token, raw_token = accounts.create_token(mia, "script")
    avatar_path = uploads.path_for("avatars", mia.avatar_file)
    group_id = db.session.execute(db.text("SELECT id FROM groups WHERE name = 'Radlgruppe'")).scalar()

    page = client.get(f"/admin/users/{mia.id}/delete").get_data(as_text=True)
    assert "This cannot be undone." in page
    refused = admin_post(f"/admin/users/{mia.id}/delete", {"confirm": "someone-else"})
    assert "Type the username to confirm." in refused.get_data(as_text=True)
    db.session.refresh(mia)
    assert mia.username == "mia" and mia.active

    assert admin_post(f"/admin/users/{mia.id}/delete", {"confirm": "mia"}).status_code == 302

    # gone from the directory, search-as-you-type (mentions) and the API
    assert "Musterfrau" not in client.get("/people").get_data(as_text=True)
    assert "Former employee" not in client.get("/people").get_data(as_text=True)
    assert client.get("/people/suggest?q=Mia").get_json() == []
    assert client.get("/people/suggest?q=former").get_json() == []
    assert client.get("/api/v1/users?q=Mia").get_json()["items"] == []
    assert all(p["id"] != mia.id for p in client.get("/api/v1/users").get_json()["items"])

    # content keeps an author, shown as "Former employee", with nothing personal left
    profile = client.get(f"/people/{mia.id}").get_data(as_text=True)
    assert "Former employee" in profile
    for personal in ("Musterfrau", "4711", "A 3.14", "Sachbearbeiterin", "Akten", "mia@example.org"):
        assert personal not in profile
    assert "Former employee" in client.get(f"/admin/groups/{group_id}").get_data(as_text=True)
    api = client.get(f"/api/v1/users/{mia.id}").get_json()
    assert (api["display_name"], api["username"], api["email"], api["active"]) == (
        "Former employee", f"former-{mia.id}", None, False)

    # sessions, tokens, picture and memberships are gone
    assert other_client.client.get("/people").status_code == 302
    assert other_client.login("mia").status_code == 200
    script = app.test_client()  # no cookie: only the token could authenticate
    assert script.get("/api/v1/me", headers={"Authorization": f"Bearer {raw_token}"}).status_code == 401
    assert not avatar_path.exists()
    assert db.session.execute(db.text("SELECT count(*) FROM group_memberships WHERE user_id = :u"),
                              {"u": mia.id}).scalar() == 0

    [entry] = audit_entries("user.delete")
    assert (entry.actor_id, entry.target_id, entry.target_label) == (admin.id, str(mia.id), "mia")


def test_former_employee_cannot_be_reactivated_or_deleted_twice(client, as_admin, admin_post, mia):
    admin_post(f"/admin/users/{mia.id}/delete", {"confirm": "mia"})
    admin_post(f"/admin/users/{mia.id}/active", {"active": "1"})
    db.session.refresh(mia)
    assert not mia.active
    page = client.get(f"/admin/users/{mia.id}/delete").get_data(as_text=True)
    assert "This account has already been pseudonymised." in page


def test_former_employee_name_follows_the_installation_language(app, admin, mia):
    from wilma.admin.privacy import former_employee_name

    assert former_employee_name() == "Former employee"  # tests run with WILMA_DEFAULT_LOCALE = "en"
    app.config["WILMA_DEFAULT_LOCALE"] = "de"
    assert former_employee_name() == "Ehemalige/r Mitarbeiter/in"


def test_data_export_zip_holds_profile_memberships_and_picture(client, auth, mia, audit_entries):
    auth.login("mia")
    page = client.get("/settings/export").get_data(as_text=True)
    assert 'href="/settings/export"' in page and "Download my data" in page
    assert 'href="/settings/export"' in client.get("/settings/profile").get_data(as_text=True)

    response = auth.post("/settings/export")
    assert response.status_code == 200 and response.mimetype == "application/zip"
    assert "attachment" in response.headers["Content-Disposition"]
    archive = zipfile.ZipFile(io.BytesIO(response.data))
    assert set(archive.namelist()) == {"wilma-data.json", "files/avatar.png"}
    data = json.loads(archive.read("wilma-data.json"))
    profile = data["account"]["profile"]
    assert (profile["username"], profile["display_name"], profile["phone"], profile["email"]) == (
        "mia", "Mia Musterfrau", "089 233-4711", "mia@example.org")
    assert [m["group"] for m in data["groups"]["memberships"]] == ["Radlgruppe"]
    assert data["account"]["sessions"] and "token_hash" not in json.dumps(data)
    assert Image.open(io.BytesIO(archive.read("files/avatar.png"))).size == (64, 64)

    [entry] = audit_entries("data.export")
    assert (entry.actor_id, entry.target_label) == (mia.id, "mia")


def test_features_add_their_exporters_and_a_broken_one_does_not_break_the_export(
        client, auth, mia, monkeypatch):
    from wilma.admin import export

    monkeypatch.setattr(export, "_DATA", dict(export._DATA))
    export.register_exporter("city_extra", lambda user: [{"body": f"Hallo von {user.username}"}])
    export.register_exporter("broken", lambda user: 1 / 0)
    auth.login("mia")
    archive = zipfile.ZipFile(io.BytesIO(auth.post("/settings/export").data))
    data = json.loads(archive.read("wilma-data.json"))
    assert data["city_extra"] == [{"body": "Hallo von mia"}]
    assert "error" in data["broken"] and data["account"]["profile"]["username"] == "mia"


def test_export_needs_a_login(client):
    assert client.get("/settings/export").status_code == 302


def test_exports_are_rate_limited_per_person(client, auth, mia):
    auth.login("mia")
    token = auth.csrf("/settings/export")
    codes = [client.post("/settings/export", data={"csrf_token": token}).status_code for _ in range(21)]
    assert codes[:20] == [200] * 20 and codes[20] == 429
