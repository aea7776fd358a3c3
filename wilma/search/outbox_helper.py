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
handed to another process, an in-memory database), or after a helper failed to start, the worker thread
applies the outbox itself, as before.
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
    """The helper process could not be started or ended unexpectedly."""


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


def helper_possible(app, factory) -> bool:
    url = str(app.config.get("WILMA_DATABASE_URL", ""))
    if factory is None or url.rstrip("/") in ("sqlite:", "sqlite://") or ":memory:" in url:
        return False  # nothing to hand over, or a database only this process can see
    for name in ("gevent.monkey", "eventlet.patcher"):
        module = sys.modules.get(name)
        if module is not None and module.is_module_patched("threading"):
            return False
    return True


class Helper:
    """One helper process and its pipe; used by one worker thread at a time."""

    def __init__(self, factory):
        self.factory = factory
        self.process = None
        self.connection = None
        self.served = 0  # runs answered since start: a helper that never answered is not started again

    def flush(self) -> int:
        """Apply every pending row in the helper; answer how many were done.

        Raises :class:`IndexBusy` (the writer lock is taken: try later), :class:`HelperError` (processing
        failed; the rows stay pending) or :class:`HelperGone`."""
        if self.process is None or not self.process.is_alive():
            self.start()
        try:
            self.connection.send("flush")
            status, value = self.connection.recv()
        except (EOFError, OSError) as err:
            served, self.served = self.served, 0
            self.stop()
            if not served:
                raise HelperGone("the search helper process ended before it answered (see its log above)") from err
            raise HelperError("the search helper process ended; the next run starts a new one") from err
        self.served += 1
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
            raise HelperGone(f"the search helper process could not be started: {err}") from err
        finally:
            theirs.close()
        self.process, self.connection = process, ours

    def stop(self) -> None:
        if self.connection is not None:
            self.connection.close()
        if self.process is not None and self.process.is_alive():
            self.process.terminate()
            self.process.join(timeout=5)
        self.process = self.connection = None


def serve(factory, connection) -> None:
    """The helper's loop: build the app, then apply the outbox whenever asked, until the pipe closes."""
    from wilma.extensions import db
    from wilma.search.outbox import flush_outbox, prune_due

    # Ctrl-C in the terminal of ``make run`` reaches the whole process group: the web process ends, and
    # with it this helper (the pipe closes), without a second traceback from here.
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    try:
        os.nice(5)  # requests of the web process come first, as with ``flask wilma search process``
    except OSError:
        pass
    app = factory()
    while True:
        try:
            connection.recv()
        except (EOFError, OSError):
            return
        with app.app_context():
            try:
                reply = ("ok", flush_outbox(prune=prune_due()))
            except IndexBusy as err:
                reply = ("busy", str(err))
            except Exception:
                logger.exception("search outbox: processing failed in the helper (rows stay pending)")
                reply = ("error", traceback.format_exc(limit=5))
            finally:
                db.session.remove()
        try:
            connection.send(reply)
        except OSError:
            return
