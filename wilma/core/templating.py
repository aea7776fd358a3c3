"""Template loader chain (plugin folders first), the base layout's slots, branding and navigation."""

from flask import current_app, request, url_for
from flask_babel import get_locale
from flask_babel import lazy_gettext as _l
from flask_login import current_user
from jinja2 import ChoiceLoader, FileSystemLoader
from markupsafe import Markup

DEFAULT_BRANDING = {
    "site_name": "WILMA",
    "logo_url": None,
    "colors": {"primary": "#0b5cad", "primary_dark": "#08427d", "accent": "#e8a33d"},
    "footer_links": [],
    "imprint_url": None,
    "privacy_url": None,
}

MAIN_NAV = [
    ("feed", _l("Feed"), "posts.feed"),
    ("groups", _l("Groups"), "groups.directory"),
    ("people", _l("People"), "accounts.directory"),
    ("wiki", _l("Wiki"), "wiki.index"),
    ("chat", _l("Chat"), "chat.index"),
    ("search", _l("Search"), "search.results"),
]


def install_loader(app, plugin_folders: list[str]) -> None:
    """Plugin template folders come first, so a plugin can override any core template."""
    if plugin_folders:
        app.jinja_loader = ChoiceLoader([FileSystemLoader(plugin_folders), app.jinja_loader])


def core_template_names(app) -> set[str]:
    """Every template the core ships (the ones a plugin may override)."""
    names = set(app.jinja_env.list_templates())
    return names


def branding() -> dict:
    answer = current_app.extensions["wilma_plugins"].hook.wilma_branding() or {}
    merged = {**DEFAULT_BRANDING, **{k: v for k, v in answer.items() if v is not None}}
    merged["colors"] = {**DEFAULT_BRANDING["colors"], **(answer.get("colors") or {})}
    return merged


def template_slot(slot: str, profile=None) -> Markup:
    """The HTML that plugins put into a slot of the layout (rendered by their own templates).

    pluggy answers in the order of ``WILMA_PLUGINS`` (``load_plugins`` registers them in reverse).
    """
    parts = current_app.extensions["wilma_plugins"].hook.wilma_template_slot(
        slot=slot, user=current_user, profile=profile
    )
    return Markup("\n".join(str(p) for p in parts if p))  # noqa: S704 - plugin templates


_nav_badges: dict[str, object] = {}


def register_nav_badge(key: str, fn) -> None:
    """Show ``fn(user) -> int`` as a badge next to the main navigation entry ``key`` (e.g. unread chat)."""
    _nav_badges[key] = fn


def _badge(key: str):
    fn = _nav_badges.get(key)
    if fn is None or not current_user.is_authenticated:
        return None
    try:
        return fn(current_user)
    except Exception:  # a badge must never break the page
        current_app.logger.exception("navigation badge %s failed", key)
        return None


def navigation() -> list[dict]:
    """Main navigation: core entries whose feature is installed, plugin entries, Admin for admins."""
    items = []
    for key, label, endpoint in MAIN_NAV:
        if endpoint in current_app.view_functions:
            items.append({"key": key, "label": label, "url": url_for(endpoint), "badge": _badge(key)})
    for extra in current_app.extensions["wilma_plugins"].hook.wilma_nav_items(user=current_user):
        for item in extra or []:
            items.append({"key": item.get("key", item["url"]), "label": item["label"], "url": item["url"]})
    if current_user.is_authenticated and current_user.is_admin and "admin.index" in current_app.view_functions:
        items.append({"key": "admin", "label": _l("Admin"), "url": url_for("admin.index")})
    return items


def active_nav_key() -> str:
    endpoint = request.endpoint or ""
    return {"accounts": "people", "posts": "feed"}.get(endpoint.split(".")[0], endpoint.split(".")[0])


def register_template_helpers(app) -> None:
    @app.context_processor
    def inject():
        return {
            "branding": branding(),
            "template_slot": template_slot,
            "navigation": navigation,
            "active_nav_key": active_nav_key,
            "has_endpoint": lambda name: name in current_app.view_functions,
            "current_locale": str(get_locale() or current_app.config["WILMA_DEFAULT_LOCALE"]),
        }
