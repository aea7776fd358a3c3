"""The app for a production server, e.g. ``gunicorn -k gevent ... wsgi:app`` (see docs/deployment.md)."""

from wilma import create_app

app = create_app()
