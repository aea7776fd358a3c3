"""A bare python-socketio server that only relays: the yardstick for ``bench/chat.py``.

Every client joins one room; ``chat:send`` is acknowledged and emitted to the room as ``chat:message``.
No login, no database: what is left is the cost of Socket.IO itself in the same async mode.

    python bench/relay.py --port 9000 --mode threading|gevent [--redis redis://127.0.0.1:6379/0]
"""

import argparse
import itertools


def build(mode: str, redis_url: str | None, channel: str):
    import socketio

    manager = socketio.RedisManager(redis_url, channel=channel) if redis_url else None
    sio = socketio.Server(async_mode=mode, client_manager=manager, cors_allowed_origins=None)
    ids = itertools.count(1)

    @sio.on("connect")
    def connect(sid, environ, auth=None):
        sio.enter_room(sid, "channel:1")

    @sio.on("chat:send")
    def send(sid, data):
        message = {"id": next(ids), "channel_id": 1, "body": data.get("body"),
                   "client_msg_id": data.get("client_msg_id")}
        sio.emit("chat:message", message, to="channel:1")
        return message

    app = socketio.WSGIApp(sio)

    def with_health(environ, start_response):
        if environ.get("PATH_INFO") == "/healthz":
            start_response("200 OK", [("Content-Type", "text/plain")])
            return [b"ok"]
        return app(environ, start_response)

    return with_health


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--port", type=int, required=True)
    parser.add_argument("--mode", default="threading", choices=["threading", "gevent"])
    parser.add_argument("--redis")
    parser.add_argument("--channel", default="bench-relay")
    args = parser.parse_args()
    if args.mode == "gevent":
        from gevent import monkey

        monkey.patch_all()
        from gevent import pywsgi
        from geventwebsocket.handler import WebSocketHandler

        app = build("gevent", args.redis, args.channel)
        pywsgi.WSGIServer(("127.0.0.1", args.port), app, handler_class=WebSocketHandler, log=None).serve_forever()
    else:
        import logging

        from werkzeug.serving import run_simple

        logging.getLogger("werkzeug").setLevel(logging.WARNING)
        run_simple("127.0.0.1", args.port, build("threading", args.redis, args.channel), threaded=True)


if __name__ == "__main__":
    main()
