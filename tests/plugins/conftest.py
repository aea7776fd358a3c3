"""The example plugin's tests run with the plugin enabled (the core's tests run with plugins off)."""

import pytest


@pytest.fixture
def app_config():
    """Enable the example plugin, with its test login provider switched on."""
    return {"WILMA_PLUGINS": ["example"], "EXAMPLE_LOGIN_PASSWORD": "example-secret-42"}

