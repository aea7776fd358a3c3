"""The example plugin's tests run with the plugin enabled (the core's tests run with plugins off)."""

import pytest
from flask import g, request_started


@pytest.fixture
def app_config():
    """Enable the example plugin, with its test login provider switched on."""
    return {"WILMA_PLUGINS": ["example"], "EXAMPLE_LOGIN_PASSWORD": "example-secret-42"}


@pytest.fixture(autouse=True)
def fresh_g_per_request(app):
    """Each request starts with an empty ``g``, as it does outside the ``app`` fixture's app context.

    The fixture keeps one app context pushed, so without this the CSRF token of Flask-WTF and the user of
    Flask-Login would outlive a request. (The core clears ``g`` itself once that fix is merged; then this
    fixture is redundant but harmless.)
    """

    def clear(sender, **extra):
        for key in list(g):
            g.pop(key, None)

    request_started.connect(clear, app)
    yield
    request_started.disconnect(clear, app)
