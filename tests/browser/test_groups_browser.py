"""Groups and the notification bell in a real browser: accessible group pages, a request to join that
reaches the owner's bell live, approval, and a secret group that stays invisible."""

import pytest
from playwright.sync_api import expect

from tests.browser.accessibility import axe_violations, heading_levels

pytestmark = pytest.mark.browser


def _open_group(session, name):
    page = session.go("/groups")
    page.locator("#group-list").get_by_role("link", name=name).click()
    expect(page.get_by_role("heading", level=1)).to_have_text(name)
    return page


def test_group_pages_meet_wcag_aa(person):
    emma = person("emma")  # owner of the private Digitalisierungsboard
    page = _open_group(emma, "Digitalisierungsboard")
    base = page.url
    for path in ("", "/members", "/requests", "/settings", "/delete"):
        page.goto(base + path)
        assert axe_violations(page) == [], path
        levels = heading_levels(page)
        assert levels.count(1) == 1, path
        assert all(b - a <= 1 for a, b in zip(levels, levels[1:], strict=False)), f"{path}: {levels}"
    for path in ("/groups", "/groups/new", "/groups/invitations", "/notifications", "/settings/notifications"):
        emma.go(path)
        assert axe_violations(emma.page) == [], path
        assert heading_levels(emma.page).count(1) == 1, path


def test_request_reaches_the_owners_bell_live_and_is_approved(person):
    emma = person("emma")
    emma_page = emma.go("/groups")
    badge = emma_page.locator("#notification-badge")
    emma_page.wait_for_function("() => !!(window.wilma && wilma.socket && wilma.socket.connected)")
    before = int(badge.get_attribute("data-count"))
    olga = person("olga")
    page = _open_group(olga, "Digitalisierungsboard")
    expect(page.get_by_text("Only members can see")).to_be_visible()
    page.get_by_role("button", name="Request to join").click()
    expect(page.get_by_text("Your request has been sent")).to_be_visible()
    expect(badge).to_have_text(str(before + 1))  # without reloading Emma's page

    emma_page.locator("#notification-bell").click()
    emma_page.wait_for_url("**/notifications")
    emma_page.get_by_role("link", name="Olga Nowak asks to join Digitalisierungsboard").click()
    emma_page.wait_for_url("**/requests")
    row = emma_page.locator("li", has_text="Olga Nowak")
    row.get_by_role("button", name="Approve").click()
    page = _open_group(olga, "Digitalisierungsboard")
    expect(page.get_by_role("button", name="Leave group")).to_be_visible()
    olga.go("/notifications")
    expect(olga.page.get_by_text("You are now a member of Digitalisierungsboard")).to_be_visible()


def test_secret_group_is_invisible_to_outsiders(person):
    sophie = person("sophie")  # owner of Personalrat intern
    page = sophie.go("/groups")
    page.locator("#group-list").get_by_role("link", name="Personalrat intern").click()
    secret_url = page.url
    anna = person("anna")
    response = anna.page.goto(secret_url)
    assert response.status == 404
    page = anna.go("/groups")
    expect(page.get_by_text("Personalrat intern")).to_have_count(0)


def test_invite_field_suggests_people(person):
    emma = person("emma")
    page = _open_group(emma, "Digitalisierungsboard")
    page.get_by_role("link", name="Members", exact=True).click()
    page.wait_for_url("**/members")
    page.wait_for_load_state()  # the suggestion script is attached at DOMContentLoaded
    field = page.get_by_label("Username")
    field.fill("Paul M")
    expect(page.locator("#invite-suggestions option[value='paul']")).to_have_count(1)
    field.fill("paul")
    page.get_by_role("button", name="Invite", exact=True).click()
    expect(page.get_by_text("Paul Meyer has been invited.")).to_be_visible()
