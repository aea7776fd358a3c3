"""The production entry point: gunicorn with gevent, serving HTTP and WebSocket from one worker.

    WILMA_SOCKETIO_ASYNC_MODE=gevent gunicorn -w 1 --bind 127.0.0.1:8000 \\
        -k geventwebsocket.gunicorn.workers.GeventWebSocketWorker wilma.gevent_wsgi:app

Why this worker: gevent-websocket is installed (setup.cfg), so Engine.IO's gevent driver expects the
server to hand it ``environ["wsgi.websocket"]``, which only gevent-websocket's worker does; gunicorn's
plain ``-k gevent`` worker serves HTTP long-polling but answers every WebSocket upgrade with an error.
One worker per process (Socket.IO keeps connection state in the process); run more processes behind a
load balancer with sticky sessions and ``WILMA_SOCKETIO_MESSAGE_QUEUE=redis://...``.

Monkey-patching: gevent must patch the standard library (sockets, threads, ``time.sleep``) before
anything else imports it, or the database and Redis clients block the whole worker. Gunicorn's gevent
workers patch when the worker starts; this module patches as well (a no-op when already done) so that it
is also safe with ``--preload`` and when imported by other gevent servers.
"""

from gevent import monkey

monkey.patch_all()

import os  # noqa: E402 - after patching, on purpose

os.environ.setdefault("WILMA_SOCKETIO_ASYNC_MODE", "gevent")

from wilma import create_app  # noqa: E402

app = create_app()
