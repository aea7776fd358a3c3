"""Notification tests share the group tests' world, browser and logged-in Socket.IO clients."""

from tests.groups.conftest import connect, events, fast_password_hashes, world  # noqa: F401 - fixtures

__all__ = ["events"]
