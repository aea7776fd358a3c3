"""Every role against every group action, for public, private and secret groups, through pages and API.

Outcomes: ``ok`` (done), ``conflict`` (refused with a message: the last owner leaving, leaving a group
one is not in), ``forbidden`` (403), ``hidden`` (404, exactly like a missing group), ``login`` (not
logged in: 401 from the API, the login page for pages). For every write the database is checked too:
the action took effect exactly when the outcome is ``ok``.
"""

import uuid

import pytest

from tests.conftest import make_test_app
from tests.groups.conftest import VISIBILITIES, Browser, build_world, is_login_redirect
from wilma.accounts import services as accounts
from wilma.extensions import db
from wilma.groups.models import Group

ROLES = ("anonymous", "outsider", "requester", "member", "moderator", "owner", "admin", "deactivated")
ACTIONS = ("view", "members", "join", "leave", "invite", "approve", "decline", "remove", "role",
           "settings", "archive", "delete")
MODERATORS = {"moderator", "owner", "admin"}
OWNERS = {"owner", "admin"}
MEMBERS = {"member", "moderator", "owner"}


def expected(action: str, role: str, visibility: str) -> str:
    """The rules of ``wilma.groups.services``, written out once more by hand."""
    if role in ("anonymous", "deactivated"):
        return "login"
    if visibility == "secret" and role not in MEMBERS:
        return "hidden"
    if action == "view":
        return "ok"
    if action == "members":
        return "ok" if visibility == "public" or role in MEMBERS else "forbidden"
    if action == "join":
        return "ok"
    if action == "leave":
        if role == "owner":
            return "conflict"  # the last owner
        return "ok" if role in MEMBERS or role == "requester" else "conflict"
    if action == "decline" and role == "requester":
        return "ok"  # withdrawing one's own request
    if action in ("invite", "approve", "decline", "remove", "settings"):
        return "ok" if role in MODERATORS else "forbidden"
    return "ok" if role in OWNERS else "forbidden"  # role, archive, delete


def acting_user(role):
    return {"requester": "requester", "outsider": "outsider", "member": "member", "moderator": "moderator",
            "owner": "owner", "admin": "admin", "deactivated": "deact"}.get(role)


def api_call(browser, world, action, group):
    gid, people = group.id, world.people
    base = f"/api/v1/groups/{gid}"
    return {
        "view": lambda: browser.api("GET", base),
        "members": lambda: browser.api("GET", f"{base}/members"),
        "join": lambda: browser.api("POST", f"{base}/join"),
        "leave": lambda: browser.api("POST", f"{base}/leave"),
        "invite": lambda: browser.api("POST", f"{base}/members", {"user_id": people["target"].id}),
        "approve": lambda: browser.api("POST", f"{base}/members", {"user_id": people["requester"].id}),
        "decline": lambda: browser.api("DELETE", f"{base}/members/{people['requester'].id}"),
        "remove": lambda: browser.api("DELETE", f"{base}/members/{people['other'].id}"),
        "role": lambda: browser.api("PATCH", f"{base}/members/{people['other'].id}", {"role": "moderator"}),
        "settings": lambda: browser.api("PATCH", base, {"description": "changed"}),
        "archive": lambda: browser.api("PATCH", base, {"archived": True}),
        "delete": lambda: browser.api("DELETE", base),
    }[action]()


def page_call(browser, world, action, group):
    gid, people = group.id, world.people
    base = f"/groups/{gid}"
    return {
        "view": lambda: browser.client.get(base),
        "members": lambda: browser.client.get(f"{base}/members"),
        "join": lambda: browser.post(f"{base}/join"),
        "leave": lambda: browser.post(f"{base}/leave"),
        "invite": lambda: browser.post(f"{base}/invite", {"username": people["target"].username}),
        "approve": lambda: browser.post(f"{base}/requests/{people['requester'].id}/approve"),
        "decline": lambda: browser.post(f"{base}/requests/{people['requester'].id}/decline"),
        "remove": lambda: browser.post(f"{base}/members/{people['other'].id}/remove"),
        "role": lambda: browser.post(f"{base}/members/{people['other'].id}/role", {"role": "moderator"}),
        "settings": lambda: browser.post(f"{base}/settings", {
            "name": group.name, "description": "changed", "visibility": group.visibility, "category": "",
            "color": "#0b5cad"}),
        "archive": lambda: browser.post(f"{base}/archive", {"archived": "1"}),
        "delete": lambda: browser.post(f"{base}/delete", {"confirm_name": group.name}),
    }[action]()


