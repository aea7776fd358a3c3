"""Benchmark of the feed: seed a big SQLite database, start the real server, measure under load.

    PYTHONPATH=$PWD .venv/bin/python bench/feed.py                       # 2,000 users, 300 groups, 100,000 posts
    PYTHONPATH=$PWD .venv/bin/python bench/feed.py --users 200 --posts 5000 --requests 200   # a quick run

What it does, in one run:

1. seeds users, groups (60 % public, 30 % private, 10 % secret), memberships, follows, posts (5 % on
   profiles), comments, likes and a few polls with bulk inserts into a SQLite file in a temporary
   instance folder (tables from the models, as the tests do);
2. counts the SQL queries of one feed page for 10 and for 50 posts (in-process, API and HTML page);
3. starts the real server: gunicorn with two processes (one per core) of eight threads, as production
   serves pages (docs/deployment.md), or with ``--server serve`` the one-process development server of
   ``make run`` (``python -m wilma.serve``: sixteen clients then share one interpreter lock, and a long
   request waits behind every other one; its ratios are reported as they come, but are not the goal's); on
   127.0.0.1 with ``WILMA_INSTANCE_PATH`` pointing at the temporary folder;
4. logs in 16 people and measures, at 16 concurrent clients, the feed page, a group page and
   ``/healthz`` (a minimal page of the same app), each page alone at full concurrency, in alternating
   blocks so that other work on the machine weighs on all alike: median, p95 and the ratios to
   ``/healthz``; and, steadier on a busy machine, the CPU time per request measured in-process.
   For reference it also measures ``layout``: a 404 page, the cheapest HTML page of the app (the layout
   with its notification bell and navigation badges, no content), so that the report shows how much of a
   page is the layout every page shares and how much the stream.
   The group page is the groups feature's ``/groups/<id>`` when it is installed, else the group's
   stream from the API.

Goal (issue 3): feed p95 at most 3x the minimal page; the same number of queries for 10 and 50 posts.
"""

import argparse
import json
import os
import random
import re
import shutil
import signal
import socket
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from datetime import UTC, datetime, timedelta
from pathlib import Path

import requests

ROOT = Path(__file__).resolve().parent.parent
PASSWORD = "bench-password-2026"  # noqa: S105 - the seeded accounts of a throw-away database
LAYOUT_PATH = "/bench-layout"  # no such page: the app's 404 page, i.e. the layout alone


# --- seeding ---------------------------------------------------------------------------------------------


def chunks(rows, size=5000):
    for start in range(0, len(rows), size):
        yield rows[start:start + size]


def bulk(session, table, rows) -> None:
    from sqlalchemy import insert

    for part in chunks(rows):
        session.execute(insert(table), part)


