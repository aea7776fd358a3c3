"""The pieces of ``bench/run_all.py`` that are not measurements: the servers, people, cookies, the file.

``Servers`` is one gunicorn with N gevent-websocket workers on one port (see run_all.py for why), with
an instance folder of its own whose ``config.py`` points at the given database and Redis.
"""

import os
import random
import re
import secrets
import signal
import subprocess
import sys
import time
import uuid
from pathlib import Path

import requests

ROOT = Path(__file__).resolve().parents[1]
BEGIN, END = "<!-- run_all: begin -->", "<!-- run_all: end -->"


class Servers:
    def __init__(self, tmp: Path, args):
        self.instance = tmp / "instance"
        self.instance.mkdir()
        self.workers, self.proc, self.search_worker = args.workers, None, None
        settings = {"WILMA_DATABASE_URL": args.database_url, "WILMA_SECRET_KEY": secrets.token_urlsafe(32),
                    "WILMA_SOCKETIO_MESSAGE_QUEUE": args.redis, "WILMA_SOCKETIO_CHANNEL": f"bench-{uuid.uuid4().hex}",
                    "WILMA_SEARCH_BACKEND": args.search_backend, "WILMA_SEED_ON_START": False,
                    # as docs/deployment.md sets up a city: index changes are applied by one search worker
                    # process (started beside gunicorn below), not by a thread inside each web worker
                    "WILMA_SEARCH_AUTO_PROCESS": False,
                    "WILMA_DEFAULT_LOCALE": "en", "WILMA_LOGIN_LIMIT_PER_ADDRESS": "100000 per minute",
                    "WILMA_LOGIN_LIMIT_PER_ACCOUNT": "100000 per minute", "WILMA_CHAT_RATE_LIMIT": (100000, 10)}
        (self.instance / "config.py").write_text("".join(f"{k} = {v!r}\n" for k, v in settings.items()))
        from chat import free_port  # bench/chat.py's (from tests/chat/realserver.py)

        self.port = free_port()
        self.url = f"http://127.0.0.1:{self.port}"
        os.environ["WILMA_INSTANCE_PATH"] = str(self.instance)

    def app(self):
        """An app in this process with the servers' configuration (sessions, search)."""
        from wilma import create_app

        return create_app()

    def start(self) -> None:
        env = {**os.environ, "WILMA_INSTANCE_PATH": str(self.instance), "PYTHONPATH": str(ROOT),
               "WILMA_SOCKETIO_ASYNC_MODE": "gevent"}
        command = [str(Path(sys.executable).parent / "gunicorn"), "-k",
                   "geventwebsocket.gunicorn.workers.GeventWebSocketWorker", "-w", str(self.workers),
                   "--bind", f"127.0.0.1:{self.port}", "--timeout", "120", "--log-level", "warning",
                   "wilma.gevent_wsgi:app"]
        self.log = open(self.instance / "gunicorn.log", "wb")  # noqa: SIM115 - open while the server runs
        self.proc = subprocess.Popen(command, cwd=ROOT, env=env, stdout=self.log, stderr=subprocess.STDOUT,
                                     start_new_session=True)
        worker = [str(Path(sys.executable).parent / "flask"), "--app", "wsgi", "wilma", "search", "process", "--loop"]
        self.search_worker = subprocess.Popen(worker, cwd=ROOT, env=env, stdout=self.log, stderr=subprocess.STDOUT,
                                              start_new_session=True)
        deadline = time.monotonic() + 300
        while time.monotonic() < deadline:
            if self.proc.poll() is not None:
                raise SystemExit("gunicorn exited: " + (self.instance / "gunicorn.log").read_text()[-3000:])
            if len(self.worker_pids()) == self.workers and self._answers():
                return
            time.sleep(0.5)
        raise SystemExit("gunicorn did not start within 300 s")

    def _answers(self) -> bool:
        try:
            return requests.get(self.url + "/healthz", timeout=5).ok
        except requests.RequestException:
            return False

    def worker_pids(self) -> list[int]:
        path = Path(f"/proc/{self.proc.pid}/task/{self.proc.pid}/children")
        return [int(pid) for pid in path.read_text().split()] if path.exists() else []

    def worker_rss(self) -> list[float]:
        return [rss_mb(pid) for pid in self.worker_pids()]

    def stop(self) -> None:
        if self.search_worker is not None:
            self.search_worker.terminate()
            self.search_worker.wait(timeout=30)
            self.search_worker = None
        if self.proc is None:
            return
        os.killpg(self.proc.pid, signal.SIGTERM)
        try:
            self.proc.wait(timeout=15)
        except subprocess.TimeoutExpired:  # workers wait for open WebSockets: end them
            os.killpg(self.proc.pid, signal.SIGKILL)
            self.proc.wait(timeout=5)
        self.log.close()

    def forget_sessions(self, ids: list[int]) -> None:
        from sqlalchemy import delete

        from wilma.accounts.models import UserSession
        from wilma.extensions import db

        with self.app().app_context():
            db.session.execute(delete(UserSession).where(UserSession.id.in_(ids)))
            db.session.commit()


