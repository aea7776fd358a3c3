"""Fixtures of the admin tests: a logged-in admin, groups, and reading the audit log back."""

import json
import logging

import pytest
from sqlalchemy import select

from wilma.admin.models import AuditEntry
from wilma.core.database import commit
from wilma.extensions import db


@pytest.fixture
def admin(make_user):
    """An administrator account (not logged in)."""
    return make_user("root", admin=True, display_name="Rita Root")


@pytest.fixture
def as_admin(client, auth, admin):
    """The test client, logged in as ``admin``; returns the ``Auth`` helper."""
    assert auth.login("root").status_code == 302
    return auth


@pytest.fixture
def other_client(app, auth):
    """A second browser (an ``Auth`` helper of its own), for checks from another session."""
    return type(auth)(app.test_client())


@pytest.fixture
def make_group(app, make_user):
    """Create a group directly: ``make_group("Bauamt", visibility="secret", members={user: "owner"})``."""
    from wilma.groups.models import Group, GroupMembership

    def factory(name="Team", *, visibility="public", members=None, created_by=None):
        group = Group(name=name, visibility=visibility, created_by_id=created_by.id if created_by else None)
        db.session.add(group)
        db.session.flush()
        for user, role in (members or {}).items():
            db.session.add(GroupMembership(group_id=group.id, user_id=user.id, role=role))
        commit()
        return group

    return factory


@pytest.fixture
def audit_entries(app):
    """``audit_entries(action=None)``: the stored audit entries (oldest first), optionally of one action."""
    return _audit_entries


def _audit_entries(action: str | None = None) -> list[AuditEntry]:
    db.session.expire_all()
    stmt = select(AuditEntry).order_by(AuditEntry.id)
    if action:
        stmt = stmt.where(AuditEntry.action == action)
    return list(db.session.scalars(stmt))


@pytest.fixture
def audit_log_lines(caplog):
    """``audit_log_lines()``: what the ``wilma.audit`` logger wrote, each record parsed as one JSON line."""
    caplog.set_level(logging.INFO, logger="wilma.audit")
    return lambda: _log_lines(caplog)


def _log_lines(caplog) -> list[dict]:
    lines = []
    for record in caplog.records:
        if record.name == "wilma.audit":
            message = record.getMessage()
            assert "\n" not in message and "\r" not in message
            lines.append(json.loads(message))
    return lines


@pytest.fixture
def admin_post(as_admin):
    """``admin_post(path, data)``: a form POST as the logged-in admin, CSRF token included."""
    return lambda path, data=None: as_admin.post(path, {"csrf_token": as_admin.csrf("/admin/"), **(data or {})})
