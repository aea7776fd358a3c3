"""The reference plugin: implements every hook of ``wilma/core/hookspecs.py`` with a visible effect.

Enable it with ``WILMA_PLUGINS = ["example"]`` (or ``flask wilma plugins enable example``) and run
``flask db upgrade``. Its namespace: blueprint ``example`` under ``/example``, templates under
``example/``, configuration keys ``EXAMPLE_*``, table ``example_greetings``. Copy this folder to start a
city's plugin; ``docs/plugins.md`` walks through it.

pluggy registers this module, so every hook implementation lives here (the work is done in the
plugin's other modules).
"""

import hmac
from pathlib import Path

from flask import current_app, render_template, url_for
from flask_babel import lazy_gettext as _l

from plugins.example import services
from plugins.example.cli import hello
from plugins.example.filters import link_file_numbers
from plugins.example.views import bp
from wilma.core.hookspecs import hookimpl

WILMA_REQUIRES = ">=1.0,<2"
HERE = Path(__file__).resolve().parent


@hookimpl
def wilma_config_defaults():
    """Defaults of the plugin's own settings; instance config and environment override them."""
    return {
        "EXAMPLE_SITE_NAME": "Beispielstadt-Netz",
        "EXAMPLE_FILE_URL": "https://dms.beispielstadt.example/akte/{number}",
        "EXAMPLE_LOGIN_USERNAME": "example.tester",
        "EXAMPLE_LOGIN_PASSWORD": None,  # the test login provider stays off until a password is set
    }


@hookimpl
def wilma_blueprints():
    """The plugin's own pages: blueprint ``example`` at ``/example``."""
    return [bp]


@hookimpl
def wilma_template_folders():
    """Templates under ``example/`` and an override of the core's ``errors/404.html``."""
    return [str(HERE / "templates")]


@hookimpl
def wilma_template_slot(slot, user, profile):
    """Fill the four slots of the layout, each with a template of the plugin's own."""
    if slot == "profile_sidebar":
        from wilma.accounts.services import extra_fields

        badge = extra_fields(profile).get("example_badge") if profile is not None else None
        return render_template("example/slot_profile_sidebar.html", badge=badge,
                               greetings=services.greeting_count(profile))
    if slot in ("head", "navigation", "footer"):
        return render_template(f"example/slot_{slot}.html", user=user)
    return None


@hookimpl
def wilma_branding():
    """Site name, logo, colours, footer and imprint links of the example city."""
    return {
        "site_name": current_app.config["EXAMPLE_SITE_NAME"],
        "logo_url": url_for("example.static", filename="logo.svg"),
        "colors": {"primary": "#2e7d32", "primary_dark": "#1b5e20", "accent": "#fbc02d"},
        "footer_links": [(_l("City hall"), "https://www.beispielstadt.example/")],
        "imprint_url": "https://www.beispielstadt.example/impressum",
        "privacy_url": "https://www.beispielstadt.example/datenschutz",
    }


@hookimpl
def wilma_nav_items(user):
    """One entry in the main navigation: the plugin's page."""
    return [{"key": "example", "label": _l("Greetings"), "url": url_for("example.index")}]


@hookimpl
def wilma_profile_fields():
    """An extra profile field, stored in the core's ``profile_extra`` table."""
    return [{"key": "example_badge", "label": _l("Badge"), "max_length": 40,
             "help": _l("A short badge shown on your profile, e.g. \"First aid\".")}]


@hookimpl
def wilma_org_units():
    """The example city's units, added at start-up when they are missing."""
    return [{"name": "Beispielreferat", "short": "BSP", "kind": "Referat", "children": [
        {"name": "Amt für Beispiele", "short": "BSP-A", "kind": "Amt"},
    ]}]


@hookimpl
def wilma_default_groups():
    """Groups every installation of the example city starts with (created at start-up)."""
    return [{"name": "Beispielstadt", "description": "Alle Beschäftigten der Beispielstadt",
             "visibility": "public"}]


@hookimpl
def wilma_authenticate(username, password):
    """A login provider that knows one test account (``EXAMPLE_LOGIN_USERNAME`` / ``_PASSWORD``)."""
    expected = current_app.config.get("EXAMPLE_LOGIN_PASSWORD")
    login = current_app.config["EXAMPLE_LOGIN_USERNAME"]
    if not expected or username.lower() != login:
        return None  # not ours: the next provider, then the local accounts, are asked
    if not hmac.compare_digest(password.encode(), str(expected).encode()):
        return {"denied": True}
    return {"username": login, "display_name": "Example Tester", "job_title": "Test account",
            "email": f"{login}@beispielstadt.example", "source": "example"}


@hookimpl
def wilma_cli_commands():
    """``flask wilma example hello``."""
    return [hello]


@hookimpl
def wilma_render_filters():
    """Link file numbers (``AZ-2026-0042``) in posts, comments, wiki pages and profiles."""
    return [link_file_numbers]


@hookimpl
def wilma_user_created(user):
    """Record every new account."""
    services.record_greeting("user_created", f"Welcome, {user.display_name}!", user)


@hookimpl
def wilma_user_logged_in(user):
    """Record every login."""
    services.record_greeting("user_logged_in", f"Good to see you, {user.display_name}!", user)


@hookimpl
def wilma_group_created(group, user):
    """Record new groups. The greetings page is open to everyone, so only public groups are named."""
    if group.visibility == "public":
        services.record_greeting("group_created", f"{user.display_name} opened the group {group.name}.", user)
    else:
        services.record_greeting("group_created", f"{user.display_name} opened a new group.", user)


@hookimpl
def wilma_member_joined(group, user):
    """Welcome new members (of public groups by name, for the same reason)."""
    where = group.name if group.visibility == "public" else "their new group"
    services.record_greeting("member_joined", f"Welcome to {where}, {user.display_name}!", user)


@hookimpl
def wilma_wiki_page_saved(page, revision, user):
    """Record every saved wiki page revision."""
    services.record_greeting("wiki_page_saved",
                             f"Thanks for revision {revision.number} of “{page.title}”, {user.display_name}!", user)


@hookimpl
def wilma_chat_message_sent(message, user):
    """Record every chat message that was stored and delivered."""
    services.record_greeting("chat_message_sent", f"{user.display_name} wrote in chat", user)
