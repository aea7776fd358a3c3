"""The PostgreSQL backend itself: chosen by configuration, German analysis in the database, the table swap
of a rebuild while searches run, and its locks across processes. (The shared search tests run against it
too, through the ``search_backend`` fixture.)"""

import subprocess
import sys
import threading
from concurrent.futures import ThreadPoolExecutor

import pytest
from sqlalchemy import text

from tests.search.conftest import on_postgres
from tests.search.test_search_processes import ROOT, environment
from wilma import create_app
from wilma.config import ConfigError
from wilma.extensions import db
from wilma.search import registry, services
from wilma.search.backend import get_backend
from wilma.search.outbox import pending_count
from wilma.search.postgres_backend import PostgresBackend


@pytest.fixture
def search_backend():
    """Only the postgres backend in this module."""
    if not on_postgres():
        pytest.skip("the postgres search backend needs WILMA_TEST_DATABASE_URL=postgresql+psycopg://...")
    return "postgres"


def test_choosing_postgres_on_sqlite_fails_at_start(tmp_path):
    with pytest.raises(ConfigError, match="needs a PostgreSQL database"):
        create_app({"TESTING": True, "INSTANCE_PATH": str(tmp_path / "instance"), "WILMA_SECRET_KEY": "x",
                    "WILMA_DATABASE_URL": f"sqlite:///{tmp_path / 'x.db'}", "WILMA_PLUGINS": [],
                    "WILMA_SEARCH_BACKEND": "postgres"})


def lexemes(key: str) -> set[str]:
    db.session.rollback()
    vector = db.session.scalar(text("SELECT tsv::text FROM search_documents WHERE key = :k"), {"k": key})
    return {part.split(":")[0].strip("'") for part in vector.split()}


@pytest.mark.parametrize(("body", "queries", "lexeme"), [
    ("Die Straße wird gesperrt", ["Strasse", "STRASSE", "straßen"], "strass"),
    ("Frau Müller leitet das Amt", ["Mueller", "müller", "MUELLER"], "mull"),
    ("Neue Häuser im Westend", ["Haus", "haeuser", "Hauses"], "haus"),
    ("Das Bürgeramt öffnet", ["Bürgerämter", "Buergeramt"], "burgeramt"),
    ("Café und Crème brûlée", ["cafe", "creme brulee"], "caf"),
])
def test_german_forms_meet_in_the_database(memory_docs, make_user, search_as, flush, body, queries, lexeme):
    reader = make_user("reader")
    memory_docs.add(1, body)
    memory_docs.add(2, "Ein ganz anderer Text über Parkplätze")
    flush()
    assert isinstance(get_backend(), PostgresBackend)
    assert lexeme in lexemes("posts:1")  # stemmed and folded by wilma_german, not stored as typed
    for query in queries:
        found = search_as(reader, query)
        assert [item.key for item in found.items] == ["posts:1"], query
        assert "<mark>" in found.items[0].snippet_html, query


def test_the_configuration_folds_accents_itself(app):
    # The backend folds in Python first; text that reaches the configuration otherwise is folded too.
    vector = db.session.scalar(text("SELECT to_tsvector('wilma_german', 'Crème Brûlée der Häuser')::text"))
    assert vector == "'brule':2 'crem':1 'haus':4"


def live_indexes() -> set[str]:
    db.session.rollback()
    return set(db.session.scalars(text("SELECT indexname FROM pg_indexes WHERE tablename LIKE 'search_documents%'")))


def test_rebuild_swaps_the_table_while_searches_keep_answering(app, memory_docs, make_user, search_as):
    reader = make_user("reader")
    for n in range(1, 401):
        memory_docs.add(n, f"Haushaltsplan Kapitel {n}", queue=False)
    services.rebuild_index()
    before = live_indexes()
    assert before == {"pk_search_documents", "ix_search_documents_tsv", "ix_search_documents_acl",
                      "ix_search_documents_type"}
    finished = threading.Event()
    reading, go_on = memory_docs.pause_rebuild_at(200)
    totals, errors = [], []

    def rebuild():
        with app.app_context():
            try:
                services.rebuild_index()
            except Exception as err:  # reported below
                errors.append(err)
            finally:
                finished.set()
                db.session.remove()

    def keep_searching():
        with app.app_context():
            while True:
                last_round = finished.is_set()  # one more search after the swap
                try:
                    totals.append(search_as(reader, "Haushaltsplan").total)
                except Exception as err:  # reported below
                    errors.append(err)
                if last_round:
                    break
            db.session.remove()

    builder = threading.Thread(target=rebuild)
    builder.start()
    assert reading.wait(30)
    assert get_backend().rebuild_running()
    searcher = threading.Thread(target=keep_searching)
    searcher.start()
    while len(totals) < 3 and searcher.is_alive():  # some searches while the new table is half full
        threading.Event().wait(0.01)
    go_on.set()
    builder.join(60)
    searcher.join(60)
    assert not errors
    assert len(totals) >= 4 and set(totals) == {400}  # never an empty or half-built table
    assert live_indexes() == before  # the new table took the old names; no *_build left
    assert not get_backend().rebuild_running()
    assert get_backend().status()["rebuild"]["state"] == "done"


def test_a_failed_rebuild_leaves_the_live_table_alone(app, memory_docs, make_user, search_as, flush):
    reader = make_user("reader")
    memory_docs.add(1, "Dienstplan Juni")
    flush()

    def broken_documents():
        yield from memory_docs.docs.values()
        raise RuntimeError("the database went away")

    registry.register_provider(registry.Provider(type="posts", iter_documents=broken_documents,
                                                 load=lambda i: memory_docs.docs.get(i)))
    with pytest.raises(RuntimeError, match="went away"):
        services.rebuild_index()
    assert [item.key for item in search_as(reader, "Dienstplan").items] == ["posts:1"]
    assert "pk_search_documents_build" not in live_indexes()
    assert get_backend().load_progress()["state"] == "failed"


def run_flask(args, env):
    return subprocess.run([sys.executable, "-m", "flask", "--app", "wsgi", "wilma", "search", *args], cwd=ROOT,
                          env=env, capture_output=True, text=True, timeout=120)


def test_locks_hold_across_processes(app, memory_docs, make_user):
    make_user("anna")
    db.session.rollback()
    env = dict(environment(app), WILMA_SEARCH_LOCK_TIMEOUT="1")
    backend = get_backend()
    with backend.writer_lock():  # another process holds the writer lock: the worker leaves the rows pending
        busy = run_flask(["process"], env)
    assert busy.returncode != 0 and "The index is busy" in busy.stderr
    assert pending_count() == 1
    done = run_flask(["process"], env)
    assert done.returncode == 0 and "Applied 1 queued changes; 0 pending." in done.stdout
    with backend._rebuild_lock():  # a rebuild runs elsewhere: a second one is refused at once
        with ThreadPoolExecutor(2) as pool:  # two processes at once: each pays the app's start-up
            refused, status = pool.map(lambda args: run_flask(args, env), [["rebuild"], ["status"]])
    assert refused.returncode != 0 and "A rebuild is already running." in refused.stderr
    assert status.returncode == 0 and "people     1" in status.stdout and "search_documents" in status.stdout
