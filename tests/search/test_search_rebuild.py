"""Rebuilds: search keeps answering meanwhile, nothing changed during the rebuild is lost, and the
database and the index agree afterwards. The CLI commands and the admin background job."""

import threading
import time

import pytest

from wilma.extensions import db
from wilma.search import services
from wilma.search.backend import IndexBusy, get_backend
from wilma.search.outbox import flush_outbox


def expected_keys(memory_docs, users):
    return {d.key for d in memory_docs.docs.values() if not d.deleted} | {f"people:{u.id}" for u in users}


def wait_for(condition, timeout=30.0):
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if condition():
            return True
        time.sleep(0.02)
    return False


def test_search_answers_during_a_rebuild_and_changes_meanwhile_survive(app, memory_docs, make_user, search_as):
    reader = make_user("reader")
    for n in range(1, 6):
        memory_docs.add(n, f"Haushaltsplan Entwurf {n}")
    flush_outbox()
    halfway, go_on = memory_docs.pause_rebuild_at(2)
    errors = []

    def run():
        with app.app_context():
            try:
                services.rebuild_index()
            except Exception as err:  # reported below
                errors.append(err)
            finally:
                db.session.remove()

    thread = threading.Thread(target=run)
    thread.start()
    try:
        assert halfway.wait(30)
        assert len(search_as(reader, "Haushaltsplan").items) == 5  # the old index still answers
        with pytest.raises(IndexBusy):
            services.rebuild_index()  # one rebuild at a time
        memory_docs.add(6, "Haushaltsplan Nachtrag")  # written while the rebuild runs
        memory_docs.delete(1)
        flush_outbox()
        assert get_backend().load_progress()["state"] == "running"
    finally:
        go_on.set()
        thread.join(60)
    assert not errors
    keys = sorted(item.key for item in search_as(reader, "Haushaltsplan", per_page=50).items)
    assert keys == [f"posts:{n}" for n in range(2, 7)]
    assert get_backend().all_keys() == expected_keys(memory_docs, [reader])


def test_database_and_index_agree_after_a_rebuild(memory_docs, make_user):
    users = [make_user(f"person{n}", password=None) for n in range(5)]
    for n in range(1, 301):
        memory_docs.add(n, f"Vorlage {n}", queue=False)
    memory_docs.docs[7].deleted = True
    get_backend().index([memory_docs.docs[8]])
    report = services.rebuild_index()
    assert report.documents == 299 + 5
    assert get_backend().all_keys() == expected_keys(memory_docs, users)
    status = services.index_status()
    assert status["counts"] == {"posts": 299, "people": 5}
    assert status["rebuild"]["state"] == "done"


def test_cli_rebuild_status_and_process(runner, memory_docs, make_user):
    make_user("anna")
    memory_docs.add(1, "Telefonliste", queue=False)
    result = runner.invoke(args=["wilma", "search", "rebuild"])
    assert result.exit_code == 0, result.output
    assert "Indexed 2 documents" in result.output and "docs/s" in result.output
    memory_docs.add(2, "Raumplan")
    result = runner.invoke(args=["wilma", "search", "status"])
    assert result.exit_code == 0, result.output
    assert "posts      1" in result.output and "people     1" in result.output
    assert "Pending:     1 queued changes" in result.output and "Last rebuild:" in result.output
    result = runner.invoke(args=["wilma", "search", "process"])
    assert result.exit_code == 0 and "Applied 1 queued changes; 0 pending." in result.output
    assert get_backend().status()["counts"]["posts"] == 2


@pytest.mark.backend_independent
def test_only_admins_reach_the_search_admin(client, auth, form_post, make_user):
    make_user("clerk")
    auth.login("clerk")
    assert client.get("/admin/search").status_code == 403
    assert client.get("/admin/search/progress").status_code == 403
    assert form_post("/admin/search/rebuild").status_code == 403


def test_admin_rebuild_runs_in_the_background_with_progress(app, client, auth, form_post, make_user,
                                                            memory_docs):
    make_user("admin", admin=True)
    make_user("clerk")
    for n in range(1, 51):
        memory_docs.add(n, f"Dokument {n}", queue=False)
    auth.login("admin")
    page = client.get("/admin/search")
    assert page.status_code == 200 and "Rebuild the index" in page.get_data(as_text=True)
    response = form_post("/admin/search/rebuild")
    assert response.status_code == 302
    db.session.rollback()  # the test shares the request's session: end its write transaction as teardown would
    thread = app.extensions["wilma_search_rebuild_thread"]
    thread.join(60)
    progress = client.get("/admin/search/progress").get_json()
    assert progress["state"] == "done" and progress["done"] == 52 and progress["total"] == 52
    assert get_backend().status()["counts"] == {"posts": 50, "people": 2}
    assert "52" in client.get("/admin/search").get_data(as_text=True)
