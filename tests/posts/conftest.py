"""Fixtures for posts: groups and memberships made directly with the models, a fast API caller."""

import pytest

from wilma.core.database import commit
from wilma.extensions import db
from wilma.groups.models import Group, GroupMembership


@pytest.fixture
def app_config():
    """High write limits, so that batch tests are not stopped by the per-person rates."""
    return {"WILMA_POSTS_RATE_LIMIT": "100000 per minute", "WILMA_COMMENTS_RATE_LIMIT": "100000 per minute",
            "WILMA_UPLOADS_RATE_LIMIT": "1000 per minute"}


@pytest.fixture
def make_group(app):
    """``make_group("Name", visibility, owner=user, members=[...], moderators=[...], archived=False)``."""

    def factory(name="Team", visibility="public", *, owner=None, members=(), moderators=(), archived=False):
        from wilma.core.models import utcnow

        group = Group(name=name, visibility=visibility, created_by_id=owner.id if owner else None,
                      archived_at=utcnow() if archived else None)
        db.session.add(group)
        db.session.flush()
        for role, people in (("owner", [owner] if owner else []), ("moderator", moderators), ("member", members)):
            for person in people:
                db.session.add(GroupMembership(group_id=group.id, user_id=person.id, role=role))
        commit()
        from wilma.core.security import forget_group_cache

        forget_group_cache()
        return group

    return factory


class Api:
    """JSON calls as a logged-in browser, with the CSRF token fetched once per login."""

    def __init__(self, client, auth):
        self.client, self.auth, self.token = client, auth, None

    def login(self, username):
        """Log in as ``username`` (logging out whoever was logged in before)."""
        if self.token:
            self.auth.logout()
        self.auth.login(username)
        self.token = self.auth.csrf("/settings/profile")

    def __call__(self, method, path, json=None, **kwargs):
        headers = {"X-CSRFToken": self.token} if method != "GET" and self.token else {}
        return self.client.open(path, method=method, json=json, headers=headers, **kwargs)


@pytest.fixture
def api(client, auth):
    return Api(client, auth)


@pytest.fixture
def people(make_user):
    """A cast for permission tests: owner, moderator, member, outsider, admin, deactivated."""

    cast = {name: make_user(name) for name in ("owner", "moderator", "member", "outsider", "dora")}
    cast["admin"] = make_user("admin", admin=True)
    cast["gone"] = make_user("gone")
    return cast
