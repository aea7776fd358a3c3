"""Configuration defaults and layering.

Layers, later wins: the defaults below < ``instance/config.py`` < ``WILMA_*`` environment variables
< ``test_config``. Every public key is listed in API.md. Environment values are parsed by the type of the
default: booleans accept 1/0, true/false, yes/no, on/off; lists are comma-separated.
"""

import os
import secrets
from pathlib import Path

DEFAULTS: dict[str, object] = {
    "WILMA_SECRET_KEY": None,
    "WILMA_DATABASE_URL": None,
    "WILMA_PLUGINS": [],
    "WILMA_SOCKETIO_MESSAGE_QUEUE": None,
    "WILMA_SOCKETIO_ASYNC_MODE": "threading",
    "WILMA_SOCKETIO_CHANNEL": "wilma",
    "WILMA_SEARCH_BACKEND": "whoosh",
    "WILMA_SEARCH_INDEX_DIR": None,
    "WILMA_UPLOAD_DIR": None,
    "WILMA_MAX_UPLOAD_MB": 20,
    "WILMA_MAIL_SERVER": None,
    "WILMA_MAIL_PORT": 25,
    "WILMA_MAIL_FROM": None,
    "WILMA_CHAT_PRESENCE": True,
    "WILMA_CHAT_TYPING": True,
    "WILMA_CHAT_READ_MARKERS": True,
    "WILMA_DEFAULT_LOCALE": "de",
    "WILMA_RATELIMIT_STORAGE_URL": "memory://",
    "WILMA_LOGIN_LIMIT_PER_ACCOUNT": "5 per 15 minutes",
    "WILMA_LOGIN_LIMIT_PER_ADDRESS": "30 per 15 minutes",
    "WILMA_BASE_URL": None,
    "WILMA_TRUSTED_PROXIES": 0,
    "WILMA_SEED_ON_START": True,
    "WILMA_POSTS_RATE_LIMIT": "20 per minute",
    "WILMA_COMMENTS_RATE_LIMIT": "60 per minute",
    "WILMA_UPLOADS_RATE_LIMIT": "30 per 10 minutes",
    "WILMA_CHAT_RATE_LIMIT": "30 per 10 seconds",
    "WILMA_CHAT_PRESENCE_MAX_MEMBERS": 200,
    "WILMA_SEARCH_AUTO_PROCESS": "auto",
    "WILMA_SEARCH_DEBOUNCE": 1.0,
    "WILMA_SEARCH_LOCK_TIMEOUT": 10.0,
    "WILMA_SEARCH_REBUILD_PROCS": 0,
    "WILMA_SEARCH_CACHE_MB": 128,
    "WILMA_SEARCH_RANK_WINDOW": 2000,
    "WILMA_DATABASE_POOL_SIZE": 5,
    "WILMA_DATABASE_MAX_OVERFLOW": 10,
}

_TRUE = {"1", "true", "yes", "on"}
_FALSE = {"0", "false", "no", "off", ""}


class ConfigError(ValueError):
    """A configuration value could not be understood."""


def parse_env_value(key: str, raw: str, default: object) -> object:
    """Turn the text of an environment variable into the type of the key's default."""
    if key in _PARSERS:
        return _PARSERS[key](key, raw)
    if isinstance(default, bool):
        low = raw.strip().lower()
        if low in _TRUE:
            return True
        if low in _FALSE:
            return False
        raise ConfigError(f"{key}={raw!r}: expected one of 1/0, true/false, yes/no, on/off")
    if isinstance(default, int):
        try:
            return int(raw.strip())
        except ValueError:
            raise ConfigError(f"{key}={raw!r}: expected a whole number") from None
    if isinstance(default, float):
        try:
            return float(raw.strip())
        except ValueError:
            raise ConfigError(f"{key}={raw!r}: expected a number, e.g. 0.5") from None
    if isinstance(default, list):
        return [part.strip() for part in raw.split(",") if part.strip()]
    return raw