def rss_mb(pid: int) -> float:
    """Resident memory of a process, from /proc (MB)."""
    match = re.search(r"VmRSS:\s+(\d+) kB", Path(f"/proc/{pid}/status").read_text())
    return int(match.group(1)) / 1024 if match else 0.0


def pick_people(app, clients: int) -> dict:
    """Who takes part: the largest group's members chat, members of the largest public group read."""
    from sqlalchemy import func, select

    from wilma.accounts.models import User
    from wilma.chat.models import Channel, ChatMessage
    from wilma.extensions import db
    from wilma.groups.models import Group, GroupMembership
    from wilma.posts.models import Comment, Post
    from wilma.wiki.models import WikiRevision

    with app.app_context():
        size = func.count(GroupMembership.id)
        biggest = db.session.execute(select(GroupMembership.group_id, size).group_by(GroupMembership.group_id)
                                     .order_by(size.desc()).limit(1)).one()
        public = db.session.execute(select(GroupMembership.group_id, size).join(Group).where(
            Group.visibility == "public").group_by(GroupMembership.group_id).order_by(size.desc()).limit(1)).one()
        chatters = list(db.session.scalars(select(GroupMembership.user_id).where(
            GroupMembership.group_id == biggest[0]).order_by(GroupMembership.user_id).limit(clients)))
        readers = list(db.session.scalars(
            select(User.username).join(GroupMembership, GroupMembership.user_id == User.id)
            .where(GroupMembership.group_id == public[0]).order_by(User.id).limit(16)))
        reader = db.session.scalar(select(User.id).where(User.username == readers[0]))
        channel = db.session.scalar(select(Channel.id).where(Channel.group_id == biggest[0]))
        counts = {name: db.session.scalar(select(func.count()).select_from(model)) for name, model in (
            ("people", User), ("groups", Group), ("posts", Post), ("comments", Comment),
            ("wiki revisions", WikiRevision), ("chat messages", ChatMessage))}
        db.session.remove()
    if len(chatters) < clients:
        raise SystemExit(f"the largest group has {len(chatters)} members, fewer than {clients} clients")
    sizes = ", ".join(f"{count:,} {name}" for name, count in counts.items())
    return {"chatters": chatters, "readers": readers, "reader": reader, "channel": channel,
            "public_group": public[0], "sizes": f"{sizes}; chat group {biggest[1]:,} members"}


def make_cookies(app, user_ids: list[int]) -> tuple[list[str], list[int]]:
    """A login session per person, as the login form makes them, and its signed cookie (as
    tests/chat/realserver.py does): 500 logins through the form would only measure password hashing."""
    from wilma.accounts.models import UserSession
    from wilma.accounts.services import SESSION_KEY, sha256
    from wilma.extensions import db

    cookies, rows = [], []
    with app.app_context():
        serializer = app.session_interface.get_signing_serializer(app)
        for user_id in user_ids:
            raw = secrets.token_urlsafe(32)
            rows.append(UserSession(token_hash=sha256(raw), user_id=user_id))
            cookie = serializer.dumps({SESSION_KEY: raw, "_user_id": str(user_id), "_fresh": True})
            cookies.append(f"{app.config['SESSION_COOKIE_NAME']}={cookie}")
        db.session.add_all(rows)
        db.session.commit()
        ids = [row.id for row in rows]
        db.session.remove()
    return cookies, ids


def search_queries(count: int) -> list[str]:
    """What people type, in the vocabulary of the scale data set: nouns and topics (one or two words),
    name prefixes, and ae/oe/ue/ss spellings of words with umlauts."""
    from wilma.scale_demo.content import FIRST, LAST, NOUNS, TOPICS

    FIRST, LAST = tuple(FIRST), tuple(LAST)

    rng, out = random.Random(7), []
    for _ in range(count):
        roll = rng.random()
        word = rng.choice(NOUNS + TOPICS)
        if roll < 0.5:
            out.append(word)
        elif roll < 0.7:
            out.append(f"{word} {rng.choice(TOPICS)}")
        elif roll < 0.85:
            out.append(rng.choice(LAST + FIRST)[:4])
        else:
            folded = rng.choice([w for w in NOUNS + TOPICS + LAST if any(c in w for c in "äöüß")])
            out.append(folded.replace("ß", "ss").replace("ü", "ue").replace("ö", "oe").replace("ä", "ae"))
    return out


def write_section(path: Path, text: str) -> None:
    """Put ``text`` between the result markers of ``path`` (appended with them when missing)."""
    old = path.read_text() if path.exists() else ""
    block = f"{BEGIN}\n{text}{END}"
    if BEGIN in old and END in old:
        new = old[:old.index(BEGIN)] + block + old[old.index(END) + len(END):]
    else:
        heading = "" if old.rstrip().endswith("## Results") else "## Results\n\n"
        new = old.rstrip() + f"\n\n{heading}{block}\n"
    path.write_text(new)
