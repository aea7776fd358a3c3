"""Admins manage accounts: create, deactivate, reactivate, roles, password reset; each one audited."""

import json

from sqlalchemy import select

from wilma.accounts.models import User
from wilma.extensions import db

INITIAL = "Initial-Pass-4711-geheim"


def _fields(entry) -> str:
    return " ".join(str(getattr(entry, c.name)) for c in entry.__table__.columns)


def test_create_account_is_audited_without_the_password(client, as_admin, admin, admin_post, audit_entries,
                                                        audit_log_lines, caplog, other_client):
    response = admin_post("/admin/users/new", {"username": "neu.kollege", "display_name": "Neuer Kollege",
                                               "email": "neu@example.org", "password": INITIAL})
    assert response.status_code == 302
    user = db.session.scalar(select(User).where(User.username == "neu.kollege"))
    assert user is not None and user.display_name == "Neuer Kollege" and not user.is_admin

    [entry] = audit_entries("user.create")
    assert (entry.actor_id, entry.actor_name, entry.target_id, entry.target_label) == (
        admin.id, "root", str(user.id), "neu.kollege")
    for row in audit_entries():
        assert INITIAL not in _fields(row)
    assert INITIAL not in caplog.text
    assert any(line["action"] == "user.create" for line in audit_log_lines())
    assert other_client.login("neu.kollege", INITIAL).status_code == 302  # the account works


def test_create_account_shows_field_errors(client, as_admin, admin_post, make_user):
    make_user("taken")
    page = admin_post("/admin/users/new", {"username": "taken", "display_name": "X", "password": INITIAL})
    assert page.status_code == 200 and "The username taken is taken." in page.get_data(as_text=True)
    page = admin_post("/admin/users/new", {"username": "ok-name", "display_name": "X", "password": "short"})
    assert "at least 10 characters" in page.get_data(as_text=True)


def test_deactivation_ends_the_other_session_and_reactivation_restores_login(
        client, as_admin, admin, admin_post, make_user, other_client, audit_entries):
    mia = make_user("mia")
    other_client.login("mia")
    assert other_client.client.get("/people").status_code == 200

    admin_post(f"/admin/users/{mia.id}/active", {"active": "0"})
    db.session.refresh(mia)
    assert not mia.active
    assert other_client.client.get("/people").status_code == 302  # logged out at once
    assert other_client.login("mia").status_code == 200  # and cannot log in again

    admin_post(f"/admin/users/{mia.id}/active", {"active": "1"})
    assert other_client.login("mia").status_code == 302
    assert [(e.action, e.actor_id, e.target_label) for e in audit_entries() if e.action.startswith("user.")] == [
        ("user.deactivate", admin.id, "mia"), ("user.reactivate", admin.id, "mia")]


def test_make_and_revoke_admin(client, as_admin, admin, admin_post, make_user, other_client, audit_entries):
    mia = make_user("mia")
    other_client.login("mia")
    assert other_client.client.get("/admin/").status_code == 403
    admin_post(f"/admin/users/{mia.id}/admin", {"admin": "1"})
    assert other_client.client.get("/admin/").status_code == 200
    admin_post(f"/admin/users/{mia.id}/admin", {"admin": "0"})
    assert other_client.client.get("/admin/").status_code == 403
    roles = [(e.actor_id, e.target_label, json.loads(e.detail)) for e in audit_entries("user.role")]
    assert roles == [(admin.id, "mia", {"from": "member", "to": "admin"}),
                     (admin.id, "mia", {"from": "admin", "to": "member"})]


def test_admin_cannot_lock_themselves_out(client, as_admin, admin, admin_post, audit_entries):
    page = client.get(f"/admin/users/{admin.id}").get_data(as_text=True)
    assert "You cannot deactivate, demote or delete your own account." in page
    response = admin_post(f"/admin/users/{admin.id}/active", {"active": "0"})
    assert "You cannot do this to your own account." in client.get(response.headers["Location"]).get_data(
        as_text=True)
    admin_post(f"/admin/users/{admin.id}/admin", {"admin": "0"})
    db.session.refresh(admin)
    assert admin.active and admin.is_admin
    assert client.get("/admin/").status_code == 200
    assert not audit_entries("user.deactivate") and not audit_entries("user.role")


def test_password_reset_ends_sessions_and_is_audited_without_the_password(
        client, as_admin, admin, admin_post, make_user, other_client, audit_entries, caplog):
    mia = make_user("mia")
    other_client.login("mia")
    new = "Brand-New-Pass-0815"
    response = admin_post(f"/admin/users/{mia.id}/password", {"new_password": new, "confirm": new})
    assert response.status_code == 302
    assert other_client.client.get("/people").status_code == 302  # her session ended
    assert other_client.login("mia").status_code == 200  # the old password no longer works
    assert other_client.login("mia", new).status_code == 302
    [entry] = audit_entries("user.password_reset")
    assert (entry.actor_id, entry.target_label, json.loads(entry.detail)) == (admin.id, "mia",
                                                                              {"sessions_ended": 1})
    assert all(new not in _fields(e) for e in audit_entries()) and new not in caplog.text


def test_password_reset_errors_stay_in_the_form(client, as_admin, admin_post, make_user):
    mia = make_user("mia")
    page = admin_post(f"/admin/users/{mia.id}/password", {"new_password": "short", "confirm": "short"})
    assert page.status_code == 400 and "at least 10 characters" in page.get_data(as_text=True)
    page = admin_post(f"/admin/users/{mia.id}/password", {"new_password": "a" * 12, "confirm": "b" * 12})
    assert "The passwords differ." in page.get_data(as_text=True)


def test_user_list_searches_all_accounts_with_status_and_role(client, as_admin, admin_post, make_user):
    mia = make_user("mia", display_name="Mia Inaktiv")
    make_user("max", display_name="Max Aktiv")
    admin_post(f"/admin/users/{mia.id}/active", {"active": "0"})
    page = client.get("/admin/users?q=inaktiv").get_data(as_text=True)
    assert "Mia Inaktiv" in page and "deactivated" in page and "Max Aktiv" not in page
    page = client.get("/admin/users").get_data(as_text=True)
    assert "Rita Root" in page and "<strong>admin</strong>" in page and "Max Aktiv" in page
