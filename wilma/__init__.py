"""WILMA: the intranet social network that city administrations share.

``create_app`` is the only place an app is built; importing the package has no side effects.
"""

import importlib
import importlib.util
import logging
import os
from pathlib import Path

__version__ = "1.0.0"

# Feature packages, in the order their blueprints are registered. Each has the same shape
# (models, services, views, api, events, cli, demo); modules a feature does not need are absent.
FEATURES = ["accounts", "groups", "posts", "notifications", "wiki", "chat", "search", "admin"]
FEATURE_MODULES = ["models", "views", "api", "events"]


def default_instance_path() -> str:
    return os.environ.get("WILMA_INSTANCE_PATH") or str(Path(__file__).resolve().parent.parent / "instance")


def installed_features() -> list[str]:
    return [f for f in FEATURES if importlib.util.find_spec(f"wilma.{f}") is not None]


def import_feature_module(feature: str, module: str):
    """``wilma.<feature>.<module>``, or ``None`` when the feature has no such module."""
    name = f"wilma.{feature}.{module}"
    if importlib.util.find_spec(f"wilma.{feature}") is None or importlib.util.find_spec(name) is None:
        return None
    return importlib.import_module(name)


def create_app(test_config: dict | None = None):
    """Build the app: configuration layers, extensions, plugins, features, CLI and sockets."""
    from flask import Flask

    from wilma import config as cfg
    from wilma.core import plugin_setup
    from wilma.core.database import configure_engine
    from wilma.core.errors import register_error_handlers
    from wilma.core.web import register_request_hooks, trust_proxies
    from wilma.extensions import babel, csrf, db, limiter, login_manager, migrate, socketio

    instance_path = (test_config or {}).get("INSTANCE_PATH") or default_instance_path()
    app = Flask(__name__, instance_path=instance_path, instance_relative_config=True)
    Path(instance_path).mkdir(parents=True, exist_ok=True)

    values = cfg.build_config(instance_path, test_config)
    app.config.update(values)
    app.config.update(cfg.flask_settings(values))
    if test_config:
        app.config.update({k: v for k, v in test_config.items() if not k.startswith("WILMA_")})
    logging.getLogger("wilma").setLevel(logging.INFO)

    registry = plugin_setup.load(app)  # imports plugins (and their models) before tables are known

    for feature in installed_features():
        for module in FEATURE_MODULES:
            import_feature_module(feature, module)

    db.init_app(app)
    with app.app_context():
        configure_engine(db.engine)
    migrate.init_app(app, db, directory=str(Path(__file__).resolve().parent.parent / "migrations"))
    login_manager.init_app(app)
    login_manager.login_view = "accounts.login"
    login_manager.session_protection = None  # the server-side session replaces Flask-Login's heuristic
    csrf.init_app(app)
    limiter.init_app(app)
    from wilma.core.i18n import select_locale, select_timezone

    babel.init_app(app, locale_selector=select_locale, timezone_selector=select_timezone)

    from wilma.core.api import api_bp

    for feature in installed_features():
        package = importlib.import_module(f"wilma.{feature}")
        if hasattr(package, "bp"):
            app.register_blueprint(package.bp)
    app.register_blueprint(api_bp)
    from wilma.core.web import web_bp

    app.register_blueprint(web_bp)

    plugin_setup.attach(app, registry)
    register_error_handlers(app)
    register_request_hooks(app)

    from wilma.cli import register_cli

    register_cli(app, registry)

    socketio.init_app(
        app,
        async_mode=app.config["WILMA_SOCKETIO_ASYNC_MODE"],
        message_queue=app.config["WILMA_SOCKETIO_MESSAGE_QUEUE"],
        manage_session=False,
    )
    trust_proxies(app)  # outermost: Socket.IO's requests too
    from wilma.search.outbox_helper import default_factory

    app.extensions["wilma_app_factory"] = default_factory(test_config)  # for the search helper process
    if app.config["WILMA_SEED_ON_START"]:
        from wilma.core.seeding import seed_plugin_content

        with app.app_context():
            seed_plugin_content(app)
    return app
