"""In a running app the outbox is applied by a background thread after commit, without a flush."""

import pytest

from wilma.search.outbox import pending_count, worker_for


@pytest.fixture
def app_config():
    return {"WILMA_SEARCH_AUTO_PROCESS": True, "WILMA_SEARCH_DEBOUNCE": 0.05}


def test_new_people_become_searchable_without_anyone_waiting(app, make_user, search_as):
    person = make_user("zora", display_name="Zora Zündel")
    assert worker_for(app).wait_idle(timeout=20)
    assert pending_count() == 0
    assert [i.key for i in search_as(person, "Zuendel").items] == [f"people:{person.id}"]