def load_instance_file(instance_path: str) -> dict[str, object]:
    """Read ``instance/config.py`` (upper-case names only), or nothing when it does not exist."""
    path = Path(instance_path) / "config.py"
    if not path.exists():
        return {}
    namespace: dict[str, object] = {"__file__": str(path)}
    try:
        exec(compile(path.read_text(encoding="utf-8"), str(path), "exec"), namespace)  # noqa: S102
    except Exception as err:  # a syntax or runtime error in the file: say where, not a stack trace
        line = getattr(err, "lineno", None)
        where = f"{path}, line {line}" if line else str(path)
        raise ConfigError(f"{where}: {type(err).__name__}: {err}") from err
    return {k: v for k, v in namespace.items() if k.isupper()}


def check_types(values: dict[str, object], defaults: dict[str, object], origin: str) -> None:
    """Coerce text values to the type of the default, refuse values of a wrong type (``origin``: where
    the values came from, for the message)."""
    for key, default in defaults.items():
        value = values.get(key)
        if default is None or value is None or (isinstance(default, str) and key not in _PARSERS):
            continue
        try:
            if key in _PARSERS:
                values[key] = _PARSERS[key](key, value)
            elif isinstance(value, str):
                values[key] = parse_env_value(key, value, default)
            elif isinstance(default, bool) and not isinstance(value, bool):
                raise ConfigError(f"{key}={value!r}: expected True or False")
            elif isinstance(default, int) and not isinstance(default, bool) and (
                    isinstance(value, bool) or not isinstance(value, int)):
                raise ConfigError(f"{key}={value!r}: expected a whole number")
            elif isinstance(default, float) and (isinstance(value, bool) or not isinstance(value, int | float)):
                raise ConfigError(f"{key}={value!r}: expected a number")
            elif isinstance(default, list) and not isinstance(value, (list, tuple)):
                raise ConfigError(f"{key}={value!r}: expected a list of names")
        except ConfigError as err:
            raise ConfigError(f"{err} (in {origin})") from None


def apply_environment(values: dict[str, object], keys, defaults: dict[str, object]) -> None:
    """Override ``values`` with environment variables of the same names."""
    for key in keys:
        if key in os.environ:
            try:
                values[key] = parse_env_value(key, os.environ[key], defaults.get(key, ""))
            except ConfigError as err:
                raise ConfigError(f"{err} (in the environment)") from None


def secret_key_for(instance_path: str) -> str:
    """The installation's secret key, generated once into ``instance/secret_key``."""
    path = Path(instance_path) / "secret_key"
    if path.exists():
        return path.read_text().strip()
    path.parent.mkdir(parents=True, exist_ok=True)
    key = secrets.token_urlsafe(48)
    fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    with os.fdopen(fd, "w") as fh:
        fh.write(key)
    return key


def build_config(instance_path: str, test_config: dict | None) -> dict[str, object]:
    """The ``WILMA_*`` settings after all layers, with paths resolved into the instance folder."""
    values = dict(DEFAULTS)
    from_file = load_instance_file(instance_path)
    check_types(from_file, DEFAULTS, str(Path(instance_path) / "config.py"))
    values.update(from_file)
    apply_environment(values, DEFAULTS.keys(), DEFAULTS)
    if test_config:
        from_test = dict(test_config)
        check_types(from_test, DEFAULTS, "the test configuration")
        values.update(from_test)
    values["WILMA_PLUGINS"] = list(values["WILMA_PLUGINS"])
    inst = Path(instance_path)
    values["WILMA_DATABASE_URL"] = values["WILMA_DATABASE_URL"] or f"sqlite:///{inst / 'wilma.db'}"
    values["WILMA_SEARCH_INDEX_DIR"] = values["WILMA_SEARCH_INDEX_DIR"] or str(inst / "search-index")
    values["WILMA_UPLOAD_DIR"] = values["WILMA_UPLOAD_DIR"] or str(inst / "uploads")
    values["WILMA_SECRET_KEY"] = values["WILMA_SECRET_KEY"] or secret_key_for(instance_path)
    if values["WILMA_DEFAULT_LOCALE"] not in ("de", "en"):
        raise ConfigError("WILMA_DEFAULT_LOCALE must be 'de' or 'en'")
    for key, parse in _PARSERS.items():  # the defaults are still text
        values[key] = parse(key, values[key])
    if values["WILMA_SEARCH_BACKEND"] == "postgres" and not str(values["WILMA_DATABASE_URL"]).startswith("postgresql"):
        raise ConfigError("WILMA_SEARCH_BACKEND = 'postgres' needs a PostgreSQL database (WILMA_DATABASE_URL = "
                          "'postgresql+psycopg://...'); with SQLite use 'whoosh'")
    return values


