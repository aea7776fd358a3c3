"""Shared fixtures: a fresh app on a temporary database and index, clients, and factories.

The suite runs on SQLite by default and on PostgreSQL when ``WILMA_TEST_DATABASE_URL`` is set (each
test then gets fresh tables in that database). Plugins are off unless a test passes ``WILMA_PLUGINS``.
"""

import os
import re

import pytest
from sqlalchemy import text

from wilma import create_app
from wilma.core.database import commit
from wilma.extensions import db

PASSWORD = "correct horse battery"


def test_database_url(tmp_path) -> str:
    return os.environ.get("WILMA_TEST_DATABASE_URL") or f"sqlite:///{tmp_path / 'test.db'}"


def make_test_app(tmp_path, **overrides):
    """An app on a temporary instance folder, with its tables created (tests only: no migrations)."""
    config = {
        "TESTING": True,
        "INSTANCE_PATH": str(tmp_path / "instance"),
        "WILMA_DATABASE_URL": test_database_url(tmp_path),
        "WILMA_SECRET_KEY": "test-secret",
        "WILMA_PLUGINS": [],
        "WILMA_DEFAULT_LOCALE": "en",
        "RATELIMIT_ENABLED": True,
        "WILMA_SEED_ON_START": False,  # tables are created after the app; tests seed explicitly
    }
    config.update(overrides)
    app = create_app(config)
    with app.app_context():
        if db.engine.dialect.name == "postgresql":
            db.session.execute(text("DROP SCHEMA public CASCADE; CREATE SCHEMA public"))
            db.session.commit()
        db.create_all()
    return app


@pytest.fixture
def app_config():
    """Override in a test module (or parametrize) to pass extra configuration to ``app``."""
    return {}


@pytest.fixture
def app(tmp_path, app_config):
    """A fresh app with empty tables, inside an app context."""
    application = make_test_app(tmp_path, **app_config)
    with application.app_context():
        yield application
        db.session.remove()
        db.engine.dispose()


@pytest.fixture
def client(app):
    return app.test_client()


@pytest.fixture
def runner(app):
    return app.test_cli_runner()


@pytest.fixture
def make_user(app):
    """Create a user: ``make_user("anna", admin=True, display_name=...)``; password is ``PASSWORD``."""
    from wilma.accounts import services

    counter = {"n": 0}

    def factory(username=None, *, admin=False, password=PASSWORD, **fields):
        counter["n"] += 1
        username = username or f"user{counter['n']}"
        user = services.create_user(username, password, email=f"{username}@example.org",
                                    display_name=fields.pop("display_name", username.title()),
                                    is_admin=admin, **fields)
        commit()
        return user

    return factory


def csrf_from(html: str) -> str:
    match = re.search(r'name="csrf_token"[^>]*value="([^"]+)"', html) or re.search(
        r'name="csrf-token" content="([^"]+)"', html)
    assert match, "no CSRF token in the page"
    return match.group(1)


class Auth:
    """Log a test client in and out through the real login form (CSRF included)."""

    def __init__(self, client):
        self.client = client

    def csrf(self, path="/login") -> str:
        return csrf_from(self.client.get(path).get_data(as_text=True))

    def login(self, username, password=PASSWORD):
        token = self.csrf("/login")
        return self.client.post("/login", data={"login": username, "password": password, "csrf_token": token})

    def logout(self, everywhere=False):
        token = self.csrf("/settings/password")
        data = {"csrf_token": token}
        if everywhere:
            data["everywhere"] = "1"
        return self.client.post("/logout", data=data)

    def post(self, path, data=None, **kwargs):
        """POST a form with a valid CSRF token taken from ``path``'s own page or the settings page."""
        data = dict(data or {})
        data.setdefault("csrf_token", self.csrf("/settings/profile"))
        return self.client.post(path, data=data, **kwargs)

    def api(self, method, path, json=None):
        """Call the JSON API as the logged-in browser (CSRF header included)."""
        headers = {"X-CSRFToken": self.csrf("/settings/profile")} if method != "GET" else {}
        return self.client.open(path, method=method, json=json, headers=headers)


@pytest.fixture
def auth(client):
    return Auth(client)
