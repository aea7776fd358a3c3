"""BITV 2.0 / WCAG 2.1 AA on every main page: no serious or critical axe-core violation, one h1 and a
heading order without skipped levels, labelled controls, and keyboard-only use of the login."""

import pytest
from playwright.sync_api import expect

from tests.browser.accessibility import axe_violations, heading_levels

pytestmark = pytest.mark.browser

MAIN_PAGES = ["/people", "/people/2", "/organisation", "/settings/profile", "/settings/password",
              "/settings/tokens", "/feed", "/groups", "/wiki", "/chat", "/search?q=Radverkehr", "/notifications",
              "/admin", "/admin/users", "/admin/audit"]


def test_login_page_is_accessible_and_keyboard_only(person):
    visitor = person()
    page = visitor.go("/login")
    assert axe_violations(page) == []
    assert heading_levels(page)[0] == 1
    page.keyboard.press("Tab")  # skip link
    page.keyboard.press("Tab")  # brand link
    for _ in range(6):
        if page.evaluate("document.activeElement.id") == "login":
            break
        page.keyboard.press("Tab")
    assert page.evaluate("document.activeElement.id") == "login"
    page.keyboard.type("anna")
    page.keyboard.press("Tab")
    page.keyboard.type("wilma-demo-2026")
    page.keyboard.press("Enter")
    page.wait_for_url(lambda url: "/login" not in url)


def test_main_pages_meet_wcag_aa(person, live_server):
    anna = person("admin")  # an administrator reaches every page, the admin area included
    checked = 0
    for path in MAIN_PAGES:
        response = anna.page.goto(live_server.url + path)
        assert response.status == 200, path
        checked += 1
        assert axe_violations(anna.page) == [], path
        levels = heading_levels(anna.page)
        assert levels.count(1) == 1, f"{path}: {levels.count(1)} h1 elements"
        assert all(b - a <= 1 for a, b in zip(levels, levels[1:], strict=False)), f"{path}: heading order {levels}"
    assert checked == len(MAIN_PAGES)


def test_focus_is_visible(person):
    anna = person("anna")
    page = anna.go("/people")
    page.get_by_label("Search by name, unit or job title").focus()
    outline = page.evaluate("getComputedStyle(document.activeElement).outlineStyle")
    expect(page.get_by_label("Search by name, unit or job title")).to_be_focused()
    assert outline != "none"
