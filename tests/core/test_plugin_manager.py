"""The plugin manager: the core alone, discovery in plugins/ and through entry points, the order of
plugins, and events that fail. Throwaway plugins come from the ``write_plugin`` fixture (conftest.py)."""

import re
import sys
import textwrap

from wilma import create_app
from wilma.core import plugins as manager
from wilma.extensions import db

PASSWORD = "correct horse battery"

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


# --- what plugins may do ---------------------------------------------------------------------------------


def test_first_listed_plugin_wins_the_branding(tmp_path, write_plugin, start):
    for name in ("north", "south"):
        write_plugin(name, f"""
            @hookimpl
            def wilma_branding():
                return {{"site_name": "{name.title()}Net"}}
        """)
    for order, expected in ((["north", "south"], "NorthNet"), (["south", "north"], "SouthNet")):
        app = start(tmp_path / expected, order)
        assert f"Log in to {expected}" in app.test_client().get("/login").get_data(as_text=True)


def test_plugin_found_through_an_entry_point(tmp_path, monkeypatch, start):
    site = tmp_path / "site"
    package = site / "wilma_city_cityx"
    package.mkdir(parents=True)
    (package / "__init__.py").write_text("from wilma.core.hookspecs import hookimpl\n" + textwrap.dedent("""
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


def test_entry_point_must_name_a_module(tmp_path, monkeypatch, refused):
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


def test_only_enabled_plugins_are_imported(tmp_path, write_plugin, start):
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


def test_messages_name_the_hooks(tmp_path, write_plugin, refused):
    write_plugin("typo", """
        @hookimpl
        def wilma_user_loged_in(user):
            pass
    """)
    message = refused(tmp_path, ["typo"], "wilma_user_loged_in")
    assert re.search(r"the hooks are: .*wilma_user_logged_in", message)


def test_slots_follow_the_order_of_wilma_plugins(tmp_path, write_plugin, start):
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


def test_a_failing_event_hook_does_not_break_the_login(tmp_path, write_plugin, caplog, start):
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
    token = re.search(r'name="csrf_token"[^>]*value="([^"]+)"', client.get("/login").get_data(as_text=True))
    response = client.post("/login", data={"login": "anna", "password": PASSWORD, "csrf_token": token[1]})
    assert response.status_code == 302
    assert "directory sync is down" in caplog.text
