"""Start-up check of the Socket.IO message queue: refuse to start rather than lose messages."""

import sys

import pytest

from tests.conftest import make_test_app
from wilma.core.realtime import MessageQueueError


def test_unreachable_queue_refuses_to_start(tmp_path):
    with pytest.raises(MessageQueueError, match="cannot publish"):
        make_test_app(tmp_path, WILMA_SOCKETIO_MESSAGE_QUEUE="redis://127.0.0.1:1/0")


def test_queue_without_the_redis_package_refuses_to_start(tmp_path, monkeypatch):
    monkeypatch.setitem(sys.modules, "redis", None)  # as if it were not installed
    with pytest.raises(MessageQueueError, match="needs the 'redis' package"):
        make_test_app(tmp_path, WILMA_SOCKETIO_MESSAGE_QUEUE="redis://127.0.0.1:6379/0")
