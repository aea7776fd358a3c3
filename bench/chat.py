"""Chat delivery benchmark: N python-socketio clients in one channel of a real WILMA server on 127.0.0.1,
beside a bare python-socketio relay (bench/relay.py) measured in the same run with the same clients.

One client sends ``--messages`` messages, one every ``--interval`` seconds; every client (the sender's
own tab included) records when each arrives. Reported per server: latency from send to receipt over all
deliveries (median, p99, max), deliveries per second while messages flow, and lost deliveries.

    PYTHONPATH=. python bench/chat.py --clients 500 --messages 20
    PYTHONPATH=. python bench/chat.py --clients 500 --server gunicorn       # gevent worker, relay in gevent
    PYTHONPATH=. python bench/chat.py --clients 500 --redis                 # two processes of each + Redis
"""

import argparse
import asyncio
import statistics
import subprocess
import sys
import tempfile
import time
import uuid
from pathlib import Path

import socketio

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from tests.chat.realserver import Server, free_port, prepare, wait_for  # noqa: E402


class Relay:
    """The bare relay in a subprocess (same async mode as the WILMA server it is compared with)."""

    def __init__(self, mode: str, redis_url: str | None, channel: str):
        self.port, self.mode, self.redis_url, self.channel = free_port(), mode, redis_url, channel
        self.url = f"http://127.0.0.1:{self.port}"

    def start(self):
        cmd = [sys.executable, str(ROOT / "bench" / "relay.py"), "--port", str(self.port), "--mode", self.mode,
               "--channel", self.channel] + (["--redis", self.redis_url] if self.redis_url else [])
        self.proc = subprocess.Popen(cmd, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        return self

    def wait(self):
        import requests

        def up():
            try:
                return requests.get(self.url + "/healthz", timeout=1).ok
            except requests.RequestException:
                return False

        if not wait_for(up, timeout=30, interval=0.1):
            raise RuntimeError("relay did not start")

    def stop(self):
        self.proc.terminate()
        self.proc.wait(timeout=10)


async def run_clients(urls: list[str], cookies: list[str | None], channel_id: int, messages: int,
                      interval: float, timeout: float, on_connected=None) -> dict:
    """Connect one client per cookie (spread over ``urls``), send from the first, measure at all.
    ``on_connected()``, when given, runs once all clients are connected (e.g. to read the servers' memory);
    its result is returned under ``"while_connected"``."""
    received: list[dict[int, float]] = [dict() for _ in cookies]
    sent_at: dict[int, float] = {}
    clients = []

    def handler(index):
        async def on_message(message):
            body = message.get("body") or ""
            if body.startswith("bench:"):
                received[index][int(body.split(":")[1])] = time.perf_counter()
        return on_message

    async def connect(index, cookie):
        sio = socketio.AsyncClient(reconnection=False)
        sio.on("chat:message", handler(index))
        headers = {"Cookie": cookie} if cookie else {}
        await sio.connect(urls[index % len(urls)], headers=headers, transports=["websocket"], wait_timeout=30)
        clients.append(sio)

    started = time.perf_counter()
    for batch in range(0, len(cookies), 25):
        await asyncio.gather(*(connect(i, c) for i, c in enumerate(cookies[batch:batch + 25], start=batch)))
    connect_time = time.perf_counter() - started
    await asyncio.sleep(1.0)
    while_connected = on_connected() if on_connected is not None else None
    sender = clients[0]
    run = uuid.uuid4().hex[:8]
    for seq in range(messages):
        sent_at[seq] = time.perf_counter()
        await sender.emit("chat:send", {"channel_id": channel_id, "body": f"bench:{seq}:{run}",
                                        "client_msg_id": f"bench-{run}-{seq}"})
        await asyncio.sleep(interval)
    deadline = time.perf_counter() + timeout
    expected = messages * len(cookies)
    while time.perf_counter() < deadline and sum(len(r) for r in received) < expected:
        await asyncio.sleep(0.05)
    await asyncio.gather(*(c.disconnect() for c in clients), return_exceptions=True)
    latencies = sorted((at - sent_at[seq]) * 1000 for r in received for seq, at in r.items())
    got = len(latencies)
    last = max((at for r in received for at in r.values()), default=started)
    return {
        "clients": len(cookies), "connect_s": connect_time, "deliveries": got, "lost": expected - got,
        "median_ms": statistics.median(latencies) if latencies else float("nan"),
        "p99_ms": latencies[min(got - 1, int(got * 0.99))] if latencies else float("nan"),
        "max_ms": latencies[-1] if latencies else float("nan"),
        "deliveries_per_s": got / max(last - sent_at[0], 1e-9), "while_connected": while_connected,
    }


def report(name: str, r: dict) -> None:
    print(f"{name:38} clients={r['clients']:4d} median={r['median_ms']:7.1f} ms  p99={r['p99_ms']:7.1f} ms  "
          f"max={r['max_ms']:7.1f} ms  deliveries/s={r['deliveries_per_s']:8.0f}  lost={r['lost']}  "
          f"(connect {r['connect_s']:.1f} s)", flush=True)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--clients", type=int, default=500)
    parser.add_argument("--messages", type=int, default=20)
    parser.add_argument("--interval", type=float, default=0.1, help="seconds between two sends")
    parser.add_argument("--server", choices=["dev", "gunicorn"], default="dev",
                        help="dev: python -m wilma.serve (threading); gunicorn: the production command (gevent)")
    parser.add_argument("--redis", action="store_true", help="two processes of each, joined by Redis")
    parser.add_argument("--timeout", type=float, default=60)
    parser.add_argument("--rounds", type=int, default=1, help="relay and WILMA alternately, this many times")
    args = parser.parse_args()

    mode = "gevent" if args.server == "gunicorn" else "threading"
    kind = "gunicorn" if args.server == "gunicorn" else "serve"
    processes = 2 if args.redis else 1
    queue, relay_queue = None, None
    if args.redis:
        db = 1 + uuid.uuid4().int % 15
        queue = {"WILMA_SOCKETIO_MESSAGE_QUEUE": f"redis://127.0.0.1:6379/{db}",
                 "WILMA_SOCKETIO_CHANNEL": f"bench-{uuid.uuid4().hex}"}
        relay_queue = f"redis://127.0.0.1:6379/{db}"
    with tempfile.TemporaryDirectory() as tmp:
        instance = Path(tmp)
        info = prepare(instance, people=args.clients)
        cookies = [info["cookies"][f"user{i}"] for i in range(args.clients)]
        servers = [Server(instance, kind=kind, env=queue).start() for _ in range(processes)]
        relay_channel = f"relay-{uuid.uuid4().hex}"  # one channel for all relay processes
        relays = [Relay(mode, relay_queue, relay_channel).start() for _ in range(processes)]
        try:
            for s in servers + relays:
                s.wait()
            label = f"{processes} process{'es' if processes > 1 else ''}, {mode}" + (", Redis" if args.redis else "")
            print(f"{args.clients} clients, {args.messages} messages every {args.interval}s; {label}", flush=True)
            for round_no in range(1, args.rounds + 1):  # alternate, so that both see the same machine load
                bare = asyncio.run(run_clients([r.url for r in relays], [None] * args.clients, 1, args.messages,
                                               args.interval, args.timeout))
                report(f"[{round_no}] bare python-socketio relay", bare)
                wilma = asyncio.run(run_clients([s.url for s in servers], cookies, info["channel_id"],
                                                args.messages, args.interval, args.timeout))
                report(f"[{round_no}] WILMA chat", wilma)
                print(f"[{round_no}] p99 ratio WILMA / relay: {wilma['p99_ms'] / bare['p99_ms']:.2f}", flush=True)
        finally:
            for s in servers + relays:
                s.stop()


if __name__ == "__main__":
    main()
