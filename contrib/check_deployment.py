"""Check a WILMA installation from the outside, the way a browser uses it (docs/deployment.md).

    python contrib/check_deployment.py https://wilma.stadt.example --user anna:PASSWORD --user ben:PASSWORD \
        [--cacert /etc/ssl/wilma/wilma.crt] [--backend http://127.0.0.1:8001 --backend http://127.0.0.1:8002 ...]

1. Both people log in through the login form (CSRF token, and the Referer that Flask-WTF demands over
   HTTPS), and ``/api/v1/me`` answers with them.
2. The first opens a direct conversation with the second (JSON API, CSRF header).
3. Socket.IO connections are opened through the public address with the WebSocket transport and with
   long-polling only (long-polling needs sticky sessions at the proxy), and with ``--backend`` directly to
   each server process, for both people.
4. The first person sends a chat message over each of their connections; every connection of the
   second person must receive each message. A message sent on one process that reaches a socket on
   another went through the message queue (Redis).

Needs ``requests`` and ``python-socketio[client]`` with ``websocket-client`` (the project's dev extra).
Exits with 1 when a check fails. Each run writes new messages into the conversation of the two people.
"""

import argparse
import os
import re
import sys
import threading
import time
import uuid
from urllib.parse import urlsplit

import requests
import socketio

TOKEN = re.compile(r'name="csrf_token" type="hidden" value="([^"]+)"')
META = re.compile(r'<meta name="csrf-token" content="([^"]+)"')


def login(base: str, username: str, password: str, verify) -> requests.Session:
    """A session logged in through the form, as a browser would do it."""
    http = requests.Session()
    http.verify = verify
    page = http.get(f"{base}/login", timeout=10)
    page.raise_for_status()
    token = TOKEN.search(page.text).group(1)
    answer = http.post(f"{base}/login", data={"csrf_token": token, "login": username, "password": password},
                       headers={"Referer": f"{base}/login"}, allow_redirects=False, timeout=10)
    if answer.status_code != 302:
        sys.exit(f"login of {username} failed: HTTP {answer.status_code}")
    me = http.get(f"{base}/api/v1/me", timeout=10).json()
    print(f"login {username}: HTTP 302, /api/v1/me -> id {me['id']} ({me['display_name']})")
    http.wilma_user = me
    return http


def open_direct(base: str, http: requests.Session, other_id: int) -> int:
    token = META.search(http.get(f"{base}/", timeout=10).text).group(1)
    answer = http.post(f"{base}/api/v1/channels", json={"member_ids": [other_id]}, timeout=10,
                       headers={"X-CSRFToken": token, "Referer": f"{base}/"})
    answer.raise_for_status()
    return answer.json()["id"]


class Connection:
    """One Socket.IO client that remembers the chat messages it received."""

    def __init__(self, label: str, url: str, http: requests.Session, transports: list[str]):
        self.label, self.received = label, []
        self.client = socketio.Client(http_session=http, reconnection=False)
        self.client.on("chat:message", lambda m: self.received.append(m["body"]))
        # Directly at a backend the Secure cookie of the HTTPS login is not sent by itself: pass it.
        cookie = "; ".join(f"{c.name}={c.value}" for c in http.cookies)
        headers = {"Cookie": cookie} if urlsplit(url).scheme == "http" else {}
        self.client.connect(url, transports=transports, headers=headers, wait_timeout=10)
        print(f"  socket {label:<28} transport={self.client.transport()} sid={self.client.get_sid()}")


def wait_for(condition, timeout: float = 10.0) -> bool:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline and not condition():
        time.sleep(0.05)
    return condition()


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("base", help="the public address, e.g. https://wilma.stadt.example")
    parser.add_argument("--user", action="append", required=True, help="USERNAME:PASSWORD, twice")
    parser.add_argument("--backend", action="append", default=[], help="a server process's own address")
    parser.add_argument("--cacert", help="CA file for a certificate the system does not trust")
    args = parser.parse_args()
    if len(args.user) != 2:
        parser.error("give --user twice: a sender and a receiver")
    base, verify = args.base.rstrip("/"), args.cacert or True
    if args.cacert:  # requests lets REQUESTS_CA_BUNDLE win over a session's own ``verify``
        os.environ["REQUESTS_CA_BUNDLE"] = args.cacert
    sender, receiver = (login(base, *u.split(":", 1), verify) for u in args.user)
    channel_id = open_direct(base, sender, receiver.wilma_user["id"])
    print(f"direct conversation: channel {channel_id}")

    targets = [("proxy websocket", base, ["websocket"]), ("proxy polling", base, ["polling"])]
    targets += [(f"direct {b}", b, ["polling", "websocket"]) for b in args.backend]
    try:
        print("receiver sockets:")
        inbox = [Connection(label, url, receiver, transports) for label, url, transports in targets]
        print("sender sockets:")
        outbox = [Connection(label, url, sender, transports) for label, url, transports in targets]
    except socketio.exceptions.ConnectionError as err:
        # Long-polling alone fails this way when the proxy is not sticky (HTTP 400 from another process).
        print(f"FAILED to open a socket: {err}")
        return 1

    failures = 0
    for conn in outbox:
        body = f"check {conn.label} {uuid.uuid4().hex[:8]}"
        done = threading.Event()
        conn.client.emit("chat:send", {"channel_id": channel_id, "body": body, "client_msg_id": uuid.uuid4().hex},
                         callback=lambda _ack, done=done: done.set())
        acked = done.wait(10)
        got = [c.label for c in inbox if wait_for(lambda c=c, body=body: body in c.received, 10)]
        missing = [c.label for c in inbox if c.label not in got]
        failures += bool(missing) + (not acked)
        print(f"sent via {conn.label:<28} ack={'yes' if acked else 'NO'}  received by {len(got)}/{len(inbox)}"
              + (f"  MISSING: {', '.join(missing)}" if missing else ""))
    for conn in inbox + outbox:
        conn.client.disconnect()
    print("OK" if not failures else f"{failures} FAILED")
    return 1 if failures else 0


if __name__ == "__main__":
    sys.exit(main())
