"""Fixtures for the accounts tests: a second browser of the same person."""

import pytest


@pytest.fixture
def second_auth(app, auth):
    """Another browser with its own cookie jar, driven like ``auth``."""
    return type(auth)(app.test_client())
