"""Admins see every group (secret ones too), archive, delete and change roles; and edit the org tree."""

import json

from sqlalchemy import select

from wilma.accounts.models import OrgUnit
from wilma.core.database import commit
from wilma.extensions import db
from wilma.groups.models import Group

FORGED_NAME = "Kita\n2026-01-01 00:00:00 root user.role mia -> admin"


def test_group_list_shows_secret_groups_with_member_counts(client, as_admin, make_user, make_group):
    anna, ben = make_user("anna"), make_user("ben")
    make_group("Offene Runde", members={anna: "owner", ben: "member"})
    make_group("Personalrat intern", visibility="secret", members={anna: "owner"})
    page = client.get("/admin/groups").get_data(as_text=True)
    assert "Offene Runde" in page and "Personalrat intern" in page and "secret" in page
    rows = page.split("<tr>")
    assert any("Offene Runde" in row and "<td>2</td>" in row for row in rows)
    assert any("Personalrat intern" in row and "<td>1</td>" in row for row in rows)
    assert "Personalrat intern" not in client.get("/admin/groups?q=offen").get_data(as_text=True)


def test_archive_and_delete_are_audited_and_a_forged_name_stays_one_entry(
        client, as_admin, admin, admin_post, make_group, audit_entries, audit_log_lines):
    group = make_group(FORGED_NAME, visibility="secret")
    admin_post(f"/admin/groups/{group.id}/archive", {"archived": "1"})
    db.session.refresh(group)
    assert group.archived_at is not None
    admin_post(f"/admin/groups/{group.id}/archive", {"archived": "0"})
    assert "Delete the group Kita" in client.get(f"/admin/groups/{group.id}/delete").get_data(as_text=True)
    assert admin_post(f"/admin/groups/{group.id}/delete").status_code == 302
    db.session.refresh(group)
    assert group.deleted_at is not None
    link = f'href="/admin/groups/{group.id}"'
    assert link not in client.get("/admin/groups").get_data(as_text=True)
    assert link in client.get("/admin/groups?deleted=1").get_data(as_text=True)

    entries = [e for e in audit_entries() if e.action.startswith("group.")]
    assert [e.action for e in entries] == ["group.archive", "group.unarchive", "group.delete"]
    for entry in entries:
        assert (entry.actor_id, entry.target_type, entry.target_id) == (admin.id, "group", str(group.id))
        assert entry.target_label == "Kita\\n2026-01-01 00:00:00 root user.role mia -> admin"
    lines = [line for line in audit_log_lines() if line["action"].startswith("group.")]
    assert len(lines) == 3  # three entries, three lines: the name's line break forged nothing
    page = client.get("/admin/audit?action=group").get_data(as_text=True)
    assert page.count("<td><code>") == 3


def test_admin_changes_a_member_role_in_a_secret_group(client, as_admin, admin, admin_post, make_user,
                                                     make_group, audit_entries):
    anna = make_user("anna")
    group = make_group("Verschlusssache", visibility="secret", members={anna: "member"})
    assert "anna" in client.get(f"/admin/groups/{group.id}").get_data(as_text=True).lower()
    admin_post(f"/admin/groups/{group.id}/members/{anna.id}/role", {"role": "owner"})
    assert db.session.execute(db.text("SELECT role FROM group_memberships")).scalar() == "owner"
    [entry] = audit_entries("group.member.role")
    assert entry.actor_id == admin.id and entry.target_label == "Verschlusssache"
    assert json.loads(entry.detail) == {"from": "member", "to": "owner", "user_id": anna.id, "username": "anna"}


def test_missing_group_is_404(client, as_admin):
    assert client.get("/admin/groups/999").status_code == 404


def _unit(name: str) -> OrgUnit:
    db.session.expire_all()
    return db.session.scalar(select(OrgUnit).where(OrgUnit.name == name))


def test_org_units_add_rename_move_delete(client, as_admin, admin, admin_post, make_user, audit_entries):
    admin_post("/admin/org", {"name": "Referat für Bildung", "short": "RBS", "kind": "Referat", "parent_id": "0"})
    rbs = _unit("Referat für Bildung")
    admin_post("/admin/org", {"name": "Kita-Amt", "parent_id": str(rbs.id)})
    admin_post("/admin/org", {"name": "IT-Referat", "parent_id": "0"})
    kita, it = _unit("Kita-Amt"), _unit("IT-Referat")
    assert kita.parent_id == rbs.id and "Kita-Amt" in client.get("/organisation").get_data(as_text=True)

    admin_post(f"/admin/org/{kita.id}/rename", {"name": "Amt für Kitas", "short": "KITA"})
    admin_post(f"/admin/org/{kita.id}/move", {"parent_id": str(it.id)})
    kita = _unit("Amt für Kitas")
    assert (kita.short, kita.parent_id) == ("KITA", it.id)

    page = admin_post(f"/admin/org/{it.id}/move", {"parent_id": str(kita.id)})  # below its own sub-unit
    assert page.status_code == 400 and _unit("IT-Referat").parent_id is None
    admin_post(f"/admin/org/{it.id}/delete")
    assert _unit("IT-Referat") is not None  # it still has a sub-unit

    person = make_user("kim")
    person.org_unit_id = kita.id
    commit()
    admin_post(f"/admin/org/{kita.id}/delete")
    assert _unit("Amt für Kitas") is None
    db.session.refresh(person)
    assert person.org_unit_id is None and person.active

    actions = [(e.action, e.target_label) for e in audit_entries() if e.action.startswith("org.")]
    assert actions == [("org.create", "Referat für Bildung"), ("org.create", "Kita-Amt"), ("org.create", "IT-Referat"),
                       ("org.rename", "Amt für Kitas"), ("org.move", "Amt für Kitas"), ("org.delete", "Amt für Kitas")]
    assert all(e.actor_id == admin.id for e in audit_entries() if e.action.startswith("org."))


def test_org_form_errors_are_shown(client, as_admin, admin_post):
    page = admin_post("/admin/org", {"name": "", "parent_id": "0"})
    assert page.status_code == 200 and "field-error" in page.get_data(as_text=True)
    assert db.session.scalar(select(OrgUnit.id)) is None


def test_group_model_is_unchanged_by_listing(client, as_admin, make_group):
    """Listing and viewing as an admin does not join or alter anything."""
    group = make_group("Ruhig")
    client.get("/admin/groups")
    client.get(f"/admin/groups/{group.id}")
    db.session.expire_all()
    assert db.session.get(Group, group.id).memberships == []
