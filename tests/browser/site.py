"""Real servers for the browser tests, and an app in the test process that writes into a server's instance.

``serve`` runs ``python -m wilma.serve`` (what ``make run`` starts) on an instance folder. The tests that
need much content (the XSS corpus in every place people write) do not type it into forms one string at
a time: ``Site`` builds an app in the test process on the same instance folder (database, uploads,
search index, ``config.py``) and calls the services, exactly as the server's views would; the server
then shows the result. Only the app's own code writes; nothing is inserted behind the services' back.
"""

import contextlib
import os
import socket
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]

SETTINGS = {
    "WILMA_SECRET_KEY": "browser-site-tests",
    "WILMA_DEFAULT_LOCALE": "en",
    "WILMA_LOGIN_LIMIT_PER_ADDRESS": "10000 per minute",
    "WILMA_LOGIN_LIMIT_PER_ACCOUNT": "10000 per minute",
    "WILMA_POSTS_RATE_LIMIT": "10000 per minute",
    "WILMA_COMMENTS_RATE_LIMIT": "10000 per minute",
    "WILMA_UPLOADS_RATE_LIMIT": "10000 per minute",
    "WILMA_CHAT_RATE_LIMIT": (100000, 10),
}


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


class LiveServer:
    """A server process on a free port; ``start`` returns at once, ``wait`` until it answers."""

    def __init__(self, instance: Path, env: dict):
        self.instance, self.env = instance, env
        self.url = f"http://127.0.0.1:{free_port()}"
        self.process = self.log = None

    def start(self) -> "LiveServer":
        self.log = open(self.instance / "server.log", "w")  # noqa: SIM115 - closed in stop()
        port = self.url.rsplit(":", 1)[1]
        self.process = subprocess.Popen([sys.executable, "-m", "wilma.serve", "--port", port], cwd=ROOT,
                                        env=self.env, stdout=self.log, stderr=subprocess.STDOUT)
        return self

    def wait(self, timeout: float = 60) -> None:
        deadline = time.monotonic() + timeout
        while True:
            try:
                urllib.request.urlopen(f"{self.url}/healthz", timeout=1)
                return
            except OSError:
                if self.process.poll() is not None or time.monotonic() > deadline:
                    self.stop()
                    pytest.fail("the server did not start:\n" + (self.instance / "server.log").read_text()[-3000:])
                time.sleep(0.1)

    def stop(self) -> None:
        self.process.terminate()
        try:
            self.process.wait(timeout=10)
        except subprocess.TimeoutExpired:
            self.process.kill()
        self.log.close()


@contextlib.contextmanager
def serve(instance: Path, env: dict, *, wait: bool = True):
    """Run the server on ``instance`` until the block ends (``wait=False``: call ``server.wait()``)."""
    server = LiveServer(instance, env).start()
    try:
        if wait:
            server.wait()
        yield server
    finally:
        server.stop()


class Site:
    """The writing side: ``with site.request(): services.create_post(user, ...)``."""

    def __init__(self, instance: Path, settings: dict | None = None):
        from wilma import create_app

        instance.mkdir(parents=True, exist_ok=True)
        values = {**SETTINGS, **(settings or {})}
        (instance / "config.py").write_text("".join(f"{k} = {v!r}\n" for k, v in values.items()))
        self.instance = instance
        # the server applies its own limits; the writer here is the test's author, not a visitor
        self.app = create_app({"INSTANCE_PATH": str(instance), "WILMA_SEED_ON_START": False,
                               "RATELIMIT_ENABLED": False, "WILMA_SEARCH_AUTO_PROCESS": False})

    def migrate(self) -> None:
        """``flask db upgrade``: the tables as an installation has them."""
        from flask_migrate import upgrade

        with self.app.app_context():
            upgrade()

    @contextlib.contextmanager
    def request(self):
        """A writing request context (like a POST: transactions begin with ``BEGIN IMMEDIATE`` on SQLite,
        so they wait for the server's writers instead of failing), so that services can build URLs and
        translate their sentences."""
        from wilma.core.database import mark_write_transaction
        from wilma.extensions import db

        with self.app.test_request_context("/", method="POST"):
            mark_write_transaction(True)
            try:
                yield
            finally:
                db.session.remove()

    def flush_search(self) -> int:
        """Apply the search outbox now (what the server's worker does a moment after each commit)."""
        from wilma.search.backend import IndexBusy
        from wilma.search.outbox import flush_outbox

        with self.request():
            for _attempt in range(300):
                try:
                    return flush_outbox()
                except IndexBusy:  # the server's own worker holds the writer: wait for it
                    time.sleep(0.1)
        raise RuntimeError("the search index stayed locked")

    def serve(self, *, wait: bool = True):
        """The real server on this instance, with the environment's ``WILMA_*`` settings left out."""
        env = {k: v for k, v in os.environ.items() if not k.startswith("WILMA_")}
        env["WILMA_INSTANCE_PATH"] = str(self.instance)
        return serve(self.instance, env, wait=wait)
