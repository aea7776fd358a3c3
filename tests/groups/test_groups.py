"""Group behaviour a person notices: leaving as last owner, archive, directory, invitations, delete,
pictures, plugin hooks, seeding the plugins' default groups, the demo."""

import io
import types

from PIL import Image

from wilma.core.errors import PermissionDenied
from wilma.core.hookspecs import hookimpl
from wilma.extensions import db
from wilma.groups import services
from wilma.groups.models import Group


def test_last_owner_cannot_leave_until_someone_else_owns(world, auth, browser):
    group = world.groups["private"]
    auth.login("owner")
    refused = browser.api("POST", f"/api/v1/groups/{group.id}/leave")
    assert refused.status_code == 409
    assert "last owner" in refused.get_json()["error"]["message"]
    page = browser.client.post(f"/groups/{group.id}/leave", data={"csrf_token": browser.token()},
                               follow_redirects=True)
    assert "last owner" in page.get_data(as_text=True)
    assert world.membership("owner", group).role == "owner"
    demote = browser.api("PATCH", f"/api/v1/groups/{group.id}/members/{world.people['owner'].id}",
                         {"role": "member"})
    assert demote.status_code == 409
    handed = browser.api("PATCH", f"/api/v1/groups/{group.id}/members/{world.people['member'].id}",
                         {"role": "owner"})
    assert handed.status_code == 200 and handed.get_json()["role"] == "owner"
    assert browser.api("POST", f"/api/v1/groups/{group.id}/leave").status_code == 204
    assert world.membership("owner", group) is None


def test_archived_group_is_read_only(world, auth, browser):
    group = world.groups["public"]
    auth.login("owner")
    assert browser.api("PATCH", f"/api/v1/groups/{group.id}", {"archived": True}).get_json()["archived"]
    refused = browser.api("PATCH", f"/api/v1/groups/{group.id}", {"description": "new"})
    assert refused.status_code == 403 and "archived" in refused.get_json()["error"]["message"]
    invite = browser.api("POST", f"/api/v1/groups/{group.id}/members", {"user_id": world.people["target"].id})
    assert invite.status_code == 403
    try:
        services.ensure_writable(db.session.get(Group, group.id))
        raise AssertionError("an archived group accepted a write")
    except PermissionDenied:
        pass
    page = browser.client.get(f"/groups/{group.id}").get_data(as_text=True)
    assert "archived" in page and "Join group" not in page
    auth.logout()
    auth.login("outsider")
    assert browser.api("POST", f"/api/v1/groups/{group.id}/join").status_code == 403
    auth.logout()
    auth.login("member")
    assert browser.api("POST", f"/api/v1/groups/{group.id}/leave").status_code == 204
    auth.logout()
    auth.login("owner")
    browser.api("PATCH", f"/api/v1/groups/{group.id}", {"archived": False})
    assert browser.api("PATCH", f"/api/v1/groups/{group.id}", {"description": "new"}).status_code == 200


def test_directory_lists_mine_search_and_categories(world, auth, browser):
    auth.login("owner")
    browser.api("PATCH", f"/api/v1/groups/{world.groups['public'].id}", {"category": "Mobilität"})
    auth.logout()
    auth.login("outsider")
    page = browser.client.get("/groups").get_data(as_text=True)
    assert "Public Gruppe" in page and "Private Gruppe" in page and "Secret Gruppe" not in page
    assert "You are not a member of any group yet." in page
    found = browser.client.get("/groups?q=priv").get_data(as_text=True)
    assert "Private Gruppe" in found and "Public Gruppe" not in found
    by_category = browser.client.get("/groups?category=Mobilität").get_data(as_text=True)
    assert "Public Gruppe" in by_category and "Private Gruppe" not in by_category
    names = [g["name"] for g in browser.api("GET", "/api/v1/groups?q=gruppe").get_json()["items"]]
    assert sorted(names) == ["Private Gruppe", "Public Gruppe"]
    assert browser.api("GET", "/api/v1/groups?q=secret").get_json()["items"] == []
    assert browser.api("GET", "/api/v1/groups?mine=1").get_json()["items"] == []
    auth.logout()
    auth.login("member")
    mine = [g["name"] for g in browser.api("GET", "/api/v1/groups?mine=1").get_json()["items"]]
    assert sorted(mine) == ["Private Gruppe", "Public Gruppe", "Secret Gruppe"]


def test_api_list_is_paged_with_a_cursor(app, auth, browser, make_user):
    owner = make_user("pager")
    for n in range(5):
        services.create_group(owner, {"name": f"Gruppe {n}"})
    auth.login("pager")
    first = browser.api("GET", "/api/v1/groups?limit=2").get_json()
    second = browser.api("GET", f"/api/v1/groups?limit=2&cursor={first['next_cursor']}").get_json()
    third = browser.api("GET", f"/api/v1/groups?limit=2&cursor={second['next_cursor']}").get_json()
    names = [g["name"] for page in (first, second, third) for g in page["items"]]
    assert names == [f"Gruppe {n}" for n in range(5)] and third["next_cursor"] is None


