"""All benchmarks against the city-sized data set on PostgreSQL, 4 server processes behind one address.

    createdb -h 127.0.0.1 -U postgres wilma_scale
    WILMA_DATABASE_URL=postgresql+psycopg://postgres@127.0.0.1/wilma_scale flask --app wsgi db upgrade
    WILMA_DATABASE_URL=... flask --app wsgi wilma demo --scale city
    PYTHONPATH=. python bench/run_all.py --database-url postgresql+psycopg://postgres@127.0.0.1/wilma_scale \\
        --redis redis://127.0.0.1:6379/5 --out docs/performance.md

The servers: one gunicorn with 4 gevent-websocket workers (the production worker class) on one port,
sharing Redis as the Socket.IO message queue. The kernel hands each new connection to one of the four
processes. That is enough for clients that speak WebSocket from the start (these benchmarks); browsers
begin with HTTP long-polling and need a proxy with sticky sessions in front of separate processes
(docs/deployment.md), which this machine has none of, and a proxy written in Python would itself be
the bottleneck on two cores and blur the figures.

What it runs, reusing the functions of ``bench/feed.py``, ``bench/chat.py`` and ``bench/search.py``:
1. search: rebuild the index (with Whoosh on a sample of each type: millions of documents take hours),
   then queries through ``services.search`` as a user, beside the engine alone;
2. feed: 16 logged-in clients, the feed page, a group page and ``/healthz`` (a minimal page of the same app);
3. chat fan-out: 500 Socket.IO clients in the channel of the largest group, one sending, beside 4 bare
   relays joined by the same Redis; the RSS of each server process while the 500 sockets are open.
Writes a Markdown table to stdout and, with ``--out``, into that file between its result markers.
"""

import argparse
import asyncio
import os
import platform
import statistics
import subprocess
import sys
import tempfile
import time
import uuid
from datetime import UTC, datetime
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path[:0] = [str(ROOT), str(ROOT / "bench")]

import chat as chat_bench  # noqa: E402 - bench/chat.py
import feed as feed_bench  # noqa: E402 - bench/feed.py
import run_all_parts as parts  # noqa: E402 - bench/run_all_parts.py
import search as search_bench  # noqa: E402 - bench/search.py


def measure_search(app, user_id: int, sample: int | None, queries: list[str]) -> dict:
    """Rebuild (on ``sample`` documents per type, or all), then query as ``user_id`` and engine-only."""
    from dataclasses import replace
    from itertools import islice

    from wilma.accounts.models import User
    from wilma.extensions import db
    from wilma.search import registry, services
    from wilma.search.backend import Filters, get_backend

    with app.app_context():
        full = services.count_documents()
        if sample:
            for provider in registry.providers().values():
                registry.register_provider(replace(
                    provider, iter_documents=lambda p=provider: islice(p.iter_documents(), sample),
                    count=lambda p=provider: min(p.count(), sample)))
        started, cpu = time.perf_counter(), search_bench.cpu_seconds()
        report = services.rebuild_index()
        seconds = time.perf_counter() - started
        result = {"docs": report.documents, "full": full, "rebuild_s": seconds,
                  "rebuild_docs_s": report.documents / seconds,
                  "rebuild_docs_cpu_s": report.documents / max(search_bench.cpu_seconds() - cpu, 1e-6)}
        with app.test_request_context():
            user = db.session.get(User, user_id)
            acl = services.access_terms(user.id, services.readable_group_ids(user), services.member_group_ids(user))
        timings = search_bench.time_user_queries(app, User, user_id, queries)
        engine = []
        with app.test_request_context():
            for query in queries:
                t0 = time.perf_counter()
                get_backend().search(query, Filters(acl=acl))
                engine.append((time.perf_counter() - t0) * 1000)
        result["p95"], result["engine_p95"] = (search_bench.percentile(timings, 95),
                                               search_bench.percentile(engine, 95))
        result["median"] = statistics.median(timings)
        db.session.remove()
    return result


