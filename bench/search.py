"""Search benchmark: Whoosh or PostgreSQL (as WILMA runs them) beside SQLite FTS5 on the same documents.

    .venv/bin/python bench/search.py --docs 200000      # the issue's size
    .venv/bin/python bench/search.py --docs 20000       # a quick run
    .venv/bin/python bench/search.py --docs 50000 --backend postgres \
        --database-url postgresql+psycopg://postgres@127.0.0.1/scratch   # an EMPTY scratch database

Measures, on German-like generated documents (a vocabulary of ~5,000 words and compounds with Zipf
frequencies, function words, umlauts, ß, names of people):
- rebuild throughput (documents/s) through ``services.rebuild_index`` with ``procs=2``;
- query latency (median, p95) through ``services.search`` as a user (visibility filter, outbox mask,
  fresh load, snippets), and of the backend alone;
- the latency of creating a post with search off and on: through the posts service (``create_post``, as
  the composer and the API create one; search off = no outbox row, as without search installed), and as
  a bare row (insert + commit, the outbox row's cost alone against the cheapest write there is). Search
  on = the outbox row, applied to the big index by the web process's worker (its helper process), and
  by a separate worker process; off and on alternate in blocks of posts;
- SQLite FTS5 (unicode61, diacritics removed) indexing and querying the same documents.
Prints a table; nothing is kept unless ``--keep`` is given.
"""

import argparse
import functools
import os
import random
import shutil
import sqlite3
import statistics
import subprocess
import sys
import tempfile
import time
from datetime import UTC, datetime, timedelta
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

WORDS = ("Antrag Verwaltung Straße Genehmigung Bürgeramt Öffnungszeiten Haushalt Stadtrat Sitzung Vorlage "
         "Bauvorhaben Grünfläche Spielplatz Schule Kindergarten Personalrat Fortbildung Dienstreise Urlaub "
         "Gebühren Satzung Verordnung Bescheid Widerspruch Förderung Zuschuss Veranstaltung Bürgerbeteiligung "
         "Digitalisierung Formular Termin Abteilung Referat Amt Leitung Sachbearbeitung Ausschreibung Vergabe "
         "Müll Abfall Wertstoffhof Verkehr Radweg Parkplatz Baustelle Sperrung Umleitung Brücke Tiefbau "
         "Feuerwehr Rettungsdienst Ordnungsamt Gewerbe Anmeldung Ummeldung Reisepass Führerschein Kfz "
         "Zulassung Friedhof Bibliothek Museum Theater Kultur Sport Schwimmbad Hallenbad Klimaschutz Energie "
         "Photovoltaik Heizung Gebäude Sanierung Wohnung Miete Wohngeld Sozialamt Jugendamt Gesundheitsamt "
         "Impfung Quartier Stadtteil Bezirk Nachbarschaft Ehrenamt Senioren Inklusion Barrierefreiheit "
         "Größe Maßnahme Prüfung Überprüfung Änderung Ergänzung Rückmeldung Frist Entwurf Beschluss").split()
GLUE = "der die das und mit für von zur zum im am auf bei nach über unter wird werden ist sind neue alle".split()
FIRST = "Anna Bernd Claudia Dieter Elke Frank Gabi Hans Ines Jürgen Karin Lutz Monika Norbert Özlem".split()
LAST = "Müller Schmidt Schneider Fischer Weber Meyer Wagner Becker Schulz Hoffmann Schäfer Koch Bauer Groß".split()
START = datetime(2024, 1, 1, tzinfo=UTC)
POSTS_FROM = 10 ** 9  # ids of the posts created through the posts service (below: generated and bare rows)


def _vocabulary() -> tuple[list[str], list[float]]:
    """Content words with Zipf frequencies: the stems and ~5,000 compounds of them (Bauvorhabengenehmigung,
    Straßensanierung...), ranked in a fixed random order; word k is used about 1/k as often as word 1."""
    rng = random.Random(42)
    words = list(WORDS)
    seen = set(words)
    while len(words) < 5000:
        word = rng.choice(WORDS) + rng.choice(WORDS).lower() + rng.choice(("", "", "en", "s", "e"))
        if word not in seen:
            seen.add(word)
            words.append(word)
    rng.shuffle(words)
    total, cumulative = 0.0, []
    for rank in range(1, len(words) + 1):
        total += 1.0 / rank
        cumulative.append(total)
    return words, cumulative