def test_invitation_to_a_secret_group_is_accepted_from_the_invitations_page(world, auth, browser):
    group = world.groups["secret"]
    auth.login("owner")
    assert browser.api("POST", f"/api/v1/groups/{group.id}/members",
                       {"user_id": world.people["target"].id}).get_json()["status"] == "invited"
    auth.logout()
    auth.login("target")
    assert browser.client.get(f"/groups/{group.id}").status_code == 404
    invitations = browser.client.get("/groups/invitations").get_data(as_text=True)
    assert "Secret Gruppe" in invitations
    accepted = browser.post(f"/groups/invitations/{group.id}/accept")
    assert accepted.status_code == 302
    assert world.membership("target", group).role == "member"
    assert browser.client.get(f"/groups/{group.id}").status_code == 200


def test_private_group_request_then_approval_via_pages(world, auth, browser):
    group = world.groups["private"]
    auth.login("outsider")
    browser.post(f"/groups/{group.id}/join")
    assert world.pending("outsider", group).kind == "request"
    assert "Request sent" in browser.client.get(f"/groups/{group.id}").get_data(as_text=True)
    auth.logout()
    auth.login("moderator")
    requests_page = browser.client.get(f"/groups/{group.id}/requests").get_data(as_text=True)
    assert "Outsider Person" in requests_page
    browser.post(f"/groups/{group.id}/requests/{world.people['outsider'].id}/approve")
    assert world.membership("outsider", group) is not None


def test_delete_needs_the_typed_name(world, auth, browser):
    group = world.groups["public"]
    auth.login("owner")
    confirm = browser.client.get(f"/groups/{group.id}/delete")
    assert confirm.status_code == 200 and "Type the group" in confirm.get_data(as_text=True)
    wrong = browser.post(f"/groups/{group.id}/delete", {"confirm_name": "something else"})
    assert wrong.status_code == 200 and browser.client.get(f"/groups/{group.id}").status_code == 200
    browser.post(f"/groups/{group.id}/delete", {"confirm_name": group.name})
    assert browser.client.get(f"/groups/{group.id}").status_code == 404
    assert browser.api("GET", f"/api/v1/groups/{group.id}").status_code == 404


def test_create_group_through_the_page(app, auth, browser, make_user):
    make_user("creator")
    auth.login("creator")
    response = browser.post("/groups/new", {"name": "Neue Gruppe", "description": "**fett**",
                                            "visibility": "private", "category": "IT", "color": "#112233"})
    assert response.status_code == 302
    page = browser.client.get(response.headers["Location"]).get_data(as_text=True)
    assert "Neue Gruppe" in page and "<strong>fett</strong>" in page and 'fill="#112233"' in page
    empty = browser.post("/groups/new", {"name": "  ", "visibility": "public"})
    assert empty.status_code == 200 and "field-error" in empty.get_data(as_text=True)


def _png() -> bytes:
    buffer = io.BytesIO()
    Image.new("RGB", (30, 20), (200, 10, 10)).save(buffer, "PNG")
    return buffer.getvalue()


def test_group_picture_upload_and_who_may_see_it(world, auth, browser):
    group = world.groups["secret"]
    auth.login("owner")
    response = browser.client.post(f"/groups/{group.id}/image", data={
        "csrf_token": browser.token(), "image": (io.BytesIO(_png()), "x.png")}, content_type="multipart/form-data")
    assert response.status_code == 302
    image = browser.client.get(f"/groups/{group.id}/image")
    assert image.status_code == 200 and image.mimetype == "image/png"
    assert Image.open(io.BytesIO(image.data)).size == (256, 256)
    bad = browser.client.post(f"/groups/{group.id}/image", data={
        "csrf_token": browser.token(), "image": (io.BytesIO(b"<svg onload=alert(1)>"), "x.png")},
        content_type="multipart/form-data", follow_redirects=True)
    assert "not an image" in bad.get_data(as_text=True)
    auth.logout()
    auth.login("outsider")
    assert browser.client.get(f"/groups/{group.id}/image").status_code == 404


def test_plugin_hooks_hear_group_created_and_member_joined(app, world, auth, browser):
    heard = []
    listener = types.SimpleNamespace(
        wilma_group_created=hookimpl(lambda group, user: heard.append(("created", group.name, user.username))),
        wilma_member_joined=hookimpl(lambda group, user: heard.append(("joined", group.name, user.username))))
    app.extensions["wilma_plugins"].manager.register(listener, name="listener")
    auth.login("outsider")
    created = browser.api("POST", "/api/v1/groups", {"name": "Hook-Gruppe"})
    assert created.status_code == 201
    browser.api("POST", f"/api/v1/groups/{world.groups['public'].id}/join")
    browser.api("POST", f"/api/v1/groups/{world.groups['private'].id}/join")  # only a request
    assert heard == [("created", "Hook-Gruppe", "outsider"), ("joined", "Public Gruppe", "outsider")]


