"""The reference plugin: every hook of the contract has an effect a user or an admin can see."""

import re

from sqlalchemy import select

from plugins.example.models import ExampleGreeting
from wilma import create_app
from wilma.accounts.models import OrgUnit, User
from wilma.extensions import db


def page(client, path):
    response = client.get(path)
    assert response.status_code == 200, path
    return response.get_data(as_text=True)


def kinds(user=None):
    stmt = select(ExampleGreeting.kind).order_by(ExampleGreeting.id)
    if user is not None:
        stmt = stmt.where(ExampleGreeting.user_id == user.id)
    return list(db.session.scalars(stmt))


def test_branding_navigation_and_slots_are_on_every_page(client, auth, make_user):
    make_user("anna")
    auth.login("anna")
    html = page(client, "/example/")
    assert re.search(r"<title>Greetings · Beispielstadt-Netz</title>", html)
    assert '<span>Beispielstadt-Netz</span>' in html and "WILMA" not in html
    assert 'src="/example/static/logo.svg"' in html
    assert '<a href="/example/" aria-current="page">Greetings</a>' in html  # wilma_nav_items
    assert 'href="/example/static/example.css"' in html  # head slot
    assert 'class="example-nav-slot"' in html  # navigation slot
    assert "A demonstration of the example plugin" in html  # footer slot
    assert '<a href="https://www.beispielstadt.example/impressum">Imprint</a>' in html
    assert '<a href="https://www.beispielstadt.example/">City hall</a>' in html
    assert "#2e7d32" in page(client, "/branding.css")
    assert client.get("/example/static/logo.svg").status_code == 200
    assert client.get("/example/static/example.css").status_code == 200


def test_login_page_is_branded_for_visitors(client):
    html = page(client, "/login")
    assert "Log in to Beispielstadt-Netz" in html
    assert "example-nav-slot" not in html  # the navigation slot is for people who are logged in


def test_the_plugin_page_needs_a_login(client):
    response = client.get("/example/")
    assert response.status_code == 302 and "/login" in response.location


def test_plugin_overrides_the_core_404_page(client, auth, make_user):
    make_user("anna")
    auth.login("anna")
    response = client.get("/no-such-page")
    assert response.status_code == 404
    assert "Perhaps it moved to another office" in response.get_data(as_text=True)


def test_events_are_recorded_and_listed_on_the_plugin_page(client, auth, make_user):
    anna = make_user("anna", display_name="Anna Müller")
    assert kinds(anna) == ["user_created"]
    auth.login("anna")
    assert kinds(anna) == ["user_created", "user_logged_in"]
    html = page(client, "/example/")
    rows = re.findall(r'<tr class="example-greeting".*?</tr>', html, re.S)
    assert len(rows) == 2
    assert "user_logged_in" in rows[0] and "Good to see you, Anna Müller!" in rows[0]
    assert "user_created" in rows[1] and "Welcome, Anna Müller!" in rows[1]


def test_failed_login_records_nothing(auth, make_user):
    anna = make_user("anna")
    auth.login("anna", "not the password")
    assert kinds(anna) == ["user_created"]


def test_extra_profile_field_is_editable_and_shown(client, auth, make_user):
    anna = make_user("anna", display_name="Anna Müller")
    auth.login("anna")
    form = page(client, "/settings/profile")
    assert '<label for="extra-example_badge">Badge</label>' in form
    assert 'name="example_badge"' in form
    response = auth.post("/settings/profile", {
        "display_name": "Anna Müller", "email": "anna@example.org", "job_title": "", "org_unit_id": "0",
        "phone": "", "room": "", "about": "", "locale": "en", "example_badge": "Ersthelferin <b>&",
    })
    assert response.status_code == 302
    assert 'value="Ersthelferin &lt;b&gt;&amp;"' in page(client, "/settings/profile")
    profile = page(client, f"/people/{anna.id}")
    assert "<dt>Badge</dt><dd>Ersthelferin &lt;b&gt;&amp;</dd>" in profile
    # the profile_sidebar slot shows the badge and the person's greetings
    assert '<p class="badge example-badge">Ersthelferin &lt;b&gt;&amp;</p>' in profile
    assert "2 greetings recorded" in profile
    assert "<b>&" not in profile


def test_extra_profile_field_length_is_checked(client, auth, make_user):
    make_user("anna", display_name="Anna Müller")
    auth.login("anna")
    response = auth.post("/settings/profile", {
        "display_name": "Anna Müller", "email": "", "org_unit_id": "0", "locale": "en",
        "example_badge": "x" * 41,
    })
    assert response.status_code == 200
    assert "At most 40 characters." in response.get_data(as_text=True)


def test_login_provider_accepts_its_test_account(client, auth):
    response = auth.login("Example.Tester", "example-secret-42")
    assert response.status_code == 302
    user = db.session.scalar(select(User).where(User.username == "example.tester"))
    assert user.auth_source == "example" and user.display_name == "Example Tester"
    assert user.password_hash is None  # the provider, not the core, knows the password
    assert kinds(user) == ["user_created", "user_logged_in"]
    assert "Example Tester" in page(client, f"/people/{user.id}")


