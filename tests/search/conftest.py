"""Search fixtures: an in-memory content type with group and DM content, and helpers to search."""

from datetime import UTC, datetime

import pytest

from wilma.core import security
from wilma.core.database import commit
from wilma.search import registry
from wilma.search.outbox import flush_outbox, queue_delete, queue_index
from wilma.search.registry import Document, Provider


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