def test_seed_defaults_command_creates_plugin_groups_once(tmp_path):
    from tests.conftest import make_test_app

    app = make_test_app(tmp_path, WILMA_PLUGINS=["muenchen"])
    runner = app.test_cli_runner()
    first = runner.invoke(args=["wilma", "groups", "seed-defaults"])
    assert first.exit_code == 0 and "Willi" in first.output
    again = runner.invoke(args=["wilma", "groups", "seed-defaults"])
    assert "0 default group(s) created" in again.output
    with app.app_context():
        assert db.session.scalar(db.select(db.func.count()).where(Group.name == "Willi")) == 1


def test_demo_groups_have_every_visibility_and_respect_secrecy(app, auth, browser):
    from wilma.demo import load_demo

    load_demo(echo=lambda *_: None)
    names = {g.name: g for g in db.session.scalars(db.select(Group))}
    assert {"Intranet-Redaktion", "Radverkehr", "Azubis", "Digitalisierungsboard", "Personalrat intern"} <= set(names)
    auth.login("anna", password="wilma-demo-2026")
    assert browser.client.get(f"/groups/{names['Personalrat intern'].id}").status_code == 404
    assert browser.client.get(f"/groups/{names['Digitalisierungsboard'].id}/members").status_code == 200



def test_creating_and_joining_are_rate_limited_with_a_message(world, auth, browser):
    auth.login("outsider")
    statuses = [browser.api("POST", "/api/v1/groups", {"name": f"Spam {n}"}).status_code for n in range(21)]
    assert statuses == [201] * 20 + [429]
    page = browser.post("/groups/new", {"name": "Noch eine", "visibility": "public"})
    assert page.status_code == 429 and "too often" in page.get_data(as_text=True)
    group = world.groups["private"]
    for _ in range(30):
        browser.api("POST", f"/api/v1/groups/{group.id}/join")
        browser.api("POST", f"/api/v1/groups/{group.id}/leave")
    refused = browser.api("POST", f"/api/v1/groups/{group.id}/join")
    assert refused.status_code == 429
    assert refused.get_json()["error"]["code"] == "rate_limited"


def test_group_pages_and_notifications_speak_german(world, auth, browser):
    world.people["outsider"].locale = "de"
    db.session.commit()
    auth.login("outsider")
    page = browser.client.get("/groups").get_data(as_text=True)
    assert "Meine Gruppen" in page and "Alle Gruppen" in page
    group = world.groups["private"]
    assert "Beitritt anfragen" in browser.client.get(f"/groups/{group.id}").get_data(as_text=True)
    refused = browser.api("POST", f"/api/v1/groups/{group.id}/leave")
    assert refused.get_json()["error"]["message"] == "Sie sind kein Mitglied dieser Gruppe."


def test_moderators_list_open_requests_and_invitations_through_the_api(world, auth, browser):
    group = world.groups["private"]
    auth.login("moderator")
    browser.api("POST", f"/api/v1/groups/{group.id}/members", {"user_id": world.people["target"].id})
    listed = browser.api("GET", f"/api/v1/groups/{group.id}/requests").get_json()["items"]
    assert [(i["username"], i["kind"]) for i in listed] == [("requester", "request"), ("target", "invite")]
    auth.logout()
    auth.login("member")
    assert browser.api("GET", f"/api/v1/groups/{group.id}/requests").status_code == 403
    auth.logout()
    auth.login("outsider")
    assert browser.api("GET", f"/api/v1/groups/{world.groups['secret'].id}/requests").status_code == 404


def test_member_preview_puts_owners_and_moderators_first_and_stays_small(app, make_user):
    from wilma.core.database import commit
    from wilma.groups.models import GroupMembership

    people = [make_user(f"p{i:02d}", display_name=f"Person {25 - i:02d}") for i in range(25)]
    group = Group(name="Big", visibility="public")
    db.session.add(group)
    db.session.flush()
    for i, person in enumerate(people):
        role = "owner" if i == 20 else "moderator" if i in (3, 21) else "member"
        db.session.add(GroupMembership(group_id=group.id, user_id=person.id, role=role))
    commit()
    preview = services.members(group, limit=6)
    assert [m.role for m in preview] == ["owner", "moderator", "moderator", "member", "member", "member"]
    assert [m.user.display_name for m in preview[1:3]] == ["Person 04", "Person 22"]  # by name
    names = [m.user.display_name for m in preview[3:]]
    assert names == sorted(names) and len({m.user_id for m in preview}) == 6
    everyone = services.members(group)
    assert len(everyone) == 25 and [m.role for m in everyone[:3]] == ["owner", "moderator", "moderator"]
    small = services.members(group, limit=100)
    assert [m.id for m in small] == [m.id for m in everyone]  # a group smaller than the preview: same order