def seed(app, *, users: int, groups: int, posts: int, comments_per_post: float, likes_per_post: float,
         rng: random.Random) -> dict:
    """Fill the database with bulk inserts; returns what the measurement needs (ids)."""
    from werkzeug.security import generate_password_hash

    from wilma.accounts.models import User
    from wilma.extensions import db
    from wilma.groups.models import Group, GroupMembership
    from wilma.posts.models import Comment, Follow, Like, Poll, PollOption, Post

    now = datetime.now(UTC).replace(tzinfo=None)
    password_hash = generate_password_hash(PASSWORD)
    session = db.session
    bulk(session, User.__table__, [
        {"username": f"user{i}", "email": f"user{i}@bench.example", "display_name": f"Person {i}",
         "password_hash": password_hash, "is_admin": i == 1, "active": True, "auth_source": "local",
         "job_title": "Sachbearbeitung", "phone": "", "room": "", "about": "", "about_html": "",
         "created_at": now, "updated_at": now} for i in range(1, users + 1)])
    kinds = ["public"] * 6 + ["private"] * 3 + ["secret"]
    bulk(session, Group.__table__, [
        {"name": f"Gruppe {g}", "description": "", "description_html": "", "visibility": kinds[g % 10],
         "category": f"Kategorie {g % 12}", "color": "#0b5cad", "created_by_id": 1 + g % users,
         "created_at": now, "updated_at": now} for g in range(1, groups + 1)])
    members: dict[int, set[int]] = {g: set() for g in range(1, groups + 1)}
    rows = []
    for user_id in range(1, users + 1):
        for group_id in rng.sample(range(1, groups + 1), k=min(groups, rng.randint(3, 12))):
            members[group_id].add(user_id)
    for group_id, people in members.items():
        people.add(1 + group_id % users)  # the creator
        for n, user_id in enumerate(sorted(people)):
            rows.append({"group_id": group_id, "user_id": user_id, "role": "owner" if n == 0 else "member",
                         "joined_at": now})
    bulk(session, GroupMembership.__table__, rows)
    bulk(session, Follow.__table__, [
        {"follower_id": u, "followed_id": f, "created_at": now}
        for u in range(1, users + 1) for f in {rng.randint(1, users) for _ in range(8)} - {u}])

    start = now - timedelta(days=365)
    step = timedelta(days=365) / posts
    post_rows, comment_rows, like_rows = [], [], []
    group_members = {g: sorted(p) for g, p in members.items()}
    comment_id = 0
    for post_id in range(1, posts + 1):
        created = start + step * post_id + timedelta(microseconds=rng.randint(0, 999))
        profile = rng.random() < 0.05
        group_id = None if profile else rng.randint(1, groups)
        author = rng.randint(1, users) if profile else rng.choice(group_members[group_id])
        n_comments = int(rng.expovariate(1 / comments_per_post)) if comments_per_post else 0
        n_likes = min(int(rng.expovariate(1 / likes_per_post)) if likes_per_post else 0, 40)
        body = f"Beitrag {post_id}: Neuigkeiten aus der Verwaltung, **wichtig** für alle."
        post_rows.append({"group_id": group_id, "profile_user_id": author if profile else None,
                          "author_id": author, "body": body,
                          "html": f"<p>Beitrag {post_id}: Neuigkeiten aus der Verwaltung, <strong>wichtig</strong> "
                                  "für alle.</p>",
                          "created_at": created, "like_count": 0, "comment_count": n_comments})
        pool = group_members[group_id] if group_id else range(1, users + 1)
        for c in range(n_comments):
            comment_id += 1
            comment_rows.append({"post_id": post_id, "parent_id": None, "author_id": rng.choice(pool),
                                 "body": f"Kommentar {c}", "html": f"<p>Kommentar {c}</p>",
                                 "created_at": created + timedelta(minutes=c + 1), "like_count": 0})
        likers = {rng.choice(pool) for _ in range(n_likes)}
        post_rows[-1]["like_count"] = len(likers)
        like_rows += [{"user_id": u, "post_id": post_id, "comment_id": None, "created_at": created}
                      for u in likers]
    bulk(session, Post.__table__, post_rows)
    bulk(session, Comment.__table__, comment_rows)
    bulk(session, Like.__table__, like_rows)
    poll_posts = [p for p in range(posts, max(posts - 2000, 0), -97)]
    bulk(session, Poll.__table__, [{"post_id": p, "multiple": False, "voter_count": 0} for p in poll_posts])
    session.flush()
    poll_ids = dict(session.execute(Poll.__table__.select().with_only_columns(Poll.post_id, Poll.id)).all())
    bulk(session, PollOption.__table__, [{"poll_id": poll_ids[p], "label": label, "position": i, "vote_count": 0}
                                         for p in poll_posts for i, label in enumerate(("Ja", "Nein"))])
    session.commit()
    session.execute(db.text("ANALYZE"))
    session.commit()
    public_groups = [g for g in range(1, groups + 1) if kinds[g % 10] == "public"]
    return {"members": group_members, "public_groups": public_groups, "comments": len(comment_rows),
            "likes": len(like_rows)}


# --- query count -----------------------------------------------------------------------------------------


def count_queries(app, engine, username: str, group_id: int) -> dict:
    """SQL statements of one feed page (API and HTML) for 10 and for 50 posts, after a warm-up."""
    from sqlalchemy import event

    client = app.test_client()
    html = client.get("/login").get_data(as_text=True)
    token = re.search(r'name="csrf_token"[^>]*value="([^"]+)"', html).group(1)
    client.post("/login", data={"login": username, "password": PASSWORD, "csrf_token": token})
    counts = {}
    for label, path in (("api", "/api/v1/feed?limit={n}"), ("page", "/feed?limit={n}"),
                        ("group api", f"/api/v1/groups/{group_id}/posts?limit={{n}}")):
        for n in (10, 50):
            client.get(path.format(n=n))
            statements: list[str] = []

            def hit(_conn, _cursor, statement, *_args, sink=statements, me=threading.get_ident()):
                # this thread's only: the search outbox worker queries the same engine from its own thread
                if threading.get_ident() == me:
                    sink.append(statement)

            event.listen(engine, "before_cursor_execute", hit)
            try:
                response = client.get(path.format(n=n))
            finally:
                event.remove(engine, "before_cursor_execute", hit)
            assert response.status_code == 200, (path, response.status_code)
            counts[f"{label} {n}"] = len(statements)
    return counts


