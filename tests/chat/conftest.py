"""Chat fixtures: groups made straight from the models, logged-in HTTP clients and Socket.IO clients."""

import pytest
from flask.ctx import RequestContext

from tests.conftest import Auth
from wilma.core.database import commit
from wilma.extensions import db, socketio
from wilma.groups.models import MEMBER, Group, GroupMembership


class FreshRequestState(RequestContext):
    """A request context that forgets the previous request's user.

    The ``app`` fixture keeps one app context pushed for the whole test and Flask reuses it for every
    request, so ``g`` (where Flask-Login keeps the current user and Flask-WTF the CSRF token) would
    carry one person's login into the next request or socket event of another. In production every
    request has its own ``g``.
    """

    def push(self):
        super().push()
        from flask import g

        g.__dict__.clear()


@pytest.fixture(autouse=True)
def fresh_request_state(request, monkeypatch):
    if "app" not in request.fixturenames:
        return  # real-server tests have no app in this process
    app = request.getfixturevalue("app")
    monkeypatch.setattr(app, "request_context", lambda environ: FreshRequestState(app, environ))


@pytest.fixture
def make_group(app):
    """``make_group("Radverkehr", members=[anna, ben], visibility="private")`` (models only, no services)."""

    def factory(name="Team", *, members=(), visibility="public"):
        group = Group(name=name, visibility=visibility)
        db.session.add(group)
        db.session.flush()
        for user in members:
            db.session.add(GroupMembership(group_id=group.id, user_id=user.id, role=MEMBER))
        commit()
        return group

    return factory


@pytest.fixture
def login_as(app):
    """``client, auth = login_as("anna")``: a separate logged-in browser per person."""

    def factory(username):
        client = app.test_client()
        auth = Auth(client)
        response = auth.login(username)
        assert response.status_code == 302, "login failed"
        return client, auth

    return factory


@pytest.fixture
def sock(app, login_as):
    """``sock("anna")``: a connected Socket.IO test client with anna's login session."""
    made = []

    def factory(username, client=None):
        client = client or login_as(username)[0]
        sio = socketio.test_client(app, flask_test_client=client)
        assert sio.is_connected(), "socket refused"
        sio.get_received()  # presence announcements of the connect itself
        made.append(sio)
        return sio

    yield factory
    for sio in made:
        if sio.is_connected():
            sio.disconnect()


def events(sio, name):
    """The payloads of event ``name`` received since the last call (others are dropped)."""
    return [item["args"][0] for item in sio.get_received() if item["name"] == name]