def test_login_provider_denies_a_wrong_password(client, auth):
    response = auth.login("example.tester", "wrong-password-1")
    assert response.status_code == 200
    assert "Unknown username or wrong password." in response.get_data(as_text=True)
    assert db.session.scalar(select(User).where(User.username == "example.tester")) is None


def test_login_provider_leaves_local_accounts_alone(auth, make_user):
    make_user("anna")
    assert auth.login("anna").status_code == 302


def test_cli_command_runs_and_records(runner):
    result = runner.invoke(args=["wilma", "example", "hello", "Nürnberg"])
    assert result.exit_code == 0, result.output
    assert "Hello, Nürnberg! The example plugin has recorded 1 greeting." in result.output
    assert kinds() == ["cli"]
    assert "hello" in runner.invoke(args=["wilma", "example", "--help"]).output


def test_render_filter_links_file_numbers(client, auth, make_user):
    from wilma.core.markdown import render_markdown

    html = render_markdown("See AZ-2026-0042 and [AZ-2026-7](https://x.example/) please")
    assert ('<a class="example-file" href="https://dms.beispielstadt.example/akte/AZ-2026-0042">'
            "AZ-2026-0042</a>") in html
    assert html.count("<a ") == 2  # a file number that already is a link is left alone
    anna = make_user("anna")
    auth.login("anna")
    auth.post("/settings/profile", {"display_name": "Anna", "org_unit_id": "0", "locale": "en",
                                    "about": "Zuständig für AZ-2026-0001"})
    assert 'href="https://dms.beispielstadt.example/akte/AZ-2026-0001"' in page(client, f"/people/{anna.id}")


def test_render_filter_output_still_passes_the_sanitizer(app):
    from wilma.core.markdown import render_markdown

    app.config["EXAMPLE_FILE_URL"] = "javascript:alert(1)//{number}"
    html = render_markdown("AZ-2026-0042")
    assert "javascript" not in html and "AZ-2026-0042" in html


def test_org_units_are_seeded_once(app, client, auth, make_user):
    from wilma.core.seeding import seed_plugin_content

    seed_plugin_content(app)  # what create_app does at start-up (the fixture's app starts before its tables)
    seed_plugin_content(app)
    units = db.session.scalars(select(OrgUnit).where(OrgUnit.short.like("BSP%")).order_by(OrgUnit.id)).all()
    assert [(u.short, u.name) for u in units] == [("BSP", "Beispielreferat"), ("BSP-A", "Amt für Beispiele")]
    assert units[1].parent is units[0]
    make_user("anna")
    auth.login("anna")
    assert "Amt für Beispiele" in page(client, "/organisation")


def test_default_groups_are_offered_to_the_core(app):
    # The groups feature consumes this hook when it lands; until then the contract is what it answers.
    answers = app.extensions["wilma_plugins"].hook.wilma_default_groups()
    assert [g["name"] for groups in answers for g in groups] == ["Beispielstadt"]


def other_app(tmp_path, **config):
    """A second start of the app with the example plugin (only its configuration is looked at)."""
    return create_app({"TESTING": True, "INSTANCE_PATH": str(tmp_path / "other"), "WILMA_SECRET_KEY": "x",
                       "WILMA_DATABASE_URL": f"sqlite:///{tmp_path / 'other.db'}", "WILMA_PLUGINS": ["example"],
                       "WILMA_SEED_ON_START": False, **config})


def test_config_defaults_are_layered(app, tmp_path, monkeypatch):
    assert app.config["EXAMPLE_FILE_URL"] == "https://dms.beispielstadt.example/akte/{number}"
    assert app.config["EXAMPLE_LOGIN_PASSWORD"] == "example-secret-42"  # test config wins
    monkeypatch.setenv("EXAMPLE_SITE_NAME", "Aus der Umgebung")
    (tmp_path / "other").mkdir()
    (tmp_path / "other" / "config.py").write_text('EXAMPLE_FILE_URL = "https://akten.example/{number}"\n')
    other = other_app(tmp_path)
    assert other.config["EXAMPLE_SITE_NAME"] == "Aus der Umgebung"  # environment
    assert other.config["EXAMPLE_FILE_URL"] == "https://akten.example/{number}"  # instance/config.py
    assert other.config["EXAMPLE_LOGIN_PASSWORD"] is None
    monkeypatch.setenv("EXAMPLE_FILE_URL", "https://env.example/{number}")
    assert other_app(tmp_path).config["EXAMPLE_FILE_URL"] == "https://env.example/{number}"  # env wins
    assert other_app(tmp_path, EXAMPLE_FILE_URL="t").config["EXAMPLE_FILE_URL"] == "t"  # test config wins


def test_login_provider_is_off_without_a_password(tmp_path):
    other = other_app(tmp_path)
    with other.app_context():
        answer = other.extensions["wilma_plugins"].hook.wilma_authenticate(
            username="example.tester", password="")
    assert answer is None