def cpu_times(app, username: str, group_id: int, runs: int = 40) -> dict:
    """CPU milliseconds per request in-process (median): less disturbed by other work on the machine."""
    client = app.test_client()
    html = client.get("/login").get_data(as_text=True)
    token = re.search(r'name="csrf_token"[^>]*value="([^"]+)"', html).group(1)
    client.post("/login", data={"login": username, "password": PASSWORD, "csrf_token": token})
    result = {}
    for label, path in (("healthz", "/healthz"), ("layout", LAYOUT_PATH), ("feed", "/feed"),
                        ("feed api", "/api/v1/feed"), ("group api", f"/api/v1/groups/{group_id}/posts")):
        times = []
        for n in range(runs + 5):
            start = time.process_time()
            client.get(path)
            if n >= 5:
                times.append((time.process_time() - start) * 1000)
        result[label] = round(statistics.median(times), 2)
    for label in ("layout", "feed", "feed api", "group api"):
        result[f"{label} ratio"] = round(result[label] / result["healthz"], 2)
    result["feed / layout"] = round(result["feed"] / result["layout"], 2)
    return result


# --- the server and the load -----------------------------------------------------------------------------


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def start_server(instance: Path, port: int, server: str) -> subprocess.Popen:
    env = {**os.environ, "WILMA_INSTANCE_PATH": str(instance), "PYTHONPATH": str(ROOT),
           "WILMA_LOGIN_LIMIT_PER_ADDRESS": "1000 per minute", "WILMA_DEFAULT_LOCALE": "en"}
    if server == "gunicorn":
        command = [sys.executable, "-m", "gunicorn", "-w", "2", "-k", "gthread", "--threads", "8",
                   "-b", f"127.0.0.1:{port}", "--log-level", "warning", "wsgi:app"]
    else:
        command = [sys.executable, "-m", "wilma.serve", "--host", "127.0.0.1", "--port", str(port)]
    log = open(instance / "server.log", "wb")  # noqa: SIM115 - the server writes to it while it runs
    # Not a pipe: nobody reads it while the server runs, and a full pipe would block the server.
    process = subprocess.Popen(command, cwd=ROOT, env=env, stdout=log, stderr=subprocess.STDOUT,
                               start_new_session=True)
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        try:
            if requests.get(f"http://127.0.0.1:{port}/healthz", timeout=1).ok:
                return process
        except requests.RequestException:
            time.sleep(0.2)
    process.kill()
    raise SystemExit("the server did not start: " + (instance / "server.log").read_text()[-2000:])


def login(base: str, username: str, password: str = PASSWORD) -> requests.Session:
    session = requests.Session()
    html = session.get(f"{base}/login").text
    token = re.search(r'name="csrf_token"[^>]*value="([^"]+)"', html).group(1)
    response = session.post(f"{base}/login", data={"login": username, "password": password, "csrf_token": token},
                            allow_redirects=False)
    assert response.status_code == 302, f"login of {username} failed: {response.status_code}"
    return session


def measure(sessions: list[requests.Session], url: str, per_client: int) -> list[float]:
    """All sessions (one thread each) fetch ``url`` ``per_client`` times at once; latencies in ms."""
    latencies: list[float] = []
    lock = threading.Lock()
    barrier = threading.Barrier(len(sessions))
    errors: list[str] = []

    def work(session):
        mine = []
        barrier.wait()
        for _ in range(per_client):
            start = time.perf_counter()
            response = session.get(url, allow_redirects=False)
            mine.append((time.perf_counter() - start) * 1000)
            if response.status_code != (404 if url.endswith(LAYOUT_PATH) else 200):
                errors.append(f"{url}: {response.status_code}")
        with lock:
            latencies.extend(mine)

    threads = [threading.Thread(target=work, args=(s,)) for s in sessions]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    if errors:
        raise SystemExit(f"{len(errors)} failed requests, e.g. {errors[0]}")
    return latencies


