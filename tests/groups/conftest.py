"""Fixtures for the group tests: one group of each visibility with a person in every role."""

import re

import pytest

from tests.conftest import PASSWORD, csrf_from
from wilma.core.database import commit
from wilma.extensions import db, socketio
from wilma.groups import services
from wilma.groups.models import MEMBER, MODERATOR, GroupMembership, GroupRequest

VISIBILITIES = ("public", "private", "secret")


class World:
    """People by role name and groups by visibility; ``member_of(user, group)`` reads the database."""

    def __init__(self, people, groups):
        self.people = people
        self.groups = groups

    def membership(self, role, group):
        return db.session.scalar(db.select(GroupMembership).where(
            GroupMembership.group_id == group.id, GroupMembership.user_id == self.people[role].id))

    def pending(self, role, group):
        return db.session.scalar(db.select(GroupRequest).where(
            GroupRequest.group_id == group.id, GroupRequest.user_id == self.people[role].id))


def build_world(prefix: str = "") -> World:
    """owner, moderator, member, other (a second member), requester (pending request), outsider, target
    (someone to invite), admin (site admin, not a member), deact (a member, deactivated by the test).

    Usernames carry ``prefix`` so that several worlds can share one database."""
    from wilma.accounts import services as accounts

    def person(name, admin=False):
        user = accounts.create_user(f"{prefix}{name}", PASSWORD, email=f"{prefix}{name}@example.org",
                                    display_name=f"{name.title()} Person", is_admin=admin)
        commit()
        return user

    people = {name: person(name) for name in
              ("owner", "moderator", "member", "other", "requester", "outsider", "target", "deact")}
    people["admin"] = person("admin", admin=True)
    groups = {}
    for visibility in VISIBILITIES:
        group = services.create_group(people["owner"], {
            "name": f"{prefix}{visibility.title()} Gruppe", "visibility": visibility,
            "description": f"About the {visibility} group"})
        for name, role in (("moderator", MODERATOR), ("member", MEMBER), ("other", MEMBER), ("deact", MEMBER)):
            db.session.add(GroupMembership(group_id=group.id, user_id=people[name].id, role=role))
        db.session.add(GroupRequest(group_id=group.id, user_id=people["requester"].id, kind="request"))
        groups[visibility] = group
    commit()
    return World(people, groups)


@pytest.fixture
def world(app):
    """A fresh world in the test's own app."""
    return build_world()


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

    def login(self, username):
        return self.client.post("/login", data={"login": username, "password": PASSWORD,
                                                "csrf_token": self.token()})

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


@pytest.fixture
def connect(app):
    """``connect(username)`` -> (browser, socket client), both logged in as that person."""
    sockets = []

    def factory(username):
        browser = Browser(app.test_client())
        assert browser.login(username).status_code == 302
        socket = socketio.test_client(app, flask_test_client=browser.client)
        assert socket.is_connected()
        sockets.append(socket)
        return browser, socket

    yield factory
    for socket in sockets:
        if socket.is_connected():
            socket.disconnect()


def events(socket, name):
    return [event["args"][0] for event in socket.get_received() if event["name"] == name]
