"""Search fixtures: an in-memory content type with group and DM content, and helpers to search.

Every test that uses ``app`` runs once per backend: ``whoosh``, and ``postgres`` when the suite runs on
PostgreSQL (``WILMA_TEST_DATABASE_URL``); on SQLite the postgres runs are skipped. A test marked
``backend_independent`` (it never reaches the engine: logins, forms, the shared query syntax check) runs
once, with ``whoosh``; tests that need no app at all (analysis, marking) run once anyway.
"""

import importlib.util
import os
import threading
from datetime import UTC, datetime
from pathlib import Path

import pytest
from alembic.migration import MigrationContext
from alembic.operations import Operations

from tests.conftest import make_test_app
from wilma.core import security
from wilma.core.database import commit
from wilma.search import registry
from wilma.search.outbox import flush_outbox, queue_delete, queue_index
from wilma.search.registry import Document, Provider

SEARCH_MIGRATION = Path(__file__).resolve().parents[2] / "migrations/versions/0002_postgres_search.py"


def on_postgres() -> bool:
    return (os.environ.get("WILMA_TEST_DATABASE_URL") or "").startswith("postgresql")


def pytest_configure(config):
    config.addinivalue_line("markers", "backend_independent: the test never reaches the search engine, so it "
                                       "runs with one backend only")


@pytest.fixture(params=["whoosh", "postgres"])
def search_backend(request):
    """The search engine the test runs against."""
    if request.param == "postgres" and not on_postgres():
        pytest.skip("the postgres search backend needs WILMA_TEST_DATABASE_URL=postgresql+psycopg://...")
    if request.param == "postgres" and request.node.get_closest_marker("backend_independent"):
        pytest.skip("backend-independent: runs once, with whoosh")
    return request.param


def create_search_tables(engine) -> None:
    """Migration 0002 itself, on the tables ``create_all`` made (the tests do not run migrations)."""
    spec = importlib.util.spec_from_file_location("migration_0002", SEARCH_MIGRATION)
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    with engine.begin() as conn, Operations.context(MigrationContext.configure(conn)):
        module.upgrade()


@pytest.fixture
def app(tmp_path, app_config, search_backend):
    """The app of ``tests/conftest.py`` with ``WILMA_SEARCH_BACKEND`` set (and its tables on PostgreSQL)."""
    from wilma.extensions import db

    application = make_test_app(tmp_path, **{"WILMA_SEARCH_BACKEND": search_backend, **app_config})
    with application.app_context():
        if search_backend == "postgres":
            create_search_tables(db.engine)
        yield application
        db.session.remove()
        db.engine.dispose()


class MemoryDocs:
    """A content type ("posts") whose objects live in a dict: the test decides what exists."""

    type = "posts"

    def __init__(self):
        self.docs: dict[int, Document] = {}

    def add(self, object_id: int, body: str, *, title: str = "", group_id=None, owner_ids=(),
            created_at=None, queue: bool = True) -> Document:
        doc = Document(type=self.type, object_id=object_id, title=title, body=body,
                       url=f"/posts/{object_id}", group_id=group_id, owner_ids=tuple(owner_ids),
                       created_at=created_at or datetime(2026, 3, 1, tzinfo=UTC))
        self.docs[object_id] = doc
        if queue:
            queue_index(doc.key)
            commit()
        return doc

    def change(self, object_id: int, **fields) -> None:
        for name, value in fields.items():
            setattr(self.docs[object_id], name, value)
        queue_index(self.docs[object_id].key)
        commit()

    def delete(self, object_id: int) -> None:
        self.docs[object_id].deleted = True
        queue_delete(self.docs[object_id].key)
        commit()

    def provider(self) -> Provider:
        return Provider(type=self.type, iter_documents=lambda: iter(list(self.docs.values())),
                        load=lambda object_id: self.docs.get(object_id),
                        count=lambda: len(self.docs))

    def pause_rebuild_at(self, number: int) -> tuple[threading.Event, threading.Event]:
        """Make a rebuild wait after reading ``number`` documents: answers ``(reached, go_on)``; the rebuild
        reads on when the test sets ``go_on`` (or after 30 s)."""
        reached, go_on = threading.Event(), threading.Event()

        def slow_documents():
            for n, doc in enumerate(list(self.docs.values())):
                if n == number:
                    reached.set()
                    go_on.wait(30)
                yield doc

        registry.register_provider(Provider(type=self.type, iter_documents=slow_documents,
                                            load=lambda object_id: self.docs.get(object_id)))
        return reached, go_on


@pytest.fixture
def memory_docs(app):
    """Register the in-memory "posts" provider for the test (the real one, if any, comes back after)."""
    store = MemoryDocs()
    previous = registry.providers().get(store.type)
    registry.register_provider(store.provider())
    yield store
    registry.unregister_provider(store.type)
    if previous is not None:
        registry.register_provider(previous)


@pytest.fixture
def readable_groups(monkeypatch):
    """``readable_groups[user_id] = {group ids}`` decides what ``readable_group_ids(user)`` answers."""
    table: dict[int, set[int]] = {}
    monkeypatch.setattr(security, "readable_group_ids", lambda user: table.get(user.id, set()), raising=False)
    return table


@pytest.fixture
def search_as(app):
    """``search_as(user, "query", type_name=...)``: the service, inside a request context."""
    from wilma.search import services

    def run(user, query, **kwargs):
        from flask import g

        g.pop("wilma_member_groups", None)  # a per-request cache; the test's app context outlives requests
        with app.test_request_context():
            return services.search(user, query, **kwargs)

    return run


@pytest.fixture
def flush(app):
    """Apply the outbox now (what the background worker does after commit)."""
    return flush_outbox


@pytest.fixture
def form_post(client, auth):
    """POST a form with a fresh CSRF token.

    The ``app`` fixture keeps one app context for the whole test, so Flask-WTF's per-request cache of
    the token in ``g`` outlives the login (which starts a new session); drop it before asking again."""
    from flask import g

    def post(path, data=None):
        g.pop("csrf_token", None)
        return auth.post(path, data=data)

    return post
