"""Real servers on 127.0.0.1: reconnects lose nothing, the Origin check, two processes over Redis,
and the production command (gunicorn with the gevent WebSocket worker)."""

import os
import socket
import threading
import uuid

import pytest
import requests
import socketio
import websocket

from tests.chat.realserver import Server, prepare_in_background, wait_for

pytestmark = pytest.mark.slow


def redis_queue() -> dict | None:
    """Queue settings with a private channel on ``WILMA_TEST_REDIS_URL`` (CI) or Redis on 127.0.0.1,
    or ``None`` when that Redis is unreachable."""
    url = os.environ.get("WILMA_TEST_REDIS_URL") or "redis://127.0.0.1:6379/0"
    try:
        import redis

        redis.Redis.from_url(url, socket_connect_timeout=1).ping()
    except Exception:
        return None
    return {"WILMA_SOCKETIO_MESSAGE_QUEUE": url, "WILMA_SOCKETIO_CHANNEL": f"wilma-test-{uuid.uuid4().hex}"}


@pytest.fixture(scope="module")
def servers(tmp_path_factory):
    """One instance served by two processes at once: the development server (``python -m wilma.serve``)
    and the production command (gunicorn, gevent WebSocket worker), joined by Redis when it runs."""
    instance = tmp_path_factory.mktemp("served")
    finish = prepare_in_background(instance, people=6)
    queue = redis_queue()
    dev, prod = Server(instance, env=queue).start(), Server(instance, kind="gunicorn", env=queue).start()
    try:
        info = finish()
        dev.wait()
        prod.wait()
        yield {"dev": dev, "prod": prod, "queue": queue, **info}
    finally:
        dev.stop()
        prod.stop()


def client(server, cookie, **kwargs) -> socketio.Client:
    sio = socketio.Client(reconnection_delay=0.1, reconnection_delay_max=0.5, **kwargs)
    sio.connect(server.url, headers={"Cookie": cookie}, transports=["websocket"], wait_timeout=5)
    return sio


def history(server, cookie, channel_id, after=0) -> list[dict]:
    items = []
    while True:
        page = requests.get(f"{server.url}/api/v1/channels/{channel_id}/messages",
                            params={"after": after, "limit": 100}, headers={"Cookie": cookie}, timeout=5).json()
        items += page["items"]
        if not page["has_more"]:
            return items
        after = items[-1]["id"]


def send_until_acknowledged(sio, payload) -> dict:
    """What the browser does: resend with the same client_msg_id until the server acknowledges."""
    for _attempt in range(50):
        try:
            ack = sio.call("chat:send", payload, timeout=1.5)
            assert "error" not in ack, ack
            return ack
        except (socketio.exceptions.TimeoutError, socketio.exceptions.BadNamespaceError,
                socketio.exceptions.DisconnectedError):
            wait_for(lambda: sio.connected, timeout=5)
    raise AssertionError("never acknowledged")


def test_dropped_connections_lose_and_double_nothing(servers):
    server, cid, cookies = servers["dev"], servers["channel_id"], servers["cookies"]
    sender, receiver = client(server, cookies["user0"]), client(server, cookies["user1"])
    live = []
    receiver.on("chat:message", lambda m: live.append(m["id"]) if m["channel_id"] == cid else None)
    start = max([m["id"] for m in history(server, cookies["user0"], cid)] or [0])
    kill_now = threading.Event()

    def kill_transport():  # pull the network cable under the sender, in the middle of a send
        kill_now.wait()
        sender.eio.ws.sock.shutdown(socket.SHUT_RDWR)

    threading.Thread(target=kill_transport, daemon=True).start()
    acked, reconnects = [], []
    sender.on("connect", lambda: reconnects.append(1))
    for i in range(60):
        if i == 20:  # a tab goes offline (the client's own clean-up takes seconds: not waited for) ...
            closing = threading.Thread(target=receiver.disconnect)
            closing.start()
        if i == 30:
            kill_now.set()
        if i == 45:  # ... and comes back: it fetches everything after the last id it saw
            closing.join()
            receiver.connect(server.url, headers={"Cookie": cookies["user1"]}, transports=["websocket"])
            live += [m["id"] for m in history(server, cookies["user1"], cid, after=max(live))]
        acked.append(send_until_acknowledged(sender, {"channel_id": cid, "body": f"Nr. {i}",
                                                      "client_msg_id": f"stream-{i}"})["id"])
    assert reconnects, "the transport was never dropped"
    assert acked == sorted(acked) and len(set(acked)) == 60  # server order is send order
    stored = [m for m in history(server, cookies["user0"], cid) if m["id"] > start]
    assert [m["id"] for m in stored] == acked
    assert [m["client_msg_id"] for m in stored] == [f"stream-{i}" for i in range(60)]
    assert wait_for(lambda: acked[-1] in live)
    seen = sorted(set(live))
    assert seen == acked  # the reconnected tab has every message, once, in order
    assert live[:live.index(max(live[:20]))] == sorted(live[:live.index(max(live[:20]))])
    sender.disconnect()
    receiver.disconnect()