def _auto_or_bool(key: str, value) -> bool | None:
    """``WILMA_SEARCH_AUTO_PROCESS``: ``None`` for "auto" (on, except under tests), else on or off."""
    if isinstance(value, bool) or value is None:
        return value
    low = str(value).strip().lower()
    if low == "auto":
        return None
    if low in _TRUE | _FALSE:
        return low in _TRUE
    raise ConfigError(f"{key}={value!r}: expected auto, on or off")


def _count_per_seconds(key: str, value) -> tuple[int, int]:
    """A rate as ``(count, seconds)`` from a tuple or a text such as "30 per 10 seconds"."""
    if isinstance(value, tuple | list) and len(value) == 2:
        return int(value[0]), int(value[1])
    from limits import parse

    try:
        item = parse(str(value))
    except ValueError:
        raise ConfigError(f"{key}={value!r}: expected a rate such as '30 per 10 seconds'") from None
    return item.amount, item.get_expiry()


# Keys whose values are not plain text, numbers or lists: parsed the same in every layer.
_PARSERS = {"WILMA_SEARCH_AUTO_PROCESS": _auto_or_bool, "WILMA_CHAT_RATE_LIMIT": _count_per_seconds}


def _engine_options(values: dict[str, object]) -> dict[str, object]:
    """Connection pool settings: per process, for server databases (SQLite picks its own pool)."""
    options: dict[str, object] = {"pool_pre_ping": True}
    if not str(values["WILMA_DATABASE_URL"]).startswith("sqlite"):
        options.update(pool_size=values["WILMA_DATABASE_POOL_SIZE"], max_overflow=values["WILMA_DATABASE_MAX_OVERFLOW"])
    return options


def flask_settings(values: dict[str, object]) -> dict[str, object]:
    """Flask and extension settings derived from the ``WILMA_*`` keys."""
    return {
        "SECRET_KEY": values["WILMA_SECRET_KEY"],
        "SQLALCHEMY_DATABASE_URI": values["WILMA_DATABASE_URL"],
        "SQLALCHEMY_ENGINE_OPTIONS": _engine_options(values),
        "MAX_CONTENT_LENGTH": int(values["WILMA_MAX_UPLOAD_MB"]) * 1024 * 1024 + 512 * 1024,
        "SESSION_COOKIE_HTTPONLY": True,
        "SESSION_COOKIE_SAMESITE": "Lax",
        "SESSION_COOKIE_NAME": "wilma_session",
        "REMEMBER_COOKIE_HTTPONLY": True,
        "BABEL_DEFAULT_LOCALE": values["WILMA_DEFAULT_LOCALE"],
        "BABEL_DEFAULT_TIMEZONE": "Europe/Berlin",
        "RATELIMIT_STORAGE_URI": values["WILMA_RATELIMIT_STORAGE_URL"],
        "RATELIMIT_HEADERS_ENABLED": True,
        "WTF_CSRF_CHECK_DEFAULT": False,
        "WTF_CSRF_TIME_LIMIT": None,
        "JSON_SORT_KEYS": False,
    }
