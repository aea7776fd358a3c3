"""Queueing index changes with the data, and applying them after commit, off the request path.

Services call :func:`queue_index` / :func:`queue_delete` inside their transaction. After the commit a
background thread of the same process (started lazily, debounced) has the pending rows applied in
batches with one writer, by a helper process so that the work does not hold up requests
(``outbox_helper``); ``flask wilma search process`` does the same from cron or a worker process (with
``--loop``). Several processes are safe: the writer lock is taken *before* the rows and objects are
read, so whoever reads later writes later, and a row is marked processed only after the index commit.
If the lock is busy the rows simply stay pending (``IndexBusy``): nothing is lost.

Tests call :func:`flush_outbox` to apply everything synchronously. The background thread is off when
``TESTING`` is set, unless ``WILMA_SEARCH_AUTO_PROCESS`` says otherwise.
"""

import contextlib
import logging
import threading
import time
from datetime import timedelta

from flask import current_app, g, has_request_context
from sqlalchemy import delete, func, insert, select, update

from wilma.core.database import after_commit, mark_write_transaction
from wilma.core.models import utcnow
from wilma.extensions import db
from wilma.search.backend import IndexBusy, get_backend
from wilma.search.models import SearchOutbox
from wilma.search.outbox_helper import RUN_TIMEOUT, Helper, HelperError, HelperGone, helper_possible, identity
from wilma.search.registry import Document, load_keys

logger = logging.getLogger("wilma.search")
BATCH_SIZE = 500
KEEP_PROCESSED = timedelta(hours=1)
PRUNE_EVERY = 300.0  # seconds between prunes by the background thread


def queue_index(key: str) -> None:
    """Queue ``key`` ("posts:12") to be (re)indexed once the current transaction commits."""
    _queue(key, "index")


def queue_delete(key: str) -> None:
    """Queue ``key`` to be removed from the index once the current transaction commits."""
    _queue(key, "delete")


_INSERT = insert(SearchOutbox.__table__)


def _queue(key: str, op: str) -> None:
    # A prebuilt Core INSERT on the session's connection, in the caller's transaction: the only cost on
    # the request path (60 us of CPU; 300 us through Session.execute with a new statement each time).
    db.session.connection().execute(_INSERT, {"key": key, "op": op, "created_at": utcnow()})
    after_commit(schedule_processing)


def current_documents(keys: list[str]) -> tuple[list[Document], list[str]]:
    """Load each key's object now: what exists and is not deleted is indexed, the rest deleted."""
    documents = [doc for doc in load_keys(keys).values() if not doc.deleted]
    found = {doc.key for doc in documents}
    return documents, [key for key in keys if key not in found]


@contextlib.contextmanager
def deferred_reads():
    """Read in plain ``BEGIN`` transactions, also outside requests.

    Outside a request ``wilma.core.database`` starts every transaction with ``BEGIN IMMEDIATE``; a
    rebuild reading for minutes would then hold SQLite's write lock all that time and every post would
    wait. A read transaction does not block writers under WAL."""
    db.session.commit()
    context = contextlib.nullcontext() if has_request_context() else current_app.test_request_context("/")
    with context:
        previous = g.get("write_transaction", False)
        mark_write_transaction(False)
        try:
            yield
        finally:
            mark_write_transaction(previous)


def pending_count() -> int:
    return db.session.scalar(select(func.count(SearchOutbox.id)).where(SearchOutbox.processed_at.is_(None))) or 0


def process_batch(batch_size: int = BATCH_SIZE) -> int:
    """Apply up to ``batch_size`` pending rows in one index commit; answer how many rows were done."""
    backend = get_backend()
    claimed: list[int] = []

    def load_changes():
        db.session.rollback()
        with deferred_reads():  # a fresh snapshot, taken while we hold the writer lock; no database lock
            rows = db.session.execute(
                select(SearchOutbox.id, SearchOutbox.key).where(SearchOutbox.processed_at.is_(None))
                .order_by(SearchOutbox.id).limit(batch_size)).all()
            claimed.extend(row.id for row in rows)
            keys = list(dict.fromkeys(row.key for row in rows))
            changes = current_documents(keys) if keys else ([], [])
            db.session.commit()
        return changes

    backend.update(load_changes)
    if claimed:
        db.session.execute(update(SearchOutbox).where(SearchOutbox.id.in_(claimed)).values(processed_at=utcnow()))
        db.session.commit()
    return len(claimed)


_PRUNED = {"at": float("-inf")}


def prune_due() -> bool:
    """Whether a worker loop should prune now: at most every ``PRUNE_EVERY`` seconds per process, since
    each prune is a write transaction that a request may have to wait for (SQLite)."""
    now = time.monotonic()
    if now - _PRUNED["at"] < PRUNE_EVERY:
        return False
    _PRUNED["at"] = now
    return True


