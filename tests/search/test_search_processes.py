"""Several processes writing and applying the outbox at the same time lose no update."""

import os
import subprocess
import sys
from pathlib import Path

import pytest
from sqlalchemy import select

from wilma.accounts.models import User
from wilma.core.database import commit
from wilma.extensions import db
from wilma.search.backend import get_backend
from wilma.search.outbox import pending_count, queue_index

ROOT = Path(__file__).resolve().parents[2]

WRITER = """
import sys
from wilma import create_app
from wilma.accounts import services
from wilma.core.database import commit, mark_write_transaction
from wilma.search.outbox import flush_outbox

tag, count = sys.argv[1], int(sys.argv[2])
app = create_app({"WILMA_SEARCH_AUTO_PROCESS": False, "WILMA_SEED_ON_START": False})
with app.app_context(), app.test_request_context():
    mark_write_transaction(True)  # like a POST: BEGIN IMMEDIATE
    created = []
    for i in range(count):
        created.append(services.create_user(f"{tag}{i}", None, display_name=f"Altname {tag} {i}"))
        commit()
        if i % 3 == 2:  # rename one created earlier: the index must end with the new name
            services.update_profile(created[i - 2], {"display_name": f"Neuname {tag} {i - 2}"})
        if i % 4 == 0:
            flush_outbox(batch_size=7)
    flush_outbox()
"""


def environment(app) -> dict:
    env = dict(os.environ)
    env.update({
        "PYTHONPATH": str(ROOT),
        "WILMA_INSTANCE_PATH": app.instance_path,
        "WILMA_DATABASE_URL": app.config["SQLALCHEMY_DATABASE_URI"],
        "WILMA_SEARCH_INDEX_DIR": app.config["WILMA_SEARCH_INDEX_DIR"],
        "WILMA_SEARCH_BACKEND": app.config["WILMA_SEARCH_BACKEND"],
        "WILMA_SECRET_KEY": "test-secret",
        "WILMA_PLUGINS": "",
        "WILMA_SEED_ON_START": "0",
    })
    return env


def run_together(commands, env):
    procs = [subprocess.Popen(cmd, cwd=ROOT, env=env, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True)
             for cmd in commands]
    outputs = [proc.communicate(timeout=240)[0] for proc in procs]
    for proc, output in zip(procs, outputs, strict=True):
        assert proc.returncode == 0, output[-3000:]
    return outputs


@pytest.fixture
def indexed_people(app):
    def keys():
        return {k for k in get_backend().all_keys() if k.startswith("people:")}
    return keys


def active_people_keys():
    db.session.rollback()
    return {f"people:{uid}" for uid in db.session.scalars(select(User.id).where(User.active.is_(True)))}


def test_two_writer_processes_and_their_workers_lose_nothing(app, indexed_people, search_as):
    env = environment(app)
    run_together([[sys.executable, "-c", WRITER, "aa", "18"], [sys.executable, "-c", WRITER, "bb", "18"]], env)
    assert pending_count() == 0
    expected = active_people_keys()
    assert len(expected) == 36 and indexed_people() == expected
    reader = db.session.scalar(select(User).limit(1))
    renamed = search_as(reader, "Neuname", per_page=100)
    assert renamed.counts == {"people": 12} and renamed.total == 12
    assert search_as(reader, "Altname", per_page=100).total == 24


def test_two_flask_process_commands_apply_a_backlog_exactly_once(app, indexed_people, search_as):
    from wilma.accounts import services

    users = [services.create_user(f"p{n}", None, display_name=f"Person {n}") for n in range(120)]
    commit()
    for user in users[::2]:
        user.display_name = f"Umbenannt {user.id}"
        queue_index(f"people:{user.id}")
    commit()
    assert pending_count() == 180
    db.session.rollback()  # outside a request every transaction holds SQLite's write lock: end ours
    command = [sys.executable, "-m", "flask", "--app", "wsgi", "wilma", "search", "process"]
    outputs = run_together([command, command], environment(app))
    applied = sum(int(out.split("Applied ")[1].split()[0]) for out in outputs)
    assert applied == 180  # each row by exactly one of the two processes
    assert pending_count() == 0
    assert indexed_people() == active_people_keys()
    assert search_as(users[1], "Umbenannt", per_page=100).total == 60
