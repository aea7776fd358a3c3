"""Each city plugin on its own, all four together, and the neutral core without them."""

import re
from pathlib import Path

import pytest
from sqlalchemy import select

from tests.conftest import Auth
from wilma.accounts import services
from wilma.accounts.models import OrgUnit
from wilma.core.database import commit
from wilma.core.markdown import render_markdown
from wilma.extensions import db

CITIES = {
    "muenchen": ("WiLMA", "IT-Referat"),
    "nuernberg": ("NürnbergNetz", "Finanzreferat"),
    "augsburg": ("Augsburg intern", "Büro der Oberbürgermeisterin"),
    "regensburg": ("Regensburg Intranet", "Kulturreferat"),
}
CITY_NAMES = ("München", "Muenchen", "Munich", "Nürnberg", "Nuernberg", "Nuremberg", "Augsburg", "Regensburg")


def login_page(app) -> str:
    return app.test_client().get("/login").get_data(as_text=True)


@pytest.mark.parametrize("city", CITIES)
def test_each_city_alone_brings_its_identity_and_organisation(city_app, city):
    site_name, unit = CITIES[city]
    app = city_app(city)
    page = login_page(app)
    assert f"<title>Log in · {site_name}</title>" in page
    assert f"/{city}/static/logo.svg" in page
    assert "Imprint" in page
    assert db.session.scalar(select(OrgUnit).where(OrgUnit.name == unit)) is not None
    logo = app.test_client().get(f"/{city}/static/logo.svg")
    assert logo.status_code == 200 and b"<svg" in logo.data
    css = app.test_client().get("/branding.css").get_data(as_text=True)
    with app.test_request_context():
        assert app.extensions["wilma_plugins"].hook.wilma_branding()["colors"]["primary"] in css


def test_core_without_plugins_is_neutral(city_app):
    app = city_app()
    page = login_page(app)
    assert "<title>Log in · WILMA</title>" in page
    assert not any(name in page for name in CITY_NAMES)
    assert db.session.scalar(select(OrgUnit.id)) is None


def test_all_four_together_do_not_collide(city_app):
    app = city_app("nuernberg", "muenchen", "augsburg", "regensburg", REGENSBURG_LDAP_ENABLED=False)
    assert "<title>Log in · NürnbergNetz</title>" in login_page(app)  # the first listed brands the site
    for _city, (_name, unit) in CITIES.items():
        assert db.session.scalar(select(OrgUnit).where(OrgUnit.name == unit)) is not None
    rules = {rule.rule for rule in app.url_map.iter_rules()}
    for city in CITIES:
        assert f"/{city}/static/<path:filename>" in rules
    seed_again = len(db.session.scalars(select(OrgUnit)).all())
    from wilma.core.seeding import seed_plugin_content

    seed_plugin_content(app)
    assert len(db.session.scalars(select(OrgUnit)).all()) == seed_again, "seeding twice adds nothing"


def test_no_core_file_names_a_city():
    root = Path(__file__).resolve().parents[2] / "wilma"
    offenders = [str(path.relative_to(root)) for path in root.rglob("*")
                 if path.is_file() and path.suffix in {".py", ".html", ".css", ".js", ".svg", ".txt", ".cfg"}
                 and "vendor" not in path.parts
                 and any(name in path.read_text(encoding="utf-8", errors="ignore") for name in CITY_NAMES)]
    assert offenders == []


def test_nuernberg_links_file_numbers_outside_code(city_app):
    city_app("nuernberg", NUERNBERG_DMS_URL="https://dms.test/akte?az={number}")
    html = render_markdown("Siehe Az. 32.1-4711/2026 und `Az. 10-1/2025`, [Link](https://x.test) Az.1-2/2024")
    assert '<a class="dms-link" href="https://dms.test/akte?az=32.1-4711%2F2026"' in html
    assert "<code>Az. 10-1/2025</code>" in html
    assert html.count("dms-link") == 2
    hostile = render_markdown('Az. 1-2/2024 <a href="javascript:alert(1)">x</a> [y](javascript:alert(2))')
    hrefs = re.findall(r'<a [^>]*href="([^"]*)"', hostile)
    assert hrefs == ["https://dms.test/akte?az=1-2%2F2024"]