def prune_processed() -> None:
    """Forget processed rows after a while, but not while a rebuild may still need to replay them."""
    if get_backend().rebuild_running():
        return
    db.session.execute(delete(SearchOutbox).where(SearchOutbox.processed_at < utcnow() - KEEP_PROCESSED))
    db.session.commit()


def apply_pending(app) -> int:
    """One run of a background worker (this process's thread or its helper): every pending row, and a
    prune now and then, in an app context of its own."""
    with app.app_context():
        try:
            return flush_outbox(prune=prune_due())
        finally:
            db.session.remove()


def flush_outbox(batch_size: int = BATCH_SIZE, prune: bool = True) -> int:
    """Apply every pending row now (tests, the CLI); answer how many rows were processed."""
    total = 0
    while True:
        done = process_batch(batch_size)
        total += done
        if done < batch_size:
            break
    if prune:
        prune_processed()
    return total


# --- the background thread -------------------------------------------------------------------------------


class OutboxWorker:
    """One per app: a thread that runs while there is work, started after commits and debounced."""

    def __init__(self, app):
        self.app = app
        self.lock = threading.Lock()
        self.thread: threading.Thread | None = None
        self.again = False
        self.debounce = float(app.config.get("WILMA_SEARCH_DEBOUNCE", 1.0))
        self.factory = app.extensions.get("wilma_app_factory")  # how a helper process builds this app
        self.helper: Helper | None = None
        self.helper_failed = False
        self.closed = False

    def poke(self) -> None:
        with self.lock:
            if self.closed:
                return
            self.again = True
            if self.thread is None:
                self.thread = threading.Thread(target=self._run, name="wilma-search-outbox", daemon=True)
                self.thread.start()

    def _run(self) -> None:
        failures = 0
        while True:
            with self.lock:
                if not self.again:
                    self.thread = None
                    return
                self.again = False
            time.sleep(self.debounce if not failures else min(30, 0.5 * 2 ** failures))
            try:
                # Every write transaction of a run can make a request wait for SQLite's write lock: one
                # per batch (rows marked processed), and a prune only now and then.
                self._flush()
                failures = 0
            except IndexBusy:
                failures += 1
                self.again = True  # the rows are still pending; try again a little later
            except Exception as err:
                failures += 1
                self.again = failures < 6
                if isinstance(err, HelperError):
                    logger.error("search outbox: processing failed (rows stay pending):\n%s", err)
                else:
                    logger.exception("search outbox: processing failed (rows stay pending)")

    def _flush(self) -> None:
        """One run: in the helper process where possible (see ``outbox_helper``), else in this thread."""
        if self.closed:
            return  # the app is going away; the rows stay pending for the next process
        if not self.helper_failed and helper_possible(self.app, self.factory):
            if self.helper is None:
                with self.app.app_context():
                    self.helper = Helper(self.factory, identity(self.app))
            try:
                self.helper.flush()
                return
            except HelperGone:
                # e.g. the helper could not build the app; this thread does the work from now on
                logger.exception("search outbox: no helper process, applying changes in the web process")
                self.helper_failed = True
        apply_pending(self.app)

    def close(self) -> None:
        """No more runs; end the helper process (it also ends by itself with this process)."""
        with self.lock:
            self.closed, self.again = True, False
        thread = self.thread
        if thread is not None:
            thread.join(timeout=RUN_TIMEOUT)
        if self.helper is not None:
            self.helper.stop()

    def wait_idle(self, timeout: float = 10.0) -> bool:
        """Wait until the thread has nothing left (tests of the background path)."""
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            thread = self.thread
            if thread is None:
                return True
            thread.join(timeout=0.05)
        return False


def auto_process_enabled(app) -> bool:
    value = app.config.get("WILMA_SEARCH_AUTO_PROCESS")
    return (not app.testing) if value is None else bool(value)


def worker_for(app) -> OutboxWorker:
    worker = app.extensions.get("wilma_search_worker")
    if worker is None:
        worker = app.extensions.setdefault("wilma_search_worker", OutboxWorker(app))
    return worker


def catch_up(app) -> None:
    """Once per process: start the worker for changes queued while no web process ran (the demo loader,
    CLI commands, a restart). The server of ``make run`` calls it at start, so the index is current
    before the first person arrives; otherwise the first request does."""
    if not app.extensions.get("wilma_search_caught_up"):
        app.extensions["wilma_search_caught_up"] = True
        if auto_process_enabled(app):
            worker_for(app).poke()


def schedule_processing() -> None:
    """After-commit effect: make sure this process's worker thread will look at the outbox soon."""
    app = current_app._get_current_object()
    if auto_process_enabled(app):
        worker_for(app).poke()
