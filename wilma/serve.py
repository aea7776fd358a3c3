"""The development server of ``make run``: one process, HTTP and WebSocket together.

Flask-SocketIO in ``threading`` mode with simple-websocket on Werkzeug's server needs nothing beyond the
project's own dependencies and serves WebSocket directly. Production uses gunicorn (docs/deployment.md).
"""

import argparse

from wilma import create_app
from wilma.extensions import socketio


def main(argv=None) -> None:
    parser = argparse.ArgumentParser(description="Serve WILMA for development.")
    parser.add_argument("--host", default="127.0.0.1")
    parser.add_argument("--port", type=int, default=5000)
    args = parser.parse_args(argv)
    app = create_app()
    try:
        from wilma.search.outbox import catch_up
    except ImportError:  # a build without search
        pass
    else:
        catch_up(app)  # index what the demo loader queued before anyone asks
    socketio.run(app, host=args.host, port=args.port, allow_unsafe_werkzeug=True, use_reloader=False)


if __name__ == "__main__":
    main()
