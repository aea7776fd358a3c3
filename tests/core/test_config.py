"""Configuration layers: defaults < instance/config.py < WILMA_* environment < test config."""

import pytest

from wilma import create_app
from wilma.config import ConfigError, build_config, flask_settings, parse_env_value


@pytest.fixture
def instance(tmp_path, monkeypatch):
    """An empty instance folder and an environment without WILMA_* settings."""
    for key in ("WILMA_MAX_UPLOAD_MB", "WILMA_CHAT_TYPING", "WILMA_PLUGINS", "WILMA_DEFAULT_LOCALE",
                "WILMA_MAIL_SERVER", "WILMA_SECRET_KEY", "WILMA_DATABASE_URL", "WILMA_SEARCH_BACKEND",
                "WILMA_SEARCH_AUTO_PROCESS", "WILMA_CHAT_RATE_LIMIT"):
        monkeypatch.delenv(key, raising=False)
    folder = tmp_path / "instance"
    folder.mkdir()
    return folder


def write_config(folder, text):
    (folder / "config.py").write_text(text, encoding="utf-8")


def test_defaults_fill_in_paths_inside_the_instance(instance):
    values = build_config(str(instance), None)
    assert values["WILMA_MAX_UPLOAD_MB"] == 20
    assert values["WILMA_DEFAULT_LOCALE"] == "de"
    assert values["WILMA_PLUGINS"] == []
    assert values["WILMA_DATABASE_URL"] == f"sqlite:///{instance / 'wilma.db'}"
    assert values["WILMA_UPLOAD_DIR"] == str(instance / "uploads")
    assert values["WILMA_SEARCH_INDEX_DIR"] == str(instance / "search-index")


def test_secret_key_is_generated_once_and_kept(instance):
    first = build_config(str(instance), None)["WILMA_SECRET_KEY"]
    second = build_config(str(instance), None)["WILMA_SECRET_KEY"]
    assert first == second and len(first) >= 32
    assert (instance / "secret_key").stat().st_mode & 0o077 == 0  # readable by the owner only


def test_each_layer_wins_over_the_one_before(instance, monkeypatch):
    write_config(instance, 'WILMA_MAX_UPLOAD_MB = 5\nWILMA_MAIL_SERVER = "mail.file"\n'
                           'WILMA_SEARCH_BACKEND = "from-file"\nlowercase_helper = 1\n')
    monkeypatch.setenv("WILMA_MAIL_SERVER", "mail.env")
    monkeypatch.setenv("WILMA_SEARCH_BACKEND", "from-env")
    values = build_config(str(instance), {"WILMA_SEARCH_BACKEND": "from-test"})
    assert values["WILMA_MAX_UPLOAD_MB"] == 5           # file over default
    assert values["WILMA_MAIL_SERVER"] == "mail.env"     # environment over file
    assert values["WILMA_SEARCH_BACKEND"] == "from-test"  # test config over environment
    assert "lowercase_helper" not in values


def test_environment_values_are_parsed_by_type(instance, monkeypatch):
    monkeypatch.setenv("WILMA_MAX_UPLOAD_MB", " 7 ")
    monkeypatch.setenv("WILMA_CHAT_TYPING", "off")
    monkeypatch.setenv("WILMA_PLUGINS", "nuernberg, example,,")
    values = build_config(str(instance), None)
    assert values["WILMA_MAX_UPLOAD_MB"] == 7
    assert values["WILMA_CHAT_TYPING"] is False
    assert values["WILMA_PLUGINS"] == ["nuernberg", "example"]


def test_tuning_keys_come_from_the_environment_too(instance, monkeypatch):
    monkeypatch.setenv("WILMA_CHAT_RATE_LIMIT", "5 per minute")
    monkeypatch.setenv("WILMA_CHAT_PRESENCE_MAX_MEMBERS", "50")
    monkeypatch.setenv("WILMA_SEARCH_AUTO_PROCESS", "off")
    monkeypatch.setenv("WILMA_SEARCH_DEBOUNCE", "0.2")
    monkeypatch.setenv("WILMA_SEARCH_REBUILD_PROCS", "2")
    monkeypatch.setenv("WILMA_DATABASE_POOL_SIZE", "12")
    values = build_config(str(instance), None)
    assert values["WILMA_CHAT_RATE_LIMIT"] == (5, 60)
    assert (values["WILMA_CHAT_PRESENCE_MAX_MEMBERS"], values["WILMA_SEARCH_REBUILD_PROCS"]) == (50, 2)
    assert values["WILMA_SEARCH_AUTO_PROCESS"] is False and values["WILMA_SEARCH_DEBOUNCE"] == 0.2
    assert flask_settings(values)["SQLALCHEMY_ENGINE_OPTIONS"] == {"pool_pre_ping": True}  # SQLite
    monkeypatch.setenv("WILMA_DATABASE_URL", "postgresql+psycopg://db/wilma")
    options = flask_settings(build_config(str(instance), None))["SQLALCHEMY_ENGINE_OPTIONS"]
    assert (options["pool_size"], options["max_overflow"]) == (12, 10)


