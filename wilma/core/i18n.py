"""Language: German by default, English per user (profile) or per browser session before login."""

from flask import current_app, has_request_context, session
from flask_login import current_user

LOCALES = ("de", "en")


def select_locale() -> str:
    """The user's language, else the browser session's, else the site default (CLI: the default)."""
    if not has_request_context():
        return current_app.config["WILMA_DEFAULT_LOCALE"]
    if current_user and getattr(current_user, "is_authenticated", False) and current_user.locale in LOCALES:
        return current_user.locale
    if session.get("locale") in LOCALES:
        return session["locale"]
    return current_app.config["WILMA_DEFAULT_LOCALE"]


def select_timezone() -> str:
    return "Europe/Berlin"
