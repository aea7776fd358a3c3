"""The plugin manager: what a plugin may do, and every refusal at start-up with a message saying what to fix.

Throwaway plugins are written into ``tmp_path`` and found there as ``plugins/<name>`` (the folder is
swapped for the test), or installed with a ``wilma.plugins`` entry point of a distribution on ``sys.path``.
"""

import re
import sys
import textwrap

import pytest

import plugins as plugins_package
from wilma import create_app
from wilma.core import plugins as manager
from wilma.core.plugins import PluginError
from wilma.extensions import db

HEADER = "from wilma.core.hookspecs import hookimpl\n"


def start(tmp_path, names, **extra):
    """Create an app with ``names`` enabled (no tables: the refusals happen before any are needed)."""
    config = {"TESTING": True, "INSTANCE_PATH": str(tmp_path / "instance"),
              "WILMA_DATABASE_URL": f"sqlite:///{tmp_path / 'plugins.db'}", "WILMA_SECRET_KEY": "x",
              "WILMA_PLUGINS": names, "WILMA_DEFAULT_LOCALE": "en", "WILMA_SEED_ON_START": False, **extra}
    return create_app(config)


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


def refused(tmp_path, names, *fragments):
    with pytest.raises(PluginError) as info:
        start(tmp_path, names)
    message = str(info.value)
    for fragment in fragments:
        assert fragment in message, message
    return message


# --- the core alone --------------------------------------------------------------------------------------


def test_core_without_plugins_is_neutral(client, auth, make_user):
    from wilma.core.markdown import render_markdown

    assert "Log in to WILMA" in client.get("/login").get_data(as_text=True)
    anna = make_user("anna")
    auth.login("anna")
    html = client.get(f"/people/{anna.id}").get_data(as_text=True)
    assert "<span>WILMA</span>" in html and "· WILMA</title>" in html
    assert "/example/" not in html and "example.css" not in html and "Beispielstadt" not in html
    assert "example_badge" not in client.get("/settings/profile").get_data(as_text=True)
    missing = client.get("/example/")
    assert missing.status_code == 404
    assert "Perhaps it moved" not in missing.get_data(as_text=True)  # the core's own 404 page
    assert "href" not in render_markdown("AZ-2026-0042")
    assert "#0b5cad" in client.get("/branding.css").get_data(as_text=True)


# --- refusals --------------------------------------------------------------------------------------------


def test_unknown_plugin_name(tmp_path, write_plugin):
    write_plugin("real", "")
    refused(tmp_path, ["nosuch"], "'nosuch' is enabled in WILMA_PLUGINS but was not found",
            "'wilma.plugins' entry points", "Available: real")


def test_plugin_name_must_be_an_identifier(tmp_path):
    refused(tmp_path, ["Nürnberg-Plugin"], "is not valid: use a lower-case Python identifier")


def test_hook_implementation_without_spec(tmp_path, write_plugin):
    write_plugin("typo", """
        @hookimpl
        def wilma_brandin():
            return {"site_name": "Typo"}
    """)
    refused(tmp_path, ["typo"], "Plugin 'typo'", "unknown hook 'wilma_brandin'",
            "Did you mean wilma_branding?", "Check the spelling")


def test_hook_function_without_hookimpl(tmp_path, write_plugin):
    write_plugin("bare", """
        def wilma_branding():
            return {"site_name": "Never shown"}
    """)
    refused(tmp_path, ["bare"], "function wilma_branding() is not marked as a hook implementation",
            "Decorate it with @hookimpl")


def test_unmarked_function_with_a_misspelt_hook_name(tmp_path, write_plugin):
    write_plugin("bare", """
        def wilma_navitems(user):
            return []
    """)
    refused(tmp_path, ["bare"], "function wilma_navitems() is not a hook of the contract",
            "Did you mean wilma_nav_items?")


BLUEPRINT = """
    from flask import Blueprint

    bp = Blueprint({name!r}, __name__, url_prefix={prefix!r})

    @bp.get("/")
    def index():
        return "hello"

    @hookimpl
    def wilma_blueprints():
        return [bp]
"""


def test_blueprint_named_after_another_plugin(tmp_path, write_plugin):
    write_plugin("city", BLUEPRINT.format(name="town", prefix="/city"))
    refused(tmp_path, ["city"], "blueprint 'town' must be named 'city'")


@pytest.mark.parametrize("prefix", ["/admin", "/cityhall", None])
def test_blueprint_urls_outside_the_namespace(tmp_path, write_plugin, prefix):
    write_plugin("city", BLUEPRINT.format(name="city", prefix=prefix))
    refused(tmp_path, ["city"], f"blueprint URL prefix {prefix!r} is outside its namespace",
            "use url_prefix='/city'")


def test_blueprint_in_its_namespace_is_served(tmp_path, write_plugin):
    write_plugin("city", BLUEPRINT.format(name="city", prefix="/city/"))
    app = start(tmp_path, ["city"])
    assert app.test_client().get("/city/").get_data(as_text=True) == "hello"