def measure_blocks(sessions, urls: dict[str, str], per_client: int, blocks: int = 4) -> dict[str, list[float]]:
    """Each page alone at full concurrency, in alternating short blocks, so that other work on the machine
    (which comes and goes) weighs on every page alike."""
    latencies: dict[str, list[float]] = {label: [] for label in urls}
    per_block = max(1, per_client // blocks)
    for _ in range(blocks):
        for label, url in urls.items():
            latencies[label] += measure(sessions, url, per_block)
    return latencies


def summary(latencies: list[float]) -> dict:
    ordered = sorted(latencies)
    return {"n": len(ordered), "median_ms": round(statistics.median(ordered), 2),
            "p95_ms": round(ordered[int(len(ordered) * 0.95) - 1], 2)}


def group_page_path(base: str, session: requests.Session, group_id: int) -> str:
    """The groups feature's page when it is installed, else the group stream of the API."""
    if session.get(f"{base}/groups/{group_id}", allow_redirects=False).status_code == 200:
        return f"/groups/{group_id}"
    return f"/api/v1/groups/{group_id}/posts"


def main(argv=None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--users", type=int, default=2000)
    parser.add_argument("--groups", type=int, default=300)
    parser.add_argument("--posts", type=int, default=100_000)
    parser.add_argument("--comments-per-post", type=float, default=2.0)
    parser.add_argument("--likes-per-post", type=float, default=3.0)
    parser.add_argument("--clients", type=int, default=16)
    parser.add_argument("--requests", type=int, default=600, help="requests per page kind (all clients)")
    parser.add_argument("--server", choices=["gunicorn", "serve"], default="gunicorn",
                        help="gunicorn as in production (default), or the development server of make run")
    parser.add_argument("--keep", action="store_true", help="keep the temporary instance folder")
    parser.add_argument("--json", action="store_true", help="print the result as JSON only")
    args = parser.parse_args(argv)
    rng = random.Random(2026)
    instance = Path(tempfile.mkdtemp(prefix="wilma-bench-"))
    os.environ["WILMA_INSTANCE_PATH"] = str(instance)
    report: dict = {"sizes": {"users": args.users, "groups": args.groups, "posts": args.posts},
                    "server": args.server, "clients": args.clients}
    process = None
    try:
        from wilma import create_app
        from wilma.extensions import db

        app = create_app({"WILMA_DEFAULT_LOCALE": "en"})
        with app.app_context():
            db.create_all()
            started = time.perf_counter()
            seeded = seed(app, users=args.users, groups=args.groups, posts=args.posts,
                          comments_per_post=args.comments_per_post, likes_per_post=args.likes_per_post, rng=rng)
            report["sizes"].update(comments=seeded["comments"], likes=seeded["likes"])
            report["seed_seconds"] = round(time.perf_counter() - started, 1)
            busiest = max(seeded["public_groups"], key=lambda g: len(seeded["members"][g]))
            db.session.remove()
            engine = db.engine
        # Outside an app context: each test request then gets its own (and its own ``g``), as in production.
        report["queries_per_page"] = count_queries(app, engine, "user2", busiest)
        report["cpu_ms_in_process"] = cpu_times(app, "user9", busiest)
        engine.dispose()

        port = free_port()
        base = f"http://127.0.0.1:{port}"
        process = start_server(instance, port, args.server)
        people = [f"user{2 + i * 7}" for i in range(args.clients)]
        sessions = [login(base, name) for name in people]
        group_path = group_page_path(base, sessions[0], busiest)
        rounds = max(1, args.requests // args.clients)
        urls = {"healthz": base + "/healthz", "feed": base + "/feed", "group": base + group_path,
                "feed api": base + "/api/v1/feed", "layout": base + LAYOUT_PATH}
        measure_blocks(sessions, urls, max(1, rounds // 5), blocks=1)  # warm-up
        report["load_average_before"] = [round(x, 2) for x in os.getloadavg()]
        results = {label: summary(values) for label, values in measure_blocks(sessions, urls, rounds).items()}
        report["load_average_after"] = [round(x, 2) for x in os.getloadavg()]
        results["group"]["path"] = group_path
        minimal = results["healthz"]
        for label in ("feed", "group", "feed api", "layout"):
            results[label]["p95_ratio"] = round(results[label]["p95_ms"] / minimal["p95_ms"], 2)
            results[label]["median_ratio"] = round(results[label]["median_ms"] / minimal["median_ms"], 2)
        report["latency"] = results
        q = report["queries_per_page"]
        same = q["api 10"] == q["api 50"] and q["page 10"] == q["page 50"]
        report["goals"] = {"feed p95 <= 3x minimal": results["feed"]["p95_ratio"] <= 3,
                           "same queries for 10 and 50 posts": same}
    finally:
        if process is not None:
            os.killpg(process.pid, signal.SIGTERM)
            process.wait(timeout=20)
        if not args.keep:
            shutil.rmtree(instance, ignore_errors=True)
        else:
            report["instance"] = str(instance)
    if args.json:
        sys.stdout.write(json.dumps(report) + "\n")
        return
    sys.stdout.write(json.dumps(report, indent=2) + "\n")


if __name__ == "__main__":
    main()
