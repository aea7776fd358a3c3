"""``flask wilma plugins list|enable|disable``: what an admin sees, and what ends up in instance/config.py."""

import pytest

from wilma import create_app

CONFIG = '''# Our installation
WILMA_DEFAULT_LOCALE = "en"
WILMA_PLUGINS = [
    "muenchen",
]
WILMA_MAX_UPLOAD_MB = 5  # keep small
'''


@pytest.fixture
def instance(tmp_path, monkeypatch):
    """An instance folder with a hand-written config.py; the environment does not enable plugins."""
    monkeypatch.delenv("WILMA_PLUGINS", raising=False)
    folder = tmp_path / "inst"
    folder.mkdir()
    (folder / "config.py").write_text(CONFIG, encoding="utf-8")
    return folder


def new_app(instance):
    """A fresh start on ``instance``: the plugins come from its config.py, as in production."""
    return create_app({"TESTING": True, "INSTANCE_PATH": str(instance), "WILMA_SECRET_KEY": "x",
                       "WILMA_DATABASE_URL": f"sqlite:///{instance / 'cli.db'}", "WILMA_SEED_ON_START": False})


def cli(app, *args):
    result = app.test_cli_runner().invoke(args=["wilma", "plugins", *args])
    return result.exit_code, result.output


def test_list_shows_available_and_enabled(instance):
    code, output = cli(new_app(instance), "list")
    assert code == 0
    assert "enabled   muenchen         plugins/muenchen" in output
    assert "disabled  example          plugins/example" in output


def test_enable_writes_the_config_and_the_next_start_has_the_plugin(instance):
    app = new_app(instance)
    assert app.extensions["wilma_plugins"].names() == ["muenchen"]
    code, output = cli(app, "enable", "example")
    assert code == 0 and "Enabled example. Run 'flask db upgrade' and restart the server." in output
    text = (instance / "config.py").read_text(encoding="utf-8")
    assert "WILMA_PLUGINS = ['muenchen', 'example']" in text
    assert text.startswith("# Our installation\nWILMA_DEFAULT_LOCALE = \"en\"\n")
    assert "WILMA_MAX_UPLOAD_MB = 5  # keep small" in text
    assert text.count("WILMA_PLUGINS") == 1 and '    "muenchen",' not in text
    again = new_app(instance)
    assert again.extensions["wilma_plugins"].names() == ["muenchen", "example"]
    assert "/example/" in again.url_map.bind("localhost").build("example.index")
    assert again.config["WILMA_MAX_UPLOAD_MB"] == 5


def test_enable_twice_says_so(instance):
    code, output = cli(new_app(instance), "enable", "muenchen")
    assert code == 0 and "muenchen is already enabled." in output
    assert (instance / "config.py").read_text(encoding="utf-8") == CONFIG


def test_enable_an_unknown_plugin_is_an_error(instance):
    code, output = cli(new_app(instance), "enable", "atlantis")
    assert code != 0
    assert "No plugin 'atlantis'. Available:" in output and "example" in output
    assert (instance / "config.py").read_text(encoding="utf-8") == CONFIG


def test_disable(instance):
    code, output = cli(new_app(instance), "disable", "muenchen")
    assert code == 0 and "Disabled muenchen. Restart the server." in output
    text = (instance / "config.py").read_text(encoding="utf-8")
    assert "WILMA_PLUGINS = []" in text and "# Our installation" in text and "WILMA_MAX_UPLOAD_MB = 5" in text
    assert new_app(instance).extensions["wilma_plugins"].names() == []


def test_disable_a_plugin_that_is_not_enabled(instance):
    code, output = cli(new_app(instance), "disable", "example")
    assert code == 0 and "example is not enabled." in output
    assert (instance / "config.py").read_text(encoding="utf-8") == CONFIG


def test_enable_without_a_config_file(tmp_path, monkeypatch):
    monkeypatch.delenv("WILMA_PLUGINS", raising=False)
    folder = tmp_path / "fresh"
    code, _ = cli(new_app(folder), "enable", "example")
    assert code == 0
    assert (folder / "config.py").read_text(encoding="utf-8") == "WILMA_PLUGINS = ['example']\n"


def test_a_broken_plugin_can_be_disabled_when_started_without_plugins(instance, monkeypatch):
    (instance / "config.py").write_text('WILMA_PLUGINS = ["atlantis"]\n', encoding="utf-8")
    monkeypatch.setenv("WILMA_PLUGINS", "")  # the environment wins over the file: start without plugins
    code, output = cli(new_app(instance), "disable", "atlantis")
    assert code == 0 and "Disabled atlantis." in output
    assert (instance / "config.py").read_text(encoding="utf-8") == "WILMA_PLUGINS = []\n"


def test_disable_a_plugin_enabled_by_the_environment(instance, monkeypatch):
    monkeypatch.setenv("WILMA_PLUGINS", "muenchen,example")
    code, output = cli(new_app(instance), "disable", "example")
    assert code == 0 and "example is enabled by the WILMA_PLUGINS environment variable" in output
    assert (instance / "config.py").read_text(encoding="utf-8") == CONFIG