def test_augsburg_profile_fields_are_edited_and_shown(city_app):
    app = city_app("augsburg")
    services.create_user("anna", "correct horse battery", display_name="Anna")
    commit()
    client = app.test_client()
    auth = Auth(client)
    auth.login("anna")
    form = client.get("/settings/profile").get_data(as_text=True)
    assert "Sprechzeiten" in form and 'name="augsburg_sprechzeiten"' in form
    response = auth.post("/settings/profile", data={
        "display_name": "Anna", "locale": "de", "org_unit_id": "0",
        "augsburg_sprechzeiten": "Mo–Do 8–12 Uhr", "augsburg_vertretung": "Ben"})
    assert response.status_code == 302
    profile = client.get(f"/people/{services.find_login('anna').id}").get_data(as_text=True)
    assert "Mo–Do 8–12 Uhr" in profile and "Vertretung" in profile


def test_augsburg_cli_imports_profiles(city_app, tmp_path):
    app = city_app("augsburg")
    services.create_user("ben", "correct horse battery")
    commit()
    export = tmp_path / "hr.csv"
    export.write_text("username;dienststelle;sprechzeiten\nben;Amt 17;Di 9-11\nghost;X;Y\n", encoding="utf-8")
    result = app.test_cli_runner().invoke(args=["wilma", "augsburg", "import-profiles", str(export)])
    assert result.exit_code == 0, result.output
    assert "Updated 1 profiles." in result.output and "ghost" in result.output
    assert services.extra_fields(services.find_login("ben"))["augsburg_dienststelle"] == "Amt 17"
    bad = tmp_path / "bad.csv"
    bad.write_text("name;x\n", encoding="utf-8")
    result = app.test_cli_runner().invoke(args=["wilma", "augsburg", "import-profiles", str(bad)])
    assert result.exit_code != 0 and "username" in result.output


def test_muenchen_radar_is_drawn_and_edited_by_admins_only(city_app):
    app = city_app("muenchen")
    services.create_user("root", "correct horse battery", is_admin=True)
    services.create_user("mia", "correct horse battery")
    commit()
    result = app.test_cli_runner().invoke(args=["wilma", "muenchen", "load-radar"])
    assert "Loaded 11 radar projects." in result.output
    member = app.test_client()
    Auth(member).login("mia")
    page = member.get("/muenchen/radar").get_data(as_text=True)
    assert page.count('<g class="blip') == 11 and "<svg" in page and "E-Akte" in page
    assert member.get("/muenchen/radar/new").status_code == 403
    admin = app.test_client()
    admin_auth = Auth(admin)
    admin_auth.login("root")
    token = admin_auth.csrf("/muenchen/radar/new")
    response = admin.post("/muenchen/radar/new", data={
        "csrf_token": token, "name": "Digitale Parkausweise", "field": "Bürgerservice", "stage": "Idee"})
    assert response.status_code == 302
    assert "Digitale Parkausweise" in member.get("/muenchen/radar").get_data(as_text=True)
    invalid = admin.post("/muenchen/radar/new", data={"csrf_token": token, "name": "", "field": "Nope",
                                                       "stage": "Idee"})
    assert invalid.status_code == 200 and "field-error" in invalid.get_data(as_text=True)


def test_plugins_enable_restart_disable(tmp_path):
    """What a city's IT team does: enable, restart (a new app), see the city; disable, neutral again."""
    from tests.conftest import make_test_app
    from wilma import create_app

    app = make_test_app(tmp_path)
    runner = app.test_cli_runner()
    assert runner.invoke(args=["wilma", "plugins", "enable", "nuernberg"]).exit_code == 0
    config_file = Path(app.instance_path) / "config.py"

    restarted = create_app({"INSTANCE_PATH": app.instance_path, "WILMA_DATABASE_URL": app.config["WILMA_DATABASE_URL"],
                            "TESTING": True, "WILMA_DEFAULT_LOCALE": "en"})
    assert restarted.config["WILMA_PLUGINS"] == ["nuernberg"]
    assert "NürnbergNetz" in restarted.test_client().get("/login").get_data(as_text=True)
    with restarted.app_context():
        assert db.session.scalar(select(OrgUnit).where(OrgUnit.short == "Ref. VI")) is not None
        db.session.remove()
    assert runner.invoke(args=["wilma", "plugins", "disable", "nuernberg"]).exit_code == 0
    assert "WILMA_PLUGINS = []" in config_file.read_text()
    neutral = create_app({"INSTANCE_PATH": app.instance_path, "TESTING": True, "WILMA_DEFAULT_LOCALE": "en",
                          "WILMA_DATABASE_URL": app.config["WILMA_DATABASE_URL"]})
    assert "<title>Log in · WILMA</title>" in neutral.test_client().get("/login").get_data(as_text=True)
