"""Keyboard only (BITV 2.0 / WCAG 2.1.1 and 2.4.7): log in, write a post and send it, send a chat
message, with Tab, Enter and typing; at every stop of the focus on the way, the focus can be seen."""

import re

import pytest
from playwright.sync_api import expect

from tests.browser.conftest import DEMO_PASSWORD
from tests.browser.keyboard import focus_state, tab_to

pytestmark = pytest.mark.browser


def test_login_post_and_chat_with_the_keyboard_only(person):
    visitor = person()
    page = visitor.go("/login")
    unseen = tab_to(page, "#login")
    page.keyboard.type("clara")
    unseen += tab_to(page, "#password")
    page.keyboard.type(DEMO_PASSWORD)
    unseen += tab_to(page, "form button[type=submit]")
    expect(page.locator(":focus")).to_have_text("Log in")
    page.keyboard.press("Enter")
    page.wait_for_url(re.compile(r"/feed"))

    unseen += tab_to(page, "#composer-body-me")
    page.keyboard.type("Mit der Tastatur geschrieben: **ohne Maus**.")
    unseen += tab_to(page, ".composer button[type=submit]")
    expect(page.locator(":focus")).to_have_text("Publish")
    page.keyboard.press("Enter")
    expect(page.locator("article.post .post-body strong", has_text="ohne Maus")).to_have_count(1)

    unseen += tab_to(page, "nav.mainnav a[href='/chat']")
    page.keyboard.press("Enter")
    page.wait_for_url(re.compile(r"/chat/\d+"))
    page.wait_for_function("() => window.wilmaChat && window.wilmaChat.socket.connected")
    unseen += tab_to(page, "#chat-body", limit=200)
    page.keyboard.type("Hallo aus der Tastatur")
    page.keyboard.press("Enter")
    expect(page.locator("#chat-messages .chat-message[data-id]", has_text="Hallo aus der Tastatur")).to_have_count(1)
    expect(page.locator("#chat-body")).to_be_focused()
    expect(page.locator("#chat-body")).to_have_value("")
    # on from the composer: attaching a file and the send button
    unseen += tab_to(page, "#chat-composer button[type=submit]")
    assert unseen == [], f"focus not visible at: {unseen}"
    assert focus_state(page)["visible"]
    assert visitor.dialogs == []