VOCABULARY, CUMULATIVE = _vocabulary()


def content_word(rng: random.Random) -> str:
    return rng.choices(VOCABULARY, cum_weights=CUMULATIVE)[0]


def text(rng: random.Random, words: int) -> str:
    out = []
    for _ in range(words):
        roll = rng.random()
        out.append(rng.choice(GLUE) if roll < 0.35 else content_word(rng) if roll < 0.95 else
                   f"{rng.choice(FIRST)} {rng.choice(LAST)}")
    return " ".join(out) + "."


def make_document(number: int):
    from wilma.search.registry import Document

    rng = random.Random(number)
    return Document(type="posts", object_id=number, title=text(rng, rng.randint(3, 8)),
                    body=text(rng, rng.randint(30, 90)), url=f"/posts/{number}",
                    group_id=rng.choice((None, None, None, 1, 2, 3)),
                    created_at=START + timedelta(minutes=number))


def cpu_seconds() -> float:
    """CPU time of this process and its finished children (the rebuild's writer processes)."""
    import resource

    own, children = resource.getrusage(resource.RUSAGE_SELF), resource.getrusage(resource.RUSAGE_CHILDREN)
    return own.ru_utime + own.ru_stime + children.ru_utime + children.ru_stime


def percentile(values, p):
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(round(p / 100 * (len(ordered) - 1))))]


def queries(count: int) -> list[str]:
    """What people type: one or two content words drawn with the same frequencies as the text (so
    frequent, broad words are searched most: the pessimistic case), name prefixes, ae/oe/ue/ss spellings."""
    rng = random.Random(7)
    out = []
    for _ in range(count):
        roll = rng.random()
        if roll < 0.5:
            out.append(content_word(rng))
        elif roll < 0.75:
            out.append(f"{content_word(rng)} {content_word(rng)}")
        elif roll < 0.9:
            out.append(rng.choice(LAST)[:4])  # a name prefix
        else:
            word = content_word(rng)
            out.append(word.replace("ß", "ss").replace("ü", "ue").replace("ö", "oe").replace("ä", "ae"))
    return out


def setup_app(workdir: Path, docs: int, auto_process: bool, backend: str = "whoosh", database_url: str | None = None,
              create: bool = True):
    from flask_migrate import upgrade
    from sqlalchemy import Column, DateTime, Integer, MetaData, Table, Text, inspect, select

    from wilma import create_app
    from wilma.extensions import db
    from wilma.search import registry
    from wilma.search.registry import Document, Provider

    app = create_app({
        "INSTANCE_PATH": str(workdir / "instance"),
        "WILMA_DATABASE_URL": database_url or f"sqlite:///{workdir / 'bench.db'}",
        "WILMA_SECRET_KEY": "bench", "WILMA_PLUGINS": [], "WILMA_SEED_ON_START": False,
        "WILMA_SEARCH_AUTO_PROCESS": auto_process, "WILMA_SEARCH_BACKEND": backend,
        "WILMA_POSTS_RATE_LIMIT": "1000000/minute",  # 50 posts/s by one person; the limiter still counts
    })
    table = Table("bench_posts", MetaData(), Column("id", Integer, primary_key=True), Column("body", Text),
                  Column("created_at", DateTime(timezone=True)))
    with app.app_context():
        if not create:
            pass
        elif database_url:  # the migrations, as a production database (postgres search needs 0002)
            if inspect(db.engine).has_table("users"):
                sys.exit(f"{database_url} is not empty: give the benchmark a scratch database.")
            upgrade()
        else:
            db.create_all()
        table.create(db.engine, checkfirst=True)

    real = registry.providers()["posts"]  # load the features' providers first, or theirs would replace ours
    if real.iter_documents.__module__ == __name__:
        raise RuntimeError("setup_app runs once per process: the posts provider is already the benchmark's")

    def load_many(numbers: list[int]) -> dict:
        """Generated documents up to ``docs``, bare rows above, posts of the posts service from POSTS_FROM."""
        found = {n: make_document(n) for n in numbers if n <= docs}
        bare = [n for n in numbers if docs < n < POSTS_FROM]
        if bare:
            for row in db.session.execute(select(table).where(table.c.id.in_(bare))):
                found[row.id] = Document(type="posts", object_id=row.id, title="", body=row.body,
                                         created_at=row.created_at)
        if service := [n for n in numbers if n >= POSTS_FROM]:
            found.update(real.load_documents(service))
        return found

    registry.register_provider(Provider(type="posts", iter_documents=lambda: map(make_document, range(1, docs + 1)),
                                        load=lambda n: load_many([n]).get(n), load_many=load_many,
                                        count=lambda: docs))
    # the outbox worker's helper process builds this app, with this provider (wilma/search/outbox_helper.py)
    app.extensions["wilma_app_factory"] = functools.partial(helper_app, workdir, docs, backend, database_url)
    return app, table


