"""In a running app the outbox is applied after commit, without a flush: by a helper process that the
web process's worker thread hands each run to, or by that thread itself where no helper can run."""

import functools
import os
import sys
import types

import pytest

from wilma.extensions import db
from wilma.search.backend import get_backend
from wilma.search.outbox import pending_count, worker_for
from wilma.search.outbox_helper import helper_app, helper_possible


@pytest.fixture
def app_config():
    return {"WILMA_SEARCH_AUTO_PROCESS": True, "WILMA_SEARCH_DEBOUNCE": 0.05}


def _settle(app) -> None:
    assert worker_for(app).wait_idle(timeout=60)
    db.session.rollback()  # see the helper's commits


def test_new_people_become_searchable_without_anyone_waiting(app, make_user, search_as):
    person = make_user("zora", display_name="Zora Zündel")
    _settle(app)
    assert pending_count() == 0
    assert [i.key for i in search_as(person, "Zuendel").items] == [f"people:{person.id}"]
    worker = worker_for(app)
    assert not worker.helper_failed
    assert worker.helper.process.is_alive() and worker.helper.process.pid != os.getpid()


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
    _settle(app)
    assert pending_count() == 0
    assert f"people:{person.id}" in get_backend().all_keys()


def test_the_development_server_catches_up_before_any_request(app, monkeypatch):
    """``make run`` queues the demo in a CLI process; its server applies that at start (wilma.serve)."""
    from wilma import serve
    from wilma.accounts import services
    from wilma.core.database import commit

    app.config["WILMA_SEARCH_AUTO_PROCESS"] = False  # like the demo loader in a CLI process
    person = services.create_user("ronja", None, display_name="Ronja Rübsam")
    commit()
    db.session.rollback()
    app.config["WILMA_SEARCH_AUTO_PROCESS"] = True
    started = []
    monkeypatch.setattr(serve, "create_app", lambda: app)
    monkeypatch.setattr(serve.socketio, "run", lambda *args, **kwargs: started.append(kwargs["port"]))
    serve.main(["--port", "5999"])
    assert started == [5999]
    _settle(app)
    assert pending_count() == 0
    assert f"people:{person.id}" in get_backend().all_keys()


def test_a_helper_that_ended_is_replaced_and_no_change_is_lost(app, make_user):
    first = make_user("ulla", display_name="Ulla Umlauf")
    _settle(app)
    helper = worker_for(app).helper
    old_pid = helper.process.pid
    helper.process.kill()
    helper.process.join(timeout=10)
    second = make_user("viktor", display_name="Viktor Vogt")
    _settle(app)
    if pending_count():  # the run that met the dead helper failed; the next one starts a new helper
        worker_for(app).poke()
        _settle(app)
    assert pending_count() == 0
    assert {f"people:{first.id}", f"people:{second.id}"} <= get_backend().all_keys()
    assert worker_for(app).helper.process.pid != old_pid and not worker_for(app).helper_failed


@pytest.mark.parametrize("recipe", ["broken", "other database"])
def test_without_a_fitting_helper_the_thread_applies_the_changes_itself(app, make_user, search_as, tmp_path,
                                                                       recipe):
    worker = worker_for(app)
    elsewhere = {"INSTANCE_PATH": str(tmp_path / "elsewhere")}
    if recipe == "broken":  # the helper cannot build an app at all
        elsewhere["WILMA_DEFAULT_LOCALE"] = "xx"
    worker.factory = functools.partial(helper_app, elsewhere)  # else: an app on another database and index
    person = make_user("wanda", display_name="Wanda Weiß")
    _settle(app)
    assert worker.helper_failed
    assert pending_count() == 0
    assert [i.key for i in search_as(person, "Weiss").items] == [f"people:{person.id}"]


@pytest.mark.backend_independent
def test_no_helper_under_monkey_patched_threads_or_an_in_memory_database(app, monkeypatch):
    factory = worker_for(app).factory
    assert factory is not None and helper_possible(app, factory)
    patched = types.SimpleNamespace(is_module_patched=lambda name: name == "threading")
    monkeypatch.setitem(sys.modules, "gevent.monkey", patched)
    assert not helper_possible(app, factory)
    monkeypatch.delitem(sys.modules, "gevent.monkey")
    for memory in ("sqlite://", "sqlite:///:memory:", "sqlite+pysqlite://", "sqlite:///file:x?mode=memory&uri=true"):
        monkeypatch.setitem(app.config, "WILMA_DATABASE_URL", memory)
        assert not helper_possible(app, factory)
    monkeypatch.setitem(app.config, "WILMA_DATABASE_URL", "sqlite:///x.db")
    assert helper_possible(app, factory)
    assert not helper_possible(app, None)  # an app whose recipe cannot be handed to another process


def test_closing_the_worker_ends_the_helper_and_takes_no_more_work(app, make_user):
    make_user("xaver")
    _settle(app)
    worker = worker_for(app)
    process = worker.helper.process
    worker.close()
    process.join(timeout=10)
    assert not process.is_alive()
    make_user("yvonne")  # committed after close: stays pending for the next process
    assert worker.thread is None and pending_count() == 1
