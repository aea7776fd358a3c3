"""The outbox: changes are queued with the data, applied later in batches, never lost."""

from datetime import timedelta

import pytest
from sqlalchemy import func, select

from wilma.core.models import utcnow
from wilma.extensions import db
from wilma.search.backend import IndexBusy, get_backend
from wilma.search.models import SearchOutbox
from wilma.search.outbox import flush_outbox, pending_count, process_batch


def indexed_count(type_name="posts"):
    return get_backend().status()["counts"].get(type_name, 0)


def test_changes_wait_in_the_outbox_until_processed(memory_docs, make_user, search_as):
    reader = make_user("reader")
    flush_outbox()
    memory_docs.add(1, "Dienstreiseantrag")
    assert pending_count() == 1
    assert search_as(reader, "Dienstreiseantrag").items == []  # the commit did not touch the index
    assert flush_outbox() == 1
    assert pending_count() == 0
    assert [i.key for i in search_as(reader, "Dienstreiseantrag").items] == ["posts:1"]


def test_large_batches_are_applied_completely(memory_docs):
    for n in range(1, 1201):
        memory_docs.add(n, f"Vorgang {n}", queue=False)
    from wilma.core.database import commit
    from wilma.search.outbox import queue_index

    for n in range(1, 1201):
        queue_index(f"posts:{n}")
    commit()
    assert flush_outbox(batch_size=500) == 1200
    assert indexed_count() == 1200


def test_the_same_key_twice_is_indexed_once_with_its_latest_state(memory_docs, make_user, search_as):
    reader = make_user("reader")
    memory_docs.add(1, "Entwurf alt")
    memory_docs.change(1, body="Entwurf neu")
    flush_outbox()
    assert indexed_count() == 1
    assert [i.key for i in search_as(reader, "neu").items] == ["posts:1"]
    assert search_as(reader, "alt").items == []


def test_a_busy_writer_means_later_not_lost(memory_docs, make_user, search_as):
    reader = make_user("reader")
    flush_outbox()
    backend = get_backend()
    backend.lock_timeout = 0.1
    memory_docs.add(1, "Urlaubsplanung")
    with backend.writer_lock(), pytest.raises(IndexBusy):
        process_batch()
    assert pending_count() == 1
    flush_outbox()
    assert [i.key for i in search_as(reader, "Urlaubsplanung").items] == ["posts:1"]


def test_processed_rows_are_pruned_after_a_while(memory_docs):
    memory_docs.add(1, "Alt")
    flush_outbox()
    db.session.execute(SearchOutbox.__table__.update().values(processed_at=utcnow() - timedelta(hours=2)))
    db.session.commit()
    memory_docs.add(2, "Neu")
    flush_outbox()
    remaining = db.session.scalar(select(func.count(SearchOutbox.id)))
    assert remaining == 1  # the fresh row is kept (a running rebuild may replay it), the old one is gone


def test_pending_changes_mask_search_after_search_and_are_read_once_per_queue_state(
        memory_docs, make_user, search_as, monkeypatch):
    from wilma.search import services

    reads = []
    real = services.current_documents
    monkeypatch.setattr(services, "current_documents", lambda keys: reads.append(list(keys)) or real(keys))
    reader = make_user("reader")
    memory_docs.add(1, "Baustellenplan Nordring")
    flush_outbox()
    memory_docs.change(1, body="Baustellenplan Nordring, neue Fassung")  # queued: still for everyone
    for _ in range(3):
        assert [i.key for i in search_as(reader, "Baustellenplan").items] == ["posts:1"]
    assert reads == [["posts:1"]]  # the same pending rows: their objects are read once
    memory_docs.change(1, group_id=4711)  # queued: now in a group the reader cannot read
    assert search_as(reader, "Baustellenplan").items == []  # the queue changed: read again, masked
    assert search_as(reader, "Baustellenplan").counts == {}
    assert len(reads) == 2
    flush_outbox()
    assert search_as(reader, "Baustellenplan").items == []  # applied: the index itself says so now
