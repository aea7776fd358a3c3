"""Engine set-up and the after-commit queue.

SQLite gets WAL, foreign keys and a busy timeout on every connection. Requests that write (any method
but GET/HEAD/OPTIONS, and socket events marked as writes) open their transaction with
``BEGIN IMMEDIATE``: ``busy_timeout`` alone does not cover the upgrade of a read transaction to a write
one, which fails at once under concurrency.

``after_commit(fn)`` queues an effect (search update, plugin event, notification, socket emit) that runs
only when the current transaction commits, and is dropped when it rolls back.
"""

import logging

from flask import g, has_request_context
from flask_sqlalchemy.session import Session
from sqlalchemy import event
from sqlalchemy.engine import Engine

from wilma.core.folding import SQLITE_FUNCTION, fold_text
from wilma.extensions import db

_PENDING = "wilma_after_commit_pending"
_READY = "wilma_after_commit_ready"
logger = logging.getLogger("wilma")


def _is_sqlite(engine: Engine) -> bool:
    return engine.dialect.name == "sqlite"


def configure_engine(engine: Engine) -> None:
    """Install the SQLite connection settings and transaction mode on ``engine``."""
    if not _is_sqlite(engine):
        return

    @event.listens_for(engine, "connect")
    def _on_connect(dbapi_connection, _record):
        # Let SQLAlchemy, not the driver, decide when a transaction begins.
        dbapi_connection.isolation_level = None
        cursor = dbapi_connection.cursor()
        cursor.execute("PRAGMA journal_mode=WAL")
        cursor.execute("PRAGMA foreign_keys=ON")
        cursor.execute("PRAGMA busy_timeout=10000")
        cursor.execute("PRAGMA synchronous=NORMAL")
        cursor.close()
        # SQLite's lower() only folds ASCII; use Python's, as PostgreSQL folds "Ä" too.
        dbapi_connection.create_function("lower", 1, _unicode_lower, deterministic=True)
        dbapi_connection.create_function(SQLITE_FUNCTION, 1, fold_text, deterministic=True)

    @event.listens_for(engine, "begin")
    def _on_begin(connection):
        connection.exec_driver_sql("BEGIN IMMEDIATE" if wants_write_transaction() else "BEGIN")


def _unicode_lower(value):
    return value.lower() if isinstance(value, str) else value


def wants_write_transaction() -> bool:
    """True inside a request or socket event that will write."""
    if has_request_context():
        return bool(g.get("write_transaction", False))
    return True  # CLI commands and background jobs write


def mark_write_transaction(value: bool = True) -> None:
    """Declare that the current request will write (views do this implicitly through the HTTP method)."""
    g.write_transaction = value


def after_commit(fn) -> None:
    """Run ``fn()`` once the current transaction has committed; forget it on rollback."""
    db.session.info.setdefault(_PENDING, []).append(fn)


def commit() -> None:
    """Commit the session, then run the effects queued with ``after_commit`` (they may write again)."""
    db.session.commit()
    run_committed_effects()


def run_committed_effects() -> None:
    """Run the effects of transactions that have committed; an effect that fails is logged, not raised."""
    session = db.session()
    while session.info.get(_READY):
        fn = session.info[_READY].pop(0)
        try:
            fn()
        except Exception:  # an effect must never undo or break a committed write
            logger.exception("after-commit effect failed")


@event.listens_for(Session, "after_commit")
def _promote_after_commit(session):
    session.info.setdefault(_READY, []).extend(session.info.pop(_PENDING, []))


@event.listens_for(Session, "after_rollback")
def _drop_after_commit(session):
    session.info.pop(_PENDING, None)
