"""In a running app the outbox is applied by a background thread after commit, without a flush."""

import pytest

from wilma.extensions import db
from wilma.search.outbox import pending_count, worker_for


@pytest.fixture
def app_config():
    return {"WILMA_SEARCH_AUTO_PROCESS": True, "WILMA_SEARCH_DEBOUNCE": 0.05}


def test_new_people_become_searchable_without_anyone_waiting(app, make_user, search_as):
    person = make_user("zora", display_name="Zora Zündel")
    assert worker_for(app).wait_idle(timeout=20)
    assert pending_count() == 0
    assert [i.key for i in search_as(person, "Zuendel").items] == [f"people:{person.id}"]


def test_changes_queued_before_the_server_started_are_applied_after_its_first_request(app, client):
    from wilma.accounts import services
    from wilma.core.database import commit

    app.config["WILMA_SEARCH_AUTO_PROCESS"] = False  # like the demo loader in a CLI process
    person = services.create_user("quentin", None, display_name="Quentin Quast")
    commit()
    assert pending_count() == 1
    db.session.rollback()  # outside requests our reads hold SQLite's write lock; end the transaction
    app.config["WILMA_SEARCH_AUTO_PROCESS"] = True
    client.get("/login")
    assert worker_for(app).wait_idle(timeout=20)
    assert pending_count() == 0
    from wilma.search.backend import get_backend

    assert f"people:{person.id}" in get_backend().all_keys()