def test_tuning_keys_have_working_defaults(instance):
    values = build_config(str(instance), {"WILMA_CHAT_RATE_LIMIT": (2, 60)})
    assert values["WILMA_SEARCH_AUTO_PROCESS"] is None  # "auto": on, except under tests
    assert values["WILMA_CHAT_RATE_LIMIT"] == (2, 60)
    assert build_config(str(instance), None)["WILMA_CHAT_RATE_LIMIT"] == (30, 10)


@pytest.mark.parametrize("raw,expected", [("1", True), ("TRUE", True), ("yes", True), ("On", True),
                                          ("0", False), ("false", False), ("no", False), ("off", False)])
def test_boolean_spellings(raw, expected):
    assert parse_env_value("WILMA_CHAT_PRESENCE", raw, True) is expected


@pytest.mark.parametrize("key,raw,words", [
    ("WILMA_CHAT_PRESENCE", "maybe", "1/0, true/false"),
    ("WILMA_MAX_UPLOAD_MB", "twenty", "whole number"),
    ("WILMA_SEARCH_DEBOUNCE", "soon", "a number"),
    ("WILMA_SEARCH_AUTO_PROCESS", "sometimes", "auto, on or off"),
    ("WILMA_CHAT_RATE_LIMIT", "lots", "30 per 10 seconds"),
])
def test_bad_environment_value_is_a_clear_error(instance, monkeypatch, key, raw, words):
    monkeypatch.setenv(key, raw)
    with pytest.raises(ConfigError) as info:
        build_config(str(instance), None)
    assert key in str(info.value) and raw in str(info.value) and words in str(info.value)
    assert "environment" in str(info.value)


def test_bad_value_in_the_instance_file_is_a_clear_error(instance):
    write_config(instance, 'WILMA_MAX_UPLOAD_MB = "lots"\n')
    with pytest.raises(ConfigError) as info:
        build_config(str(instance), None)
    assert "WILMA_MAX_UPLOAD_MB='lots': expected a whole number" in str(info.value)
    assert str(instance / "config.py") in str(info.value)
    write_config(instance, 'WILMA_CHAT_TYPING = "nah"\nWILMA_PLUGINS = "example"\n')
    with pytest.raises(ConfigError, match="WILMA_CHAT_TYPING"):
        build_config(str(instance), None)
    write_config(instance, 'WILMA_PLUGINS = "example, nuernberg"\nWILMA_MAX_UPLOAD_MB = "8"\n')
    values = build_config(str(instance), None)
    assert values["WILMA_PLUGINS"] == ["example", "nuernberg"] and values["WILMA_MAX_UPLOAD_MB"] == 8


def test_wrong_type_in_the_test_configuration_is_refused(instance):
    with pytest.raises(ConfigError, match="test configuration"):
        build_config(str(instance), {"WILMA_CHAT_PRESENCE": 3})


def test_broken_instance_file_names_the_file(instance):
    write_config(instance, "WILMA_PLUGINS = [\n")
    with pytest.raises(ConfigError) as info:
        build_config(str(instance), None)
    assert "config.py" in str(info.value)


def test_unknown_locale_is_refused(instance, monkeypatch):
    monkeypatch.setenv("WILMA_DEFAULT_LOCALE", "fr")
    with pytest.raises(ConfigError, match="WILMA_DEFAULT_LOCALE"):
        build_config(str(instance), None)


def test_create_app_uses_the_layers(instance, tmp_path, monkeypatch):
    write_config(instance, "WILMA_MAX_UPLOAD_MB = 3\nWILMA_DEFAULT_LOCALE = 'en'\n")
    monkeypatch.setenv("WILMA_CHAT_TYPING", "no")
    app = create_app({"INSTANCE_PATH": str(instance), "WILMA_SECRET_KEY": "k",
                      "WILMA_DATABASE_URL": f"sqlite:///{tmp_path / 'c.db'}", "TESTING": True})
    assert app.config["WILMA_MAX_UPLOAD_MB"] == 3
    assert app.config["MAX_CONTENT_LENGTH"] >= 3 * 1024 * 1024
    assert app.config["WILMA_CHAT_TYPING"] is False
    assert app.config["BABEL_DEFAULT_LOCALE"] == "en"
    assert app.config["SECRET_KEY"] == "k"
    assert app.config["SESSION_COOKIE_HTTPONLY"] is True
    assert app.config["SESSION_COOKIE_SAMESITE"] == "Lax"