def helper_app(workdir: Path, docs: int, backend: str, database_url: str | None):
    return setup_app(workdir, docs, auto_process=False, backend=backend, database_url=database_url, create=False)[0]


def bench_engine(app, docs: int, query_list: list[str]) -> dict:
    from wilma.accounts import services as accounts
    from wilma.core.database import commit
    from wilma.search import services
    from wilma.search.backend import Filters, get_backend

    results = {}
    with app.app_context():
        user = accounts.create_user("bench", None, display_name="Bench Leser")
        commit()
        started = time.perf_counter()
        last = {"t": started}

        def progress(done, total):
            now = time.perf_counter()
            if now - last["t"] > 5:
                last["t"] = now
                print(f"  rebuild: {done}/{total} ({done / (now - started):.0f} docs/s)", file=sys.stderr)

        cpu_before = cpu_seconds()
        report = services.rebuild_index(progress=progress)
        seconds = time.perf_counter() - started
        results["rebuild_docs_s"] = report.documents / seconds
        results["rebuild_s"] = seconds
        results["rebuild_docs_cpu_s"] = report.documents / max(cpu_seconds() - cpu_before, 1e-6)
        with app.test_request_context():
            acl = services.access_terms(user.id, set())
            for query in query_list:  # warm the searcher and the OS page cache: both loops below run warm
                get_backend().search(query, Filters(acl=acl))
        cpu_before = time.process_time()
        timings = time_user_queries(app, type(user), user.id, query_list, warm=False)
        results["query_cpu_ms"] = (time.process_time() - cpu_before) * 1000 / len(query_list)
        backend_timings = []
        with app.test_request_context():
            for query in query_list:
                t0 = time.perf_counter()
                get_backend().search(query, Filters(acl=acl))
                backend_timings.append((time.perf_counter() - t0) * 1000)
        results["query_ms"] = (statistics.median(timings), percentile(timings, 95))
        results["backend_query_ms"] = (statistics.median(backend_timings), percentile(backend_timings, 95))
        results["index_mb"] = get_backend().status()["size_bytes"] / 1048576
        results["user_id"] = user.id
    return results


def time_user_queries(app, user_model, user_id: int, query_list: list[str], warm: bool = True) -> list[float]:
    """Milliseconds of ``services.search`` per query, each in its own app and request context as a
    request has them (nothing the previous query read about the user's groups is reused)."""
    from wilma.extensions import db
    from wilma.search import services

    timings = []
    for round_ in ("warm", "timed") if warm else ("timed",):
        for query in query_list:
            with app.app_context(), app.test_request_context():
                user = db.session.get(user_model, user_id)
                t0 = time.perf_counter()
                services.search(user, query)
                if round_ == "timed":
                    timings.append((time.perf_counter() - t0) * 1000)
                db.session.remove()
    return timings


