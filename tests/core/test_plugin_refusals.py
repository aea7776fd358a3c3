"""Every refusal at start-up: each breach of the contract stops ``create_app`` with a message that says
what to fix (and, next to some, the same thing done right, which starts)."""

import pytest

# --- refusals --------------------------------------------------------------------------------------------


def test_unknown_plugin_name(tmp_path, write_plugin, refused):
    write_plugin("real", "")
    refused(tmp_path, ["nosuch"], "'nosuch' is enabled in WILMA_PLUGINS but was not found",
            "'wilma.plugins' entry points", "Available: real")


def test_plugin_name_must_be_an_identifier(tmp_path, refused):
    refused(tmp_path, ["Nürnberg-Plugin"], "is not valid: use a lower-case Python identifier")


def test_hook_implementation_without_spec(tmp_path, write_plugin, refused):
    write_plugin("typo", """
        @hookimpl
        def wilma_brandin():
            return {"site_name": "Typo"}
    """)
    refused(tmp_path, ["typo"], "Plugin 'typo'", "unknown hook 'wilma_brandin'",
            "Did you mean wilma_branding?", "Check the spelling")


def test_hook_function_without_hookimpl(tmp_path, write_plugin, refused):
    write_plugin("bare", """
        def wilma_branding():
            return {"site_name": "Never shown"}
    """)
    refused(tmp_path, ["bare"], "function wilma_branding() is not marked as a hook implementation",
            "Decorate it with @hookimpl")


def test_unmarked_function_with_a_misspelt_hook_name(tmp_path, write_plugin, refused):
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


def test_blueprint_named_after_another_plugin(tmp_path, write_plugin, refused):
    write_plugin("city", BLUEPRINT.format(name="town", prefix="/city"))
    refused(tmp_path, ["city"], "blueprint 'town' must be named 'city'")


@pytest.mark.parametrize("prefix", ["/admin", "/cityhall", None])
def test_blueprint_urls_outside_the_namespace(tmp_path, write_plugin, prefix, refused):
    write_plugin("city", BLUEPRINT.format(name="city", prefix=prefix))
    refused(tmp_path, ["city"], f"blueprint URL prefix {prefix!r} is outside its namespace",
            "use url_prefix='/city'")


def test_blueprint_in_its_namespace_is_served(tmp_path, write_plugin, start):
    write_plugin("city", BLUEPRINT.format(name="city", prefix="/city/"))
    app = start(tmp_path, ["city"])
    assert app.test_client().get("/city/").get_data(as_text=True) == "hello"


TEMPLATES = """
    from pathlib import Path

    @hookimpl
    def wilma_template_folders():
        return [str(Path(__file__).parent / "templates")]
"""


def test_template_outside_the_namespace_that_overrides_nothing(tmp_path, write_plugin, refused):
    write_plugin("city", TEMPLATES, {"templates/city/page.html": "ok", "templates/accounts/logn.html": "typo"})
    refused(tmp_path, ["city"], "template 'accounts/logn.html' is outside its namespace",
            "under city/", "path of the core template it overrides")


def test_template_override_of_a_core_template_is_used(tmp_path, write_plugin, start):
    write_plugin("city", TEMPLATES, {
        "templates/accounts/login.html": '{% extends "base.html" %}{% block content %}City login{% endblock %}',
    })
    app = start(tmp_path, ["city"])
    assert "City login" in app.test_client().get("/login").get_data(as_text=True)


def test_template_folder_that_does_not_exist(tmp_path, write_plugin, refused):
    write_plugin("city", TEMPLATES)
    refused(tmp_path, ["city"], "template folder", "does not exist")


def test_config_key_outside_the_namespace(tmp_path, write_plugin, refused):
    write_plugin("city", """
        @hookimpl
        def wilma_config_defaults():
            return {"CITY_OK": 1, "DMS_URL": "https://dms.example"}
    """)
    refused(tmp_path, ["city"], "configuration key 'DMS_URL' is outside its namespace", "name it CITY_DMS_URL")


def test_config_defaults_of_the_plugin_are_set(tmp_path, write_plugin, start):
    write_plugin("city", """
        @hookimpl
        def wilma_config_defaults():
            return {"CITY_DMS_URL": "https://dms.example"}
    """)
    assert start(tmp_path, ["city"]).config["CITY_DMS_URL"] == "https://dms.example"


def test_table_outside_the_namespace(tmp_path, write_plugin, refused):
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


def test_plugin_that_needs_a_newer_core(tmp_path, write_plugin, refused):
    write_plugin("future", 'WILMA_REQUIRES = ">=99"\n')
    refused(tmp_path, ["future"], "Plugin 'future' needs WILMA core >=99, but this is 1.0.0",
            "Upgrade the core")


def test_plugin_with_an_unreadable_version_range(tmp_path, write_plugin, refused):
    write_plugin("future", 'WILMA_REQUIRES = "newest please"\n')
    refused(tmp_path, ["future"], "WILMA_REQUIRES='newest please' is not a version range")


def test_plugin_that_fails_to_import(tmp_path, write_plugin, refused):
    write_plugin("broken", "import no_such_library_for_wilma\n")
    refused(tmp_path, ["broken"], "Plugin 'broken' could not be imported",
            "No module named 'no_such_library_for_wilma'")




MIGRATION = '''
revision = "c1"
down_revision = {down!r}
branch_labels = {labels!r}
depends_on = "0001"
'''


def test_migration_must_start_the_plugins_own_branch(tmp_path, write_plugin, refused):
    write_plugin("city", "", {"migrations/versions/c1_city.py": MIGRATION.format(down=None, labels=None)})
    refused(tmp_path, ["city"], "migration c1_city.py starts a history but is not on the plugin's branch",
            "branch_labels = ('city',)")


def test_migration_must_not_build_on_the_core(tmp_path, write_plugin, refused):
    write_plugin("city", "", {"migrations/versions/c1_city.py": MIGRATION.format(down="0001", labels=("city",))})
    refused(tmp_path, ["city"], "migration c1_city.py builds on 0001, which is not one of the plugin's revisions",
            "depends_on")


def test_migrations_on_the_plugins_branch_are_accepted(tmp_path, write_plugin, start):
    write_plugin("city", "", {
        "migrations/versions/c1_city.py": MIGRATION.format(down=None, labels="city"),
        "migrations/versions/c2_city.py": 'revision = "c2"\ndown_revision = "c1"\n',
    })
    assert start(tmp_path, ["city"]).extensions["wilma_plugins"].names() == ["city"]


@pytest.mark.parametrize("name, clash", [("accounts", "the core's 'accounts' pages"),
                                         ("user", "the core's table 'user_sessions'")])
def test_plugin_name_must_not_cover_the_core(tmp_path, write_plugin, name, clash, refused):
    write_plugin(name, "")
    refused(tmp_path, [name], clash, "choose another name")