def handshake(server, cookie, origin) -> str:
    """Open a raw WebSocket to Engine.IO with exactly this Origin; returns its first packet ("" if none).

    Werkzeug refuses a foreign origin in the HTTP handshake (400). gevent-websocket's worker has already
    upgraded the connection when Engine.IO checks the origin, so there it closes the socket before any
    Engine.IO session exists: either way no "open" packet, no session, no events.
    """
    ws_url = server.url.replace("http://", "ws://") + "/socket.io/?EIO=4&transport=websocket"
    try:
        ws = websocket.create_connection(ws_url, origin=origin, header=[f"Cookie: {cookie}"], timeout=5)
    except websocket.WebSocketBadStatusException:
        return ""
    try:
        return ws.recv()
    except (websocket.WebSocketException, OSError):
        return ""
    finally:
        ws.close()


@pytest.mark.parametrize("kind", ["dev", "prod"])
def test_foreign_origin_and_missing_login_are_refused(servers, kind):
    server, cookie = servers[kind], servers["cookies"]["user2"]
    assert handshake(server, cookie, server.url).startswith("0{")  # Engine.IO "open": same origin is fine
    assert handshake(server, cookie, "http://evil.example") == ""
    polling = requests.get(server.url + "/socket.io/", params={"EIO": 4, "transport": "polling"},
                           headers={"Cookie": cookie, "Origin": "http://evil.example"}, timeout=5)
    assert polling.status_code == 400
    anonymous = socketio.Client(reconnection=False)
    with pytest.raises(socketio.exceptions.ConnectionError):
        anonymous.connect(server.url, transports=["websocket"], wait_timeout=5)


def test_two_processes_share_messages_through_redis(servers):
    if servers["queue"] is None:
        pytest.skip("Redis (WILMA_TEST_REDIS_URL or 127.0.0.1:6379) is unreachable: "
                    "delivery between two processes not tested")
    cid, cookies = servers["channel_id"], servers["cookies"]
    anna, ben = client(servers["dev"], cookies["user3"]), client(servers["prod"], cookies["user4"])
    got_ben, got_anna = [], []
    ben.on("chat:message", lambda m: got_ben.append(m["body"]))
    anna.on("chat:message", lambda m: got_anna.append(m["body"]))
    for i in range(10):
        send_until_acknowledged(anna, {"channel_id": cid, "body": f"von eins {i}", "client_msg_id": f"a{i}"})
    send_until_acknowledged(ben, {"channel_id": cid, "body": "von zwei", "client_msg_id": "b0"})
    assert wait_for(lambda: len(got_ben) == 11 and "von zwei" in got_anna)
    assert got_ben == [f"von eins {i}" for i in range(10)] + ["von zwei"]
    # logging out through process one closes the socket that process two holds
    name, value = cookies["user4"].split("=", 1)
    page = requests.get(servers["dev"].url + "/settings/password", headers={"Cookie": cookies["user4"]}, timeout=5)
    token = page.text.split('name="csrf-token" content="', 1)[1].split('"', 1)[0]
    value = page.cookies.get(name) or value  # the session now carries the CSRF secret
    assert requests.post(servers["dev"].url + "/logout", data={"csrf_token": token}, allow_redirects=False,
                         headers={"Cookie": f"{name}={value}"}, timeout=5).status_code == 302
    assert wait_for(lambda: not ben.connected)
    anna.disconnect()


def test_production_command_serves_http_and_websocket(servers):
    server, cid, cookies = servers["prod"], servers["channel_id"], servers["cookies"]
    login_page = requests.get(server.url + "/login", timeout=5)
    assert login_page.status_code == 200 and "csrf_token" in login_page.text
    anna, ben = client(server, cookies["user5"]), client(server, cookies["user0"])
    assert anna.transport() == "websocket"
    got = []
    ben.on("chat:message", lambda m: got.append(m["body"]) if m["body"] == "über gunicorn" else None)
    send_until_acknowledged(anna, {"channel_id": cid, "body": "über gunicorn", "client_msg_id": "g1"})
    assert wait_for(lambda: got == ["über gunicorn"])
    anna.disconnect()
    ben.disconnect()
