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


def pytest_configure(config):
    """With pytest-xdist on PostgreSQL, each worker gets a database of its own (tests empty the schema)."""
    worker = os.environ.get("PYTEST_XDIST_WORKER")
    base = os.environ.get("WILMA_TEST_DATABASE_URL", "")
    if not worker or not base.startswith("postgresql"):
        return
    from sqlalchemy import create_engine
    from sqlalchemy.engine import make_url

    url = make_url(base)
    name = f"{url.database}_{worker}"
    engine = create_engine(url, isolation_level="AUTOCOMMIT")
    with engine.connect() as connection:
        connection.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
        connection.execute(text(f'CREATE DATABASE "{name}"'))
    engine.dispose()
    os.environ["WILMA_TEST_DATABASE_URL"] = url.set(database=name).render_as_string(hide_password=False)
    config.wilma_worker_database = (base, name)


def pytest_unconfigure(config):
    base, name = getattr(config, "wilma_worker_database", (None, None))
    if base is None:
        return
    from sqlalchemy import create_engine

    engine = create_engine(base, isolation_level="AUTOCOMMIT")
    with engine.connect() as connection:
        connection.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
    engine.dispose()


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
        worker = application.extensions.get("wilma_search_worker")
        if worker is not None:
            worker.close()
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


def is_csrf_refusal(response) -> bool:
    """The app's answer to a missing or stale CSRF token (JSON or page, English or German)."""
    body = response.get_data()
    return response.status_code == 400 and (b'"csrf_failed"' in body or b"security token" in body
                                            or b"Sicherheitsmerkmal" in body)


class Auth:
    """Log a test client in and out through the real login form (CSRF included).

    ``post`` and ``api`` reuse the session's CSRF token (fetching a page for every call made the corpus
    tests slow); it is fetched again after login and logout, and once more when the app refuses it.
    """

    def __init__(self, client):
        self.client = client
        self._token = None

    def csrf(self, path="/login") -> str:
        return csrf_from(self.client.get(path).get_data(as_text=True))

    def login(self, username, password=PASSWORD):
        token = self.csrf("/login")
        self._token = None
        return self.client.post("/login", data={"login": username, "password": password, "csrf_token": token})

    def logout(self, everywhere=False):
        token = self.csrf("/settings/password")
        data = {"csrf_token": token}
        if everywhere:
            data["everywhere"] = "1"
        self._token = None
        return self.client.post("/logout", data=data)

    def _with_token(self, send):
        """``send(token)`` with the cached token; with a fresh one when the app refused the cached one."""
        fresh = self._token is None
        if fresh:
            self._token = self.csrf("/settings/profile")
        response = send(self._token)
        if not fresh and is_csrf_refusal(response):
            self._token = self.csrf("/settings/profile")
            response = send(self._token)
        return response

    def post(self, path, data=None, **kwargs):
        """POST a form with a valid CSRF token (unless ``data`` brings its own)."""
        data = dict(data or {})
        if "csrf_token" in data:
            return self.client.post(path, data=data, **kwargs)
        return self._with_token(lambda token: self.client.post(path, data={**data, "csrf_token": token}, **kwargs))

    def api(self, method, path, json=None):
        """Call the JSON API as the logged-in browser (CSRF header included)."""
        if method == "GET":
            return self.client.open(path, method=method, json=json)
        return self._with_token(lambda token: self.client.open(path, method=method, json=json,
                                                               headers={"X-CSRFToken": token}))


@pytest.fixture
def auth(client):
    return Auth(client)
