"""Fixtures for the city plugins: an app with given plugins enabled, seeded as at start-up."""

import pytest

from tests.conftest import make_test_app
from wilma.core.seeding import seed_plugin_content
from wilma.extensions import db


@pytest.fixture
def city_app(tmp_path):
    """``city_app("nuernberg", "augsburg")``: a fresh app with those plugins, org units seeded."""
    apps = []

    def factory(*plugins, **config):
        app = make_test_app(tmp_path / f"app{len(apps)}", WILMA_PLUGINS=list(plugins), **config)
        ctx = app.app_context()
        ctx.push()
        seed_plugin_content(app)
        apps.append(ctx)
        return app

    yield factory
    for ctx in reversed(apps):
        db.session.remove()
        db.engine.dispose()
        ctx.pop()