TEMPLATES = """
    from pathlib import Path

    @hookimpl
    def wilma_template_folders():
        return [str(Path(__file__).parent / "templates")]
"""


def test_template_outside_the_namespace_that_overrides_nothing(tmp_path, write_plugin):
    write_plugin("city", TEMPLATES, {"templates/city/page.html": "ok", "templates/accounts/logn.html": "typo"})
    refused(tmp_path, ["city"], "template 'accounts/logn.html' is outside its namespace",
            "under city/", "path of the core template it overrides")


def test_template_override_of_a_core_template_is_used(tmp_path, write_plugin):
    write_plugin("city", TEMPLATES, {
        "templates/accounts/login.html": '{% extends "base.html" %}{% block content %}City login{% endblock %}',
    })
    app = start(tmp_path, ["city"])
    assert "City login" in app.test_client().get("/login").get_data(as_text=True)


def test_template_folder_that_does_not_exist(tmp_path, write_plugin):
    write_plugin("city", TEMPLATES)
    refused(tmp_path, ["city"], "template folder", "does not exist")


def test_config_key_outside_the_namespace(tmp_path, write_plugin):
    write_plugin("city", """
        @hookimpl
        def wilma_config_defaults():
            return {"CITY_OK": 1, "DMS_URL": "https://dms.example"}
    """)
    refused(tmp_path, ["city"], "configuration key 'DMS_URL' is outside its namespace", "name it CITY_DMS_URL")


def test_config_defaults_of_the_plugin_are_set(tmp_path, write_plugin):
    write_plugin("city", """
        @hookimpl
        def wilma_config_defaults():
            return {"CITY_DMS_URL": "https://dms.example"}
    """)
    assert start(tmp_path, ["city"]).config["CITY_DMS_URL"] == "https://dms.example"


def test_table_outside_the_namespace(tmp_path, write_plugin):
    # A mapped class stays in the shared registry after the test: this plugin's name is used nowhere else.
    write_plugin("tabletown", """
        from plugins.tabletown import models
    """, {"models.py": """
        from sqlalchemy.orm import Mapped, mapped_column

        from wilma.extensions import db


        class TabletownThing(db.Model):
            __tablename__ = "things"
            id: Mapped[int] = mapped_column(primary_key=True)
    """})
    refused(tmp_path, ["tabletown"], "table 'things' (model TabletownThing) is outside its namespace",
            "name it tabletown_things")


def test_plugin_that_needs_a_newer_core(tmp_path, write_plugin):
    write_plugin("future", 'WILMA_REQUIRES = ">=99"\n')
    refused(tmp_path, ["future"], "Plugin 'future' needs WILMA core >=99, but this is 1.0.0",
            "Upgrade the core")


def test_plugin_with_an_unreadable_version_range(tmp_path, write_plugin):
    write_plugin("future", 'WILMA_REQUIRES = "newest please"\n')
    refused(tmp_path, ["future"], "WILMA_REQUIRES='newest please' is not a version range")


def test_plugin_that_fails_to_import(tmp_path, write_plugin):
    write_plugin("broken", "import no_such_library_for_wilma\n")
    refused(tmp_path, ["broken"], "Plugin 'broken' could not be imported",
            "No module named 'no_such_library_for_wilma'")


# --- what plugins may do ---------------------------------------------------------------------------------


def test_first_listed_plugin_wins_the_branding(tmp_path, write_plugin):
    for name in ("north", "south"):
        write_plugin(name, f"""
            @hookimpl
            def wilma_branding():
                return {{"site_name": "{name.title()}Net"}}
        """)
    for order, expected in ((["north", "south"], "NorthNet"), (["south", "north"], "SouthNet")):
        app = start(tmp_path / expected, order)
        assert f"Log in to {expected}" in app.test_client().get("/login").get_data(as_text=True)


def test_plugin_found_through_an_entry_point(tmp_path, monkeypatch):
    site = tmp_path / "site"
    package = site / "wilma_city_cityx"
    package.mkdir(parents=True)
    (package / "__init__.py").write_text(HEADER + textwrap.dedent("""
        @hookimpl
        def wilma_branding():
            return {"site_name": "CityX Intranet"}
    """), encoding="utf-8")
    dist = site / "wilma_city_cityx-1.0.dist-info"
    dist.mkdir()
    (dist / "METADATA").write_text("Metadata-Version: 2.1\nName: wilma-city-cityx\nVersion: 1.0\n")
    (dist / "entry_points.txt").write_text("[wilma.plugins]\ncityx = wilma_city_cityx\n")
    monkeypatch.syspath_prepend(str(site))
    try:
        assert manager.available_plugins()["cityx"] == "entry point wilma_city_cityx"
        app = start(tmp_path, ["cityx"])
        assert app.extensions["wilma_plugins"].names() == ["cityx"]
        assert "Log in to CityX Intranet" in app.test_client().get("/login").get_data(as_text=True)
    finally:
        sys.modules.pop("wilma_city_cityx", None)