def start_service_posts(app, user_id: int) -> None:
    """Make the posts service's ids start at ``POSTS_FROM`` (the provider tells them apart by number)."""
    from sqlalchemy import text as sql

    from wilma.core.database import commit
    from wilma.core.models import utcnow
    from wilma.extensions import db
    from wilma.posts.models import Post

    with app.app_context():
        if db.engine.dialect.name == "postgresql":
            db.session.execute(sql("SELECT setval(pg_get_serial_sequence('posts', 'id'), :n, false)"),
                               {"n": POSTS_FROM})
        else:  # the next rowid follows the largest: a deleted placeholder (never queued, never indexed)
            db.session.add(Post(id=POSTS_FROM - 1, author_id=user_id, profile_user_id=user_id, body="", html="",
                                deleted_at=utcnow()))
        commit()


def create_posts(app, table, user_id: int, way: str, search: bool, count: int, numbers,
                 interval: float) -> tuple[list[float], set[str]]:
    """Milliseconds per created post, each in a write request context like a POST, from the request's
    login query on (on SQLite it begins the write transaction, and so waits for the write lock the
    search worker may hold); and the keys of the posts created with search on.

    ``way``: ``service`` (``posts.services.create_post``: the post, its Markdown, mentions, followers,
    the rate limiter, the commit) or ``bare`` (one row into a table of its own, and commit). Search off:
    no outbox row, as without search installed (the worker and its helper stay, idle)."""
    from wilma.accounts.models import User
    from wilma.core.database import commit, mark_write_transaction
    from wilma.extensions import db
    from wilma.posts import services as posts
    from wilma.search.outbox import queue_index

    rng = random.Random(next(numbers))
    original = posts.queue_search
    if not search:
        posts.queue_search = lambda key, *, delete=False: None
    timings, keys = [], set()
    try:
        with app.app_context():
            for _ in range(count):
                body, number = text(rng, 50), next(numbers)
                with app.test_request_context("/posts", method="POST"):
                    mark_write_transaction(True)
                    t0 = time.perf_counter()
                    user = db.session.get(User, user_id)  # the request's login, before the view
                    if way == "service":
                        number = posts.create_post(user, body=body).id
                    else:
                        db.session.execute(table.insert().values(id=number, body=body, created_at=datetime.now(UTC)))
                        if search:
                            queue_index(f"posts:{number}")
                        commit()
                    timings.append((time.perf_counter() - t0) * 1000)
                    db.session.remove()
                if search:
                    keys.add(f"posts:{number}")
                time.sleep(interval)  # a steady stream of posts, not one burst (this is a script, not a request)
    finally:
        posts.queue_search = original
    return timings, keys


def settle(app) -> None:
    """Wait until the outbox is empty (the web process's worker or the separate one applied it)."""
    from wilma.extensions import db
    from wilma.search.outbox import pending_count, worker_for

    with app.app_context():
        idle = worker_for(app).wait_idle(timeout=300)
        deadline = time.monotonic() + 300
        while pending_count() and time.monotonic() < deadline:
            db.session.rollback()
            time.sleep(0.2)
        left = pending_count()
        db.session.remove()
    if not idle or left:
        raise SystemExit(f"the outbox did not drain in 300 s ({left} rows pending): the figures would overlap")


