"""Real WILMA servers in subprocesses on 127.0.0.1, for the slow tests and ``bench/chat.py``.

``prepare`` builds an instance folder (tables, people, one group channel) and login sessions for
everyone, so that hundreds of clients need not each go through the login form. ``Server`` starts
``python -m wilma.serve`` or gunicorn on a free port and waits until it answers.
"""

import json
import os
import signal
import socket
import subprocess
import sys
import time
from pathlib import Path

import requests

ROOT = Path(__file__).resolve().parents[2]
PYTHON = sys.executable


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def _env(instance: Path, extra: dict | None = None) -> dict:
    env = dict(os.environ)
    env.update({"WILMA_INSTANCE_PATH": str(instance), "PYTHONPATH": str(ROOT)})
    for key in [k for k in env if k.startswith("WILMA_") and k != "WILMA_INSTANCE_PATH"]:
        env.pop(key)
    env.update(extra or {})
    return env


def prepare(instance: Path, people: int = 3, config: dict | None = None) -> dict:
    """Create the instance: tables, ``people`` members (user0, user1, ...), their group's channel and a
    session cookie per person. Returns ``{"channel_id", "cookies": {username: cookie header}}``."""
    return prepare_in_background(instance, people, config)()


def prepare_in_background(instance: Path, people: int = 3, config: dict | None = None):
    """Write the instance's config.py now and fill its database in a subprocess; returns ``finish()``,
    which waits for it and returns what ``prepare`` returns. Servers may start meanwhile."""
    instance.mkdir(parents=True, exist_ok=True)
    settings = {"WILMA_SECRET_KEY": "real-server-test", "WILMA_DEFAULT_LOCALE": "en",
                "WILMA_CHAT_RATE_LIMIT": (100000, 10), "WILMA_LOGIN_LIMIT_PER_ADDRESS": "10000 per minute",
                **(config or {})}
    (instance / "config.py").write_text("".join(f"{k} = {v!r}\n" for k, v in settings.items()))
    proc = subprocess.Popen([PYTHON, "-m", "tests.chat.realserver", str(instance), str(people)], cwd=ROOT,
                            env=_env(instance), stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)

    def finish() -> dict:
        out, err = proc.communicate(timeout=180)
        if proc.returncode:
            raise RuntimeError(err)
        return json.loads(out.strip().splitlines()[-1])

    return finish


def _prepare_here(instance: str, people: int) -> dict:
    import secrets

    from wilma import create_app
    from wilma.accounts.models import User, UserSession
    from wilma.accounts.services import SESSION_KEY, sha256
    from wilma.chat.services import group_channel
    from wilma.extensions import db
    from wilma.groups.models import Group, GroupMembership

    app = create_app()
    cookies = {}
    with app.app_context():
        db.create_all()
        group = Group(name="Lasttest", visibility="private")
        db.session.add(group)
        users = [User(username=f"user{i}", display_name=f"User {i}", email=f"user{i}@example.org")
                 for i in range(people)]  # no password: they log in through the sessions made below
        db.session.add_all(users)
        db.session.flush()
        db.session.add_all(GroupMembership(group_id=group.id, user_id=u.id) for u in users)
        channel = group_channel(group.id)
        serializer = app.session_interface.get_signing_serializer(app)
        for user in users:
            raw = secrets.token_urlsafe(32)
            db.session.add(UserSession(token_hash=sha256(raw), user_id=user.id))
            cookie = serializer.dumps({SESSION_KEY: raw, "_user_id": str(user.id), "_fresh": True})
            cookies[user.username] = f"{app.config['SESSION_COOKIE_NAME']}={cookie}"
        db.session.commit()
        return {"channel_id": channel.id, "group_id": group.id, "cookies": cookies}


class Server:
    """``with Server(instance, kind="serve"|"gunicorn") as server: server.url``."""

    def __init__(self, instance: Path, kind: str = "serve", env: dict | None = None):
        self.instance, self.kind, self.port = instance, kind, free_port()
        self.url = f"http://127.0.0.1:{self.port}"
        self.extra_env = env or {}
        self.proc = None

    def command(self) -> list[str]:
        if self.kind == "gunicorn":
            return [str(Path(PYTHON).parent / "gunicorn"), "-k",
                    "geventwebsocket.gunicorn.workers.GeventWebSocketWorker", "-w", "1",
                    "--bind", f"127.0.0.1:{self.port}", "wilma.gevent_wsgi:app"]
        return [PYTHON, "-m", "wilma.serve", "--port", str(self.port)]

    def __enter__(self):
        self.start()
        self.wait()
        return self

    def start(self) -> "Server":
        """Start the process without waiting (start several, then ``wait`` for each)."""
        extra = dict(self.extra_env)
        if self.kind == "gunicorn":
            extra.setdefault("WILMA_SOCKETIO_ASYNC_MODE", "gevent")
        self.log = open(self.instance / f"server-{self.port}.log", "w")  # noqa: SIM115
        self.proc = subprocess.Popen(self.command(), cwd=ROOT, env=_env(self.instance, extra),
                                     stdout=self.log, stderr=subprocess.STDOUT, start_new_session=True)
        return self

    def wait(self, timeout: float = 60) -> None:
        """Until the server answers ``/healthz``."""
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if self.proc.poll() is not None:
                raise RuntimeError(f"server exited: {(self.instance / f'server-{self.port}.log').read_text()}")
            try:
                if requests.get(self.url + "/healthz", timeout=1).status_code == 200:
                    return
            except requests.RequestException:
                time.sleep(0.1)
        raise RuntimeError(f"server did not start within {timeout} s")

    def __exit__(self, *exc):
        self.stop()

    def stop(self) -> None:
        self.proc.send_signal(signal.SIGINT)  # quick shutdown for Werkzeug and gunicorn alike
        try:
            self.proc.wait(timeout=2)
        except subprocess.TimeoutExpired:  # gunicorn waits for open WebSockets: end its workers too
            os.killpg(self.proc.pid, signal.SIGKILL)
            self.proc.wait(timeout=5)
        self.log.close()


def wait_for(condition, timeout: float = 10.0, interval: float = 0.02) -> bool:
    """Poll ``condition()`` until it is true or ``timeout`` passes; returns its last value."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if condition():
            return True
        time.sleep(interval)
    return bool(condition())


if __name__ == "__main__":
    print(json.dumps(_prepare_here(sys.argv[1], int(sys.argv[2]))))
