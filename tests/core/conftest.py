"""Fixtures of the core's tests: throwaway plugins, and apps started with them."""

import sys
import textwrap

import pytest

import plugins as plugins_package
from wilma import create_app
from wilma.core import plugins as manager
from wilma.core.plugins import PluginError
from wilma.extensions import db

HEADER = "from wilma.core.hookspecs import hookimpl\n"


def _start(tmp_path, names, **extra):
    config = {"TESTING": True, "INSTANCE_PATH": str(tmp_path / "instance"),
              "WILMA_DATABASE_URL": f"sqlite:///{tmp_path / 'plugins.db'}", "WILMA_SECRET_KEY": "x",
              "WILMA_PLUGINS": names, "WILMA_DEFAULT_LOCALE": "en", "WILMA_SEED_ON_START": False, **extra}
    return create_app(config)


@pytest.fixture
def start():
    """``start(tmp_path, names, **config)``: create an app with ``names`` enabled (no tables are created:
    the refusals happen before any are needed)."""
    return _start


@pytest.fixture
def write_plugin(tmp_path, monkeypatch):
    """``write_plugin(name, source, files={relative path: text})``: a plugin package in a temporary plugins/."""
    folder = tmp_path / "plugins"
    folder.mkdir()
    monkeypatch.setattr(manager, "PLUGINS_FOLDER", folder)
    monkeypatch.setattr(plugins_package, "__path__", [str(folder)])
    tables_before = set(db.metadata.tables)
    written = []

    def write(name, source, files=None):
        root = folder / name
        root.mkdir()
        (root / "__init__.py").write_text(HEADER + textwrap.dedent(source), encoding="utf-8")
        for rel, text in (files or {}).items():
            (root / rel).parent.mkdir(parents=True, exist_ok=True)
            (root / rel).write_text(textwrap.dedent(text), encoding="utf-8")
        written.append(name)
        return root

    yield write
    for key in [k for k in sys.modules if k.split(".")[:2] in (["plugins", n] for n in written)]:
        del sys.modules[key]
    for name in set(db.metadata.tables) - tables_before:  # throwaway models leave the shared metadata
        db.metadata.remove(db.metadata.tables[name])


def _refused(tmp_path, names, *fragments):
    with pytest.raises(PluginError) as info:
        _start(tmp_path, names)
    message = str(info.value)
    for fragment in fragments:
        assert fragment in message, message
    return message


@pytest.fixture
def refused():
    """``refused(tmp_path, names, *fragments)``: starting must raise a ``PluginError`` whose message has
    every fragment; returns the message."""
    return _refused


@pytest.fixture
def document(client):
    """The served OpenAPI document (the feature tests compare real answers with it)."""
    from tests.core.openapi_checks import fetch_document

    return fetch_document(client)


@pytest.fixture
def bert(app, make_user):
    """A second browser, logged in as bert (``bert.user`` is the account)."""
    from tests.conftest import Auth

    user = make_user("bert")
    other = Auth(app.test_client())
    other.login("bert")
    other.user = user
    return other
