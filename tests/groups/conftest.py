"""Fixtures for the group tests: one group of each visibility with a person in every role."""

import re

import pytest

from tests.conftest import csrf_from
from wilma.core.database import commit
from wilma.extensions import db
from wilma.groups import services
from wilma.groups.models import MEMBER, MODERATOR, GroupMembership, GroupRequest

VISIBILITIES = ("public", "private", "secret")


class World:
    """People by role name and groups by visibility; ``member_of(user, group)`` reads the database."""

    def __init__(self, people, groups):
        self.people = people
        self.groups = groups

    def membership(self, username, group):
        return db.session.scalar(db.select(GroupMembership).where(
            GroupMembership.group_id == group.id, GroupMembership.user_id == self.people[username].id))

    def pending(self, username, group):
        return db.session.scalar(db.select(GroupRequest).where(
            GroupRequest.group_id == group.id, GroupRequest.user_id == self.people[username].id))


@pytest.fixture
def world(app, make_user):
    """owner, moderator, member, other (a second member), requester (pending request), outsider, target
    (someone to invite), admin (site admin, not a member), deact (a member, deactivated by the test)."""
    people = {name: make_user(name, display_name=f"{name.title()} Person") for name in
              ("owner", "moderator", "member", "other", "requester", "outsider", "target", "deact")}
    people["admin"] = make_user("admin", admin=True, display_name="Admin Person")
    groups = {}
    for visibility in VISIBILITIES:
        group = services.create_group(people["owner"], {
            "name": f"{visibility.title()} Gruppe", "visibility": visibility,
            "description": f"About the {visibility} group"})
        for name, role in (("moderator", MODERATOR), ("member", MEMBER), ("other", MEMBER), ("deact", MEMBER)):
            db.session.add(GroupMembership(group_id=group.id, user_id=people[name].id, role=role))
        db.session.add(GroupRequest(group_id=group.id, user_id=people["requester"].id, kind="request"))
        groups[visibility] = group
    commit()
    return World(people, groups)


class Browser:
    """A test client acting as one person through pages and the API, CSRF included."""

    def __init__(self, client):
        self.client = client

    def token(self) -> str:
        page = self.client.get("/settings/profile")
        if page.status_code != 200:
            page = self.client.get("/login")
        return csrf_from(page.get_data(as_text=True))

    def post(self, path, data=None):
        return self.client.post(path, data={"csrf_token": self.token(), **(data or {})})

    def api(self, method, path, json=None):
        headers = {"X-CSRFToken": self.token()} if method != "GET" else {}
        return self.client.open(path, method=method, json=json, headers=headers)


@pytest.fixture
def browser(client):
    return Browser(client)


def is_login_redirect(response) -> bool:
    return response.status_code == 302 and bool(re.search(r"/login", response.headers.get("Location", "")))


@pytest.fixture(autouse=True)
def fast_password_hashes(monkeypatch):
    """One PBKDF2 round instead of scrypt: the matrix creates and logs in hundreds of people."""
    from werkzeug.security import generate_password_hash

    monkeypatch.setattr("wilma.accounts.services.generate_password_hash",
                        lambda password: generate_password_hash(password, method="pbkdf2:sha256:1"))
