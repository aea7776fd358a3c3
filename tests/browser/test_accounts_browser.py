"""A person logs in, edits the profile, finds colleagues, switches the language and logs out."""

import re

import pytest
from playwright.sync_api import expect

pytestmark = pytest.mark.browser


def test_login_profile_people_language_logout(person):
    anna = person("anna")
    page = anna.go("/settings/profile")
    page.get_by_label("Job title").fill("Leiterin Intranet & <b>Redaktion</b>")
    page.get_by_label("About me (Markdown)").fill("Ich mag **Radfahren** und <script>alert(1)</script>")
    page.get_by_role("button", name="Save profile").click()
    expect(page.get_by_text("Your profile has been saved.")).to_be_visible()

    page = anna.go("/people")
    page.get_by_label("Search by name, unit or job title").fill("Schäf")
    expect(page.locator("#people-list").get_by_text("Ben Schäfer")).to_be_visible()
    expect(page.locator("#people-list").get_by_text("Anna Müller")).to_have_count(0)
    page.locator("#people-list").get_by_text("Ben Schäfer").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Ben Schäfer")

    page = anna.go("/people/2")
    expect(page.get_by_text("Leiterin Intranet & <b>Redaktion</b>")).to_be_visible()
    expect(page.locator(".prose strong")).to_have_text("Radfahren")
    assert anna.dialogs == []

    page.wait_for_load_state()  # the switch submits on change once the deferred script has run
    page.get_by_label("Language").select_option("de")
    expect(page.locator("html")).to_have_attribute("lang", "de")
    page.wait_for_load_state()
    page.get_by_label("Sprache").select_option("en")
    expect(page.locator("html")).to_have_attribute("lang", "en")

    page.get_by_role("button", name="Log out").click()
    expect(page).to_have_url(re.compile(r"/login"))
    anna.go("/people")
    expect(anna.page).to_have_url(re.compile(r"/login\?next="))


def test_wrong_password_shows_the_message_in_the_form(person):
    visitor = person()
    page = visitor.go("/login")
    page.get_by_label("Username or e-mail").fill("anna")
    page.get_by_label("Password").fill("not the password")
    page.get_by_role("button", name="Log in").click()
    expect(page.locator(".field-error")).to_have_text("Unknown username or wrong password.")