def bench_post_creation(app, table, user_id: int, docs: int, count: int, on: str, interval: float,
                        blocks: int = 4) -> dict:
    """Posts created with search off and on (``on``: ``web``, the web process's worker; ``process``, a
    separate worker), both ways, alternating in ``blocks`` so that drift hits off and on alike (``count``
    per way and state, rounded down to a multiple of ``blocks``). Answers {(way, "off" | "on"): (median,
    p95), "keys": the keys of the posts created with search on}."""
    import itertools

    numbers = itertools.count(docs + 1 + (0 if on == "web" else 10 ** 6))  # bare rows, and the seeds
    app.config["WILMA_SEARCH_AUTO_PROCESS"] = on == "web"
    timings = {(way, state): [] for way in ("service", "bare") for state in ("off", "on")}
    keys: set[str] = set()
    per_block = max(1, count // blocks)
    for block in range(blocks):
        order = [(way, state) for way in ("service", "bare") for state in ("off", "on")]
        for way, state in order[::-1] if block % 2 else order:  # off-on, then on-off: drift hits both alike
            spent, created = create_posts(app, table, user_id, way, state == "on", per_block, numbers, interval)
            timings[(way, state)] += spent
            keys |= created
            settle(app)
    result = {key: (statistics.median(values), percentile(values, 95)) for key, values in timings.items()}
    result["keys"] = keys
    return result


def run_worker(workdir: Path, docs: int, backend: str, database_url: str | None) -> None:
    """``--worker``: apply the outbox in a loop (what ``flask wilma search process --loop`` does), with
    the benchmark's provider, until the file ``stop`` appears."""
    from wilma.search.backend import IndexBusy
    from wilma.search.outbox import apply_pending

    os.nice(10)  # as ``flask wilma search process --loop`` does by default
    app, _table = setup_app(workdir, docs, auto_process=False, backend=backend, database_url=database_url,
                            create=False)
    while not (workdir / "stop").exists():
        try:
            apply_pending(app)
        except IndexBusy:
            pass
        time.sleep(1.0)  # the default --interval


def bench_fts5(workdir: Path, docs: int, query_list: list[str]) -> dict:
    con = sqlite3.connect(workdir / "fts.db")
    con.execute("PRAGMA journal_mode=WAL")
    con.execute("CREATE VIRTUAL TABLE docs USING fts5(title, body, tokenize='unicode61 remove_diacritics 2')")
    started, cpu_before = time.perf_counter(), time.process_time()
    batch = []
    with con:
        for number in range(1, docs + 1):
            doc = make_document(number)
            batch.append((number, doc.title, doc.body))
            if len(batch) == 5000:
                con.executemany("INSERT INTO docs(rowid, title, body) VALUES (?, ?, ?)", batch)
                batch.clear()
        con.executemany("INSERT INTO docs(rowid, title, body) VALUES (?, ?, ?)", batch)
    seconds, cpu = time.perf_counter() - started, time.process_time() - cpu_before
    timings = []
    cpu_before = time.process_time()
    for query in query_list:
        match = " ".join(f'"{word}"*' if len(word) <= 4 else f'"{word}"' for word in query.split())
        t0 = time.perf_counter()
        con.execute("SELECT rowid, snippet(docs, 1, '<mark>', '</mark>', '…', 12) FROM docs WHERE docs MATCH ? "
                    "ORDER BY rank LIMIT 20", (match,)).fetchall()
        con.execute("SELECT count(*) FROM docs WHERE docs MATCH ?", (match,)).fetchone()
        timings.append((time.perf_counter() - t0) * 1000)
    query_cpu_ms = (time.process_time() - cpu_before) * 1000 / len(query_list)
    con.close()
    return {"index_docs_s": docs / seconds, "index_s": seconds, "index_docs_cpu_s": docs / cpu,
            "query_cpu_ms": query_cpu_ms,
            "query_ms": (statistics.median(timings), percentile(timings, 95))}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--docs", type=int, default=200_000)
    parser.add_argument("--queries", type=int, default=300)
    parser.add_argument("--posts", type=int, default=200,
                        help="posts created per way (service, bare), search state and worker (a multiple of 4)")
    parser.add_argument("--post-interval", type=float, default=0.02,
                        help="seconds between created posts (0.02: 50 posts/s, far above an intranet's rate)")
    parser.add_argument("--keep", action="store_true", help="keep the working directory")
    parser.add_argument("--backend", choices=("whoosh", "postgres"), default="whoosh")
    parser.add_argument("--database-url", help="an empty scratch database (needed for --backend postgres; "
                                               "its tables are left behind: drop the database afterwards)")
    parser.add_argument("--worker", help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.backend == "postgres" and not (args.database_url or "").startswith("postgresql"):
        parser.error("--backend postgres needs --database-url postgresql+psycopg://...")
    if args.worker:
        run_worker(Path(args.worker), args.docs, args.backend, args.database_url)
        return

    workdir = Path(tempfile.mkdtemp(prefix="wilma-search-bench-"))
    query_list = queries(args.queries)
    try:
        print(f"Generating and indexing {args.docs} documents in {workdir} ...", file=sys.stderr)
        app, table = setup_app(workdir, args.docs, auto_process=True, backend=args.backend,
                               database_url=args.database_url)
        engine = bench_engine(app, args.docs, query_list)
        print("Creating posts with search off and on ...", file=sys.stderr)
        user_id = engine["user_id"]
        start_service_posts(app, user_id)
        web = bench_post_creation(app, table, user_id, args.docs, args.posts, "web", args.post_interval)
        worker = subprocess.Popen([sys.executable, __file__, "--worker", str(workdir), "--docs", str(args.docs),
                                   "--backend", args.backend]
                                  + (["--database-url", args.database_url] if args.database_url else []))
        try:
            separate = bench_post_creation(app, table, user_id, args.docs, args.posts, "process", args.post_interval)
        finally:
            (workdir / "stop").touch()
            worker.wait(timeout=60)
        with app.app_context():  # every post created with search on is in the index, no more, no less
            from wilma.search.backend import get_backend

            indexed = {key for key in get_backend().all_keys() if key.startswith("posts:")}
        expected = {f"posts:{n}" for n in range(1, args.docs + 1)} | web["keys"] | separate["keys"]
        print("SQLite FTS5 on the same documents ...", file=sys.stderr)
        fts = bench_fts5(workdir, args.docs, query_list)
    finally:
        if not args.keep:
            shutil.rmtree(workdir, ignore_errors=True)

    rows = [
        ("documents", f"{args.docs:,}", f"{args.docs:,}"),
        ("build (docs/s)", f"{engine['rebuild_docs_s']:,.0f} ({engine['rebuild_s']:.0f} s)",
         f"{fts['index_docs_s']:,.0f} ({fts['index_s']:.0f} s)"),
        ("build (docs per CPU-second)", f"{engine['rebuild_docs_cpu_s']:,.0f}", f"{fts['index_docs_cpu_s']:,.0f}"),
        ("query median / p95 (ms), as a user", "{:.1f} / {:.1f}".format(*engine["query_ms"]),
         "{:.1f} / {:.1f}".format(*fts["query_ms"])),
        ("query median / p95 (ms), engine only", "{:.1f} / {:.1f}".format(*engine["backend_query_ms"]), "-"),
        ("query CPU per query (ms), as a user", f"{engine['query_cpu_ms']:.1f}", f"{fts['query_cpu_ms']:.1f}"),
        ("index size (MB)", f"{engine['index_mb']:.0f}", "-"),
        ("posts in the index afterwards: expected / missing / extra",
         f"{len(expected):,} / {len(expected - indexed):,} / {len(indexed - expected):,}", "-"),
    ]
    for what, way in (("create post (posts service)", "service"), ("create post (bare row)", "bare")):
        for label, result in (("web process", web), ("separate worker", separate)):
            off, on = result[(way, "off")], result[(way, "on")]
            rows.append((f"{what}, search off / on ({label}): median / p95 (ms)",
                         "{:.2f} / {:.2f} -> {:.2f} / {:.2f}".format(*off, *on), f"p95 ratio {on[1] / off[1]:.2f}x"))
    width = max(len(r[0]) for r in rows)
    heading = {"whoosh": "Whoosh (WILMA)", "postgres": "PostgreSQL FTS (WILMA)"}[args.backend]
    print("load average: {:.2f} {:.2f} {:.2f}".format(*os.getloadavg()))
    print(f"{'':<{width}}  {heading:<28}  SQLite FTS5")
    for label, left, right in rows:
        print(f"{label:<{width}}  {left:<28}  {right}")
    if indexed != expected:
        sys.exit("The index does not hold exactly the posts created with search on (see above).")


if __name__ == "__main__":
    main()
