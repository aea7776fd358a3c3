"""The helper process that applies the outbox for a web process.

Applying the outbox is CPU work in Python (analysis, postings, segment merges). Done by a thread of
the web process, it competes with that process's requests for the interpreter lock: creating a post
took 1.6x as long with search on (``bench/search.py``). So the web process's worker thread hands each
run to one helper process and waits on a pipe, which holds no lock while it waits.

The helper is started on first use with multiprocessing's *spawn*: a fresh interpreter that builds the
same app from the same recipe (``create_app`` with the same arguments, or what ``OutboxWorker.factory``
is set to), with no locks or database connections inherited from a threaded parent. It ends when the
pipe closes, that is with its web process, or when its parent ends the helper at exit.

Where no helper can be used (threads monkey-patched by gevent or eventlet, an app whose recipe cannot be
handed to another process, an in-memory database), or after a helper failed to start or started as a
different app (another database, index folder or set of content types: it says which when it is ready),
the worker thread applies the outbox itself, as before. A helper that ends or hangs later is replaced.
"""

import functools
import logging
import os
import pickle
import signal
import sys
import traceback

from wilma.search.backend import IndexBusy

logger = logging.getLogger("wilma.search")


class HelperGone(RuntimeError):
    """No helper process could be started, or it built a different app: the thread does the work."""


class HelperError(RuntimeError):
    """Applying the outbox failed inside the helper (its traceback is the message)."""


def helper_app(test_config: dict | None):
    """The app a helper builds: the web process's recipe, without seeding and without its own worker."""
    from wilma import create_app

    return create_app({**(test_config or {}), "WILMA_SEED_ON_START": False, "WILMA_SEARCH_AUTO_PROCESS": False})


def default_factory(test_config: dict | None):
    """The recipe ``create_app`` records for a helper (``None`` if the configuration cannot be sent)."""
    factory = functools.partial(helper_app, test_config)
    try:
        pickle.dumps(factory)
    except Exception:
        return None
    return factory


READY_TIMEOUT = 120.0  # seconds a new helper may take to build the app
RUN_TIMEOUT = 900.0  # seconds one run may take before the helper is ended and a new one started


def _in_memory(url: str) -> bool:
    from sqlalchemy.engine import make_url

    try:
        parsed = make_url(url)
    except Exception:
        return True  # not a URL another process could open
    database = parsed.database or ""
    return parsed.get_backend_name() == "sqlite" and (
        database in ("", ":memory:") or parsed.query.get("mode") == "memory" or "mode=memory" in database)


def helper_possible(app, factory) -> bool:
    if factory is None or _in_memory(str(app.config.get("WILMA_DATABASE_URL", ""))):
        return False  # nothing to hand over, or a database only this process can see
    for name in ("gevent.monkey", "eventlet.patcher"):
        module = sys.modules.get(name)
        if module is not None and module.is_module_patched("threading"):
            return False
    return True


def identity(app) -> dict:
    """What must be the same in the web process and its helper: the database, the index, the types."""
    from wilma.search.registry import providers

    return {"database": str(app.config.get("WILMA_DATABASE_URL")), "backend": app.config.get("WILMA_SEARCH_BACKEND"),
            "index": app.config.get("WILMA_SEARCH_INDEX_DIR"), "types": sorted(providers())}


class Helper:
    """One helper process and its pipe; used by one worker thread at a time."""

    def __init__(self, factory, expected: dict):
        self.factory = factory
        self.expected = expected
        self.process = None
        self.connection = None

    def flush(self) -> int:
        """Apply every pending row in the helper; answer how many were done.

        Raises :class:`IndexBusy` (the writer lock is taken: try later), :class:`HelperError` (this run
        failed; the rows stay pending; a helper that ended is replaced on the next run) or
        :class:`HelperGone` (no helper could be started, or it builds a different app)."""
        if self.process is None or not self.process.is_alive():
            self.start()
        try:
            self.connection.send("flush")
            if not self.connection.poll(RUN_TIMEOUT):
                raise HelperError(f"the search helper did not answer within {RUN_TIMEOUT:.0f} s; it is replaced")
            status, value = self.connection.recv()
        except (EOFError, OSError) as err:
            self.stop()
            raise HelperError("the search helper process ended; the next run starts a new one") from err
        except HelperError:
            self.stop()
            raise
        if status == "busy":
            raise IndexBusy(value)
        if status == "error":
            raise HelperError(value)
        return value

    def start(self) -> None:
        import multiprocessing

        self.stop()
        context = multiprocessing.get_context("spawn")
        ours, theirs = context.Pipe()
        process = context.Process(target=serve, args=(self.factory, theirs), name="wilma-search-helper",
                                  daemon=True)
        try:
            process.start()
        except Exception as err:
            ours.close()
            raise HelperGone(f"the search helper process could not be started: {err}") from err
        finally:
            theirs.close()
        self.process, self.connection = process, ours
        try:
            ready = ours.poll(READY_TIMEOUT) and ours.recv()
        except (EOFError, OSError):
            ready = None
        if not ready or ready[0] != "ready" or ready[1] != self.expected:
            self.stop()
            found = ready[1] if ready and ready[0] == "ready" else "no answer (see its log above)"
            raise HelperGone(f"the search helper did not start as this app: expected {self.expected}, got {found}")

    def stop(self) -> None:
        if self.connection is not None:
            self.connection.close()
        if self.process is not None and self.process.is_alive():
            self.process.terminate()
            self.process.join(timeout=5)
        self.process = self.connection = None


def serve(factory, connection) -> None:
    """The helper's loop: build the app, say who it is, then apply the outbox whenever asked, until the
    pipe closes."""
    # Ctrl-C in the terminal of ``make run`` reaches the whole process group: the web process ends, and
    # with it this helper (the pipe closes), without a second traceback from here.
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    from wilma.search.outbox import apply_pending

    try:
        os.nice(5)  # requests of the web process come first, as with ``flask wilma search process``
    except OSError:
        pass
    app = factory()
    with app.app_context():
        connection.send(("ready", identity(app)))
    while True:
        try:
            connection.recv()
        except (EOFError, OSError):
            return
        try:
            reply = ("ok", apply_pending(app))
        except IndexBusy as err:
            reply = ("busy", str(err))
        except Exception:
            logger.exception("search outbox: processing failed in the helper (rows stay pending)")
            reply = ("error", traceback.format_exc(limit=5))
        try:
            connection.send(reply)
        except OSError:
            return