def test_entry_point_must_name_a_module(tmp_path, monkeypatch):
    site = tmp_path / "site"
    (site / "wilma_city_cityy").mkdir(parents=True)
    (site / "wilma_city_cityy" / "__init__.py").write_text("def plugin():\n    pass\n")
    dist = site / "wilma_city_cityy-1.0.dist-info"
    dist.mkdir()
    (dist / "METADATA").write_text("Metadata-Version: 2.1\nName: wilma-city-cityy\nVersion: 1.0\n")
    (dist / "entry_points.txt").write_text("[wilma.plugins]\ncityy = wilma_city_cityy:plugin\n")
    monkeypatch.syspath_prepend(str(site))
    try:
        refused(tmp_path, ["cityy"], "the entry point must name a module")
    finally:
        sys.modules.pop("wilma_city_cityy", None)


def test_only_enabled_plugins_are_imported(tmp_path, write_plugin):
    write_plugin("loud", "raise RuntimeError('imported although not enabled')\n")
    app = start(tmp_path, [])
    assert app.extensions["wilma_plugins"].names() == []
    assert "plugins.loud" not in sys.modules


def test_plugins_enabled_from_the_environment(tmp_path, write_plugin, monkeypatch):
    write_plugin("north", "")
    write_plugin("south", "")
    monkeypatch.setenv("WILMA_PLUGINS", "north, south")
    config = {"TESTING": True, "INSTANCE_PATH": str(tmp_path / "instance"), "WILMA_SECRET_KEY": "x",
              "WILMA_DATABASE_URL": f"sqlite:///{tmp_path / 'env.db'}", "WILMA_SEED_ON_START": False}
    assert create_app(config).extensions["wilma_plugins"].names() == ["north", "south"]


def test_messages_name_the_hooks(tmp_path, write_plugin):
    write_plugin("typo", """
        @hookimpl
        def wilma_user_loged_in(user):
            pass
    """)
    message = refused(tmp_path, ["typo"], "wilma_user_loged_in")
    assert re.search(r"the hooks are: .*wilma_user_logged_in", message)


def test_slots_follow_the_order_of_wilma_plugins(tmp_path, write_plugin):
    for name in ("north", "south"):
        write_plugin(name, f"""
            from markupsafe import Markup

            @hookimpl
            def wilma_template_slot(slot):
                return Markup("<span>{name}-footer</span>") if slot == "footer" else None
        """)
    for order in (["north", "south"], ["south", "north"]):
        app = start(tmp_path / order[0], order)
        html = app.test_client().get("/login").get_data(as_text=True)
        assert html.index(f"{order[0]}-footer") < html.index(f"{order[1]}-footer")


def test_a_failing_event_hook_does_not_break_the_login(tmp_path, write_plugin, caplog):
    from tests.conftest import PASSWORD, csrf_from

    write_plugin("flaky", """
        @hookimpl
        def wilma_user_logged_in(user):
            raise RuntimeError("directory sync is down")
    """)
    app = start(tmp_path, ["flaky"])
    with app.app_context():
        db.create_all()
        from wilma.accounts import services
        from wilma.core.database import commit

        services.create_user("anna", PASSWORD)
        commit()
    client = app.test_client()
    token = csrf_from(client.get("/login").get_data(as_text=True))
    response = client.post("/login", data={"login": "anna", "password": PASSWORD, "csrf_token": token})
    assert response.status_code == 302
    assert "directory sync is down" in caplog.text


MIGRATION = '''
revision = "c1"
down_revision = {down!r}
branch_labels = {labels!r}
depends_on = "0001"
'''


def test_migration_must_start_the_plugins_own_branch(tmp_path, write_plugin):
    write_plugin("city", "", {"migrations/versions/c1_city.py": MIGRATION.format(down=None, labels=None)})
    refused(tmp_path, ["city"], "migration c1_city.py starts a history but is not on the plugin's branch",
            "branch_labels = ('city',)")


def test_migration_must_not_build_on_the_core(tmp_path, write_plugin):
    write_plugin("city", "", {"migrations/versions/c1_city.py": MIGRATION.format(down="0001", labels=("city",))})
    refused(tmp_path, ["city"], "migration c1_city.py builds on 0001, which is not one of the plugin's revisions",
            "depends_on")


def test_migrations_on_the_plugins_branch_are_accepted(tmp_path, write_plugin):
    write_plugin("city", "", {
        "migrations/versions/c1_city.py": MIGRATION.format(down=None, labels="city"),
        "migrations/versions/c2_city.py": 'revision = "c2"\ndown_revision = "c1"\n',
    })
    assert start(tmp_path, ["city"]).extensions["wilma_plugins"].names() == ["city"]


@pytest.mark.parametrize("name, clash", [("accounts", "the core's 'accounts' pages"),
                                         ("user", "the core's table 'user_sessions'")])
def test_plugin_name_must_not_cover_the_core(tmp_path, write_plugin, name, clash):
    write_plugin(name, "")
    refused(tmp_path, [name], clash, "choose another name")