def measure_feed(base: str, people: list[str], group_id: int, requests: int) -> dict:
    from wilma.demo import DEMO_PASSWORD

    sessions = [feed_bench.login(base, name, DEMO_PASSWORD) for name in people]
    group_path = feed_bench.group_page_path(base, sessions[0], group_id)
    urls = {"healthz": base + "/healthz", "feed": base + "/feed", "group": base + group_path,
            "feed api": base + "/api/v1/feed"}
    rounds = max(1, requests // len(sessions))
    feed_bench.measure_blocks(sessions, urls, max(1, rounds // 5), blocks=1)  # warm-up
    return {label: feed_bench.summary(values)
            for label, values in feed_bench.measure_blocks(sessions, urls, rounds).items()}


def measure_chat(servers: parts.Servers, relays, cookies: list[str], channel_id: int, args) -> dict:
    """Alternate relay and WILMA ``args.rounds`` times; medians of the p99s, the largest RSS seen."""
    bare, wilma, rss, relay_rss = [], [], [], []
    for _ in range(args.rounds):
        r = asyncio.run(chat_bench.run_clients([relay.url for relay in relays], [None] * len(cookies), 1,
                                               args.messages, args.interval, 60,
                                               on_connected=lambda: [parts.rss_mb(r.proc.pid) for r in relays]))
        chat_bench.report("bare python-socketio relay (4 + Redis)", r)
        bare.append(r)
        relay_rss += r["while_connected"]
        w = asyncio.run(chat_bench.run_clients([servers.url], cookies, channel_id, args.messages, args.interval,
                                               60, on_connected=servers.worker_rss))
        chat_bench.report("WILMA chat (4 workers + Redis)", w)
        wilma.append(w)
        rss += w["while_connected"]
    return {"p99": statistics.median(x["p99_ms"] for x in wilma), "median": statistics.median(
        x["median_ms"] for x in wilma), "relay_p99": statistics.median(x["p99_ms"] for x in bare),
        "lost": sum(x["lost"] for x in wilma), "rss": max(rss), "relay_rss": max(relay_rss),
        "clients": len(cookies)}


def table(feed, chat, search, sample) -> list[tuple]:
    """Rows: figure, value, same-run baseline, ratio, goal, met."""
    def row(figure, value, baseline, goal, met, unit="ms"):
        ratio = f"{value / baseline:.2f}×" if baseline else "–"
        base = f"{baseline:,.1f} {unit}" if baseline else "–"
        return figure, f"{value:,.1f} {unit}", base, ratio, goal, {True: "yes", False: "**no**", None: "–"}[met]

    minimal = feed["healthz"]["p95_ms"]
    rows = [
        row("feed page p95 (16 clients)", feed["feed"]["p95_ms"], minimal, "≤ 3× /healthz",
            feed["feed"]["p95_ms"] <= 3 * minimal),
        row("feed API p95", feed["feed api"]["p95_ms"], minimal, "–", None),
        row("group page p95", feed["group"]["p95_ms"], minimal, "–", None),
        row(f"chat fan-out p99 ({chat['clients']} sockets, lost {chat['lost']})", chat["p99"], chat["relay_p99"],
            "≤ 1.5× bare relay", chat["p99"] <= 1.5 * chat["relay_p99"]),
        row("memory per server process, largest (RSS)", chat["rss"], chat["relay_rss"], "< 300 MB",
            chat["rss"] < 300, unit="MB"),
        row("search p95 as a user", search["p95"], search["engine_p95"], "< 20 ms", search["p95"] < 20),
    ]
    what = f"sample of {search['docs']:,} of {search['full']:,}" if sample else f"all {search['docs']:,}"
    estimate = search["full"] / search["rebuild_docs_s"] / 60
    rows.append((f"search rebuild ({what} documents)", f"{search['rebuild_docs_s']:,.0f} docs/s",
                 f"{search['rebuild_docs_cpu_s']:,.0f} docs per CPU-s", "–",
                 f"full set ≈ {estimate:,.0f} min", "–"))
    return rows


def markdown(rows, context: dict) -> str:
    lines = [f"Run of {context['date']} on {context['machine']}; load average before {context['load_before']}, "
             f"after {context['load_after']}. Data: {context['sizes']}. Search backend: {context['backend']}.", "",
             "| figure | value | same-run baseline | ratio | goal | met? |", "|---|---|---|---|---|---|"]
    lines += ["| " + " | ".join(r) + " |" for r in rows]
    return "\n".join(lines) + "\n"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--database-url", default=os.environ.get("WILMA_DATABASE_URL"), required=False)
    parser.add_argument("--redis", default="redis://127.0.0.1:6379/5")
    parser.add_argument("--search-backend", default="whoosh", help="WILMA_SEARCH_BACKEND for this run")
    parser.add_argument("--rebuild-sample", type=int, default=10_000,
                        help="documents per type for the rebuild with Whoosh (0: all)")
    parser.add_argument("--workers", type=int, default=4)
    parser.add_argument("--clients", type=int, default=500)
    parser.add_argument("--messages", type=int, default=20)
    parser.add_argument("--interval", type=float, default=0.1)
    parser.add_argument("--rounds", type=int, default=3)
    parser.add_argument("--requests", type=int, default=640, help="requests per page kind (16 clients)")
    parser.add_argument("--out", help="write the table into this Markdown file (between its markers)")
    args = parser.parse_args()
    if not args.database_url:
        parser.error("--database-url (or WILMA_DATABASE_URL) is required")
    sample = args.rebuild_sample if args.search_backend == "whoosh" else 0
    load_before = " ".join(f"{x:.2f}" for x in os.getloadavg())
    with tempfile.TemporaryDirectory(prefix="wilma-run-all-") as tmp:
        servers = parts.Servers(Path(tmp), args)
        app = servers.app()
        people = parts.pick_people(app, args.clients)
        print(f"data: {people['sizes']}", flush=True)
        queries = parts.search_queries(300)
        search = measure_search(app, people["reader"], sample, queries)
        print(f"search: {search}", flush=True)
        cookies, session_ids = parts.make_cookies(app, people["chatters"])
        relay_channel = f"relay-{uuid.uuid4().hex}"  # one Redis channel joins all relay processes
        relays = [chat_bench.Relay("gevent", args.redis, relay_channel).start() for _ in range(args.workers)]
        try:
            servers.start()
            for relay in relays:
                relay.wait()
            feed = measure_feed(servers.url, people["readers"], people["public_group"], args.requests)
            print(f"feed: {feed}", flush=True)
            chat = measure_chat(servers, relays, cookies, people["channel"], args)
        finally:
            servers.stop()
            for relay in relays:
                relay.stop()
            servers.forget_sessions(session_ids)
    context = {"date": datetime.now(UTC).strftime("%Y-%m-%d %H:%M UTC"), "machine": machine(),
               "load_before": load_before, "load_after": " ".join(f"{x:.2f}" for x in os.getloadavg()),
               "sizes": people["sizes"], "backend": args.search_backend}
    text = markdown(table(feed, chat, search, sample), context)
    print(text)
    if args.out:
        parts.write_section(Path(args.out), text)
        print(f"written to {args.out} (between {parts.BEGIN!r} and {parts.END!r})")


def machine() -> str:
    cpu = next((line.split(":", 1)[1].strip() for line in Path("/proc/cpuinfo").read_text().splitlines()
                if line.startswith("model name")), platform.processor())
    memory = int(Path("/proc/meminfo").read_text().split()[1]) // 1024 // 1024
    return f"{os.cpu_count()} × {cpu}, {memory} GB RAM, Python {platform.python_version()}"


if __name__ == "__main__":
    subprocess.run(["uptime"], check=False)
    main()