def took_effect(world, action, role, group) -> bool | None:
    """Did the write happen? ``None`` for reads."""
    db.session.expire_all()
    user = acting_user(role)
    fresh = db.session.get(Group, group.id)
    if user is None and action in ("join", "leave"):
        return False
    if role == "deactivated" and action == "join":
        return None  # already a member: joining again changes nothing either way
    if action == "join":
        return world.membership(user, group) is not None or (
            group.visibility == "private" and world.pending(user, group) is not None)
    if action == "leave":
        if role in ("outsider", "admin"):
            return None  # nothing to leave; the status says it was refused
        return world.membership(user, group) is None and world.pending(user, group) is None
    if action == "invite":
        return world.pending("target", group) is not None
    if action == "approve":
        return world.membership("requester", group) is not None
    if action == "decline":
        return world.pending("requester", group) is None
    if action == "remove":
        return world.membership("other", group) is None
    if action == "role":
        return world.membership("other", group).role == "moderator"
    if action == "settings":
        return fresh.description == "changed"
    if action == "archive":
        return fresh.is_archived
    if action == "delete":
        return fresh.is_deleted
    return None


def log_in_as(browser, world, role):
    if role == "anonymous":
        return
    assert browser.login(world.people[acting_user(role)].username).status_code == 302
    if role == "deactivated":
        accounts.set_active(world.people["deact"], False)


API_OK = {200, 201, 202, 204}


@pytest.fixture(scope="module")
def matrix_app(tmp_path_factory):
    """One app for the whole matrix (building one per case dominates its run time); each case gets
    its own people and groups in it, so cases stay independent."""
    return make_test_app(tmp_path_factory.mktemp("matrix"), RATELIMIT_ENABLED=False)


@pytest.fixture
def world(matrix_app):
    with matrix_app.app_context():
        yield build_world(prefix=uuid.uuid4().hex[:8])
        db.session.remove()


@pytest.fixture
def browser(matrix_app, world):
    return Browser(matrix_app.test_client())


@pytest.mark.parametrize("visibility", VISIBILITIES)
@pytest.mark.parametrize("role", ROLES)
@pytest.mark.parametrize("action", ACTIONS)
def test_api(world, browser, action, role, visibility):
    group = world.groups[visibility]
    log_in_as(browser, world, role)
    outcome = expected(action, role, visibility)
    response = api_call(browser, world, action, group)
    if outcome == "ok":
        assert response.status_code in API_OK, response.get_data(as_text=True)
    else:
        status = {"conflict": 409, "forbidden": 403, "hidden": 404, "login": 401}[outcome]
        assert response.status_code == status, response.get_data(as_text=True)
        assert "error" in response.get_json()
    if outcome == "hidden":  # exactly like a group that does not exist
        missing = api_call(browser, world, action, _missing_group(group))
        assert missing.status_code == 404
        assert missing.get_json() == response.get_json()
    effect = took_effect(world, action, role, group)
    if effect is not None:
        assert effect == (outcome == "ok")
    if action in ("view", "members") and outcome == "ok":
        body = response.get_data(as_text=True)
        assert (group.name if action == "view" else "Other Person") in body


@pytest.mark.parametrize("visibility", VISIBILITIES)
@pytest.mark.parametrize("role", ROLES)
@pytest.mark.parametrize("action", ACTIONS)
def test_pages(world, browser, action, role, visibility):
    group = world.groups[visibility]
    log_in_as(browser, world, role)
    outcome = expected(action, role, visibility)
    response = page_call(browser, world, action, group)
    reading = action in ("view", "members")
    if outcome == "login":
        assert is_login_redirect(response)
    elif outcome in ("ok", "conflict"):
        assert response.status_code == (200 if reading else 302)
    else:
        assert response.status_code == {"forbidden": 403, "hidden": 404}[outcome]
    if outcome == "hidden":
        missing = page_call(browser, world, action, _missing_group(group))
        assert missing.status_code == 404
        assert group.name not in response.get_data(as_text=True)
    if reading and outcome == "ok":
        assert (group.name if action == "view" else "Other Person") in response.get_data(as_text=True)
    effect = took_effect(world, action, role, group)
    if effect is not None:
        assert effect == (outcome == "ok")


class _Missing:
    def __init__(self, group):
        self.id = group.id + 1000
        self.name = group.name
        self.visibility = group.visibility


def _missing_group(group):
    return _Missing(group)
