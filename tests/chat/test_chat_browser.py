"""Two people in two Chromium contexts see each other's messages live (Debian's Chromium, Playwright)."""

from pathlib import Path

import pytest

from tests.browser.conftest import CHROMIUM, CHROMIUM_ARGS
from tests.chat.realserver import Server, prepare

pytestmark = [pytest.mark.browser, pytest.mark.slow]


@pytest.fixture(scope="module")
def chat_server(tmp_path_factory):
    instance = tmp_path_factory.mktemp("chat-browser")
    info = prepare(instance, people=3)
    with Server(instance) as server:
        yield server, info


@pytest.fixture(scope="module")
def chromium():
    from playwright.sync_api import sync_playwright

    if not Path(CHROMIUM).exists():
        pytest.fail(f"{CHROMIUM} is missing: `make test` installs Debian's chromium")
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        yield browser
        browser.close()


def open_chat(chromium, server, info, username):
    context = chromium.new_context(locale="en-GB")
    name, value = info["cookies"][username].split("=", 1)
    context.add_cookies([{"name": name, "value": value, "url": server.url}])
    page = context.new_page()
    errors = []
    page.on("pageerror", lambda exc: errors.append(str(exc)))
    page.goto(f"{server.url}/chat/{info['channel_id']}")
    page.wait_for_function("() => window.wilmaChat && window.wilmaChat.socket.connected")
    return context, page, errors


def test_two_people_chat_live(chromium, chat_server):
    from playwright.sync_api import expect

    server, info = chat_server
    anna_ctx, anna, anna_errors = open_chat(chromium, server, info, "user0")
    ben_ctx, ben, ben_errors = open_chat(chromium, server, info, "user1")
    try:
        anna.get_by_label("Message").fill("Hallo **Ben**, <script>alert(1)</script>")
        anna.keyboard.press("Enter")
        expect(ben.locator("#chat-messages .chat-message strong", has_text="Ben")).to_be_visible()
        expect(ben.locator("#chat-messages")).to_contain_text("<script>alert(1)</script>")
        assert ben.locator("#chat-messages script").count() == 0
        ben.get_by_label("Message").fill("Hallo Anna!")
        ben.keyboard.press("Enter")
        expect(anna.locator("#chat-messages")).to_contain_text("Hallo Anna!")
        # typing indicator and an edit seen live on the other side
        ben.get_by_label("Message").type("Moment")
        expect(anna.locator("#chat-typing")).to_contain_text("User 1")
        mine = anna.locator("#chat-messages .chat-message", has_text="Hallo Ben")
        mine.get_by_role("button", name="Edit").click()
        editor = mine.locator(".chat-editor textarea")
        editor.fill("Hallo Ben, bis gleich")
        mine.get_by_role("button", name="Save").click()
        expect(ben.locator("#chat-messages")).to_contain_text("Hallo Ben, bis gleich")
        # each message shows once on both sides
        assert anna.locator("#chat-messages .chat-message[data-id]").count() == 2
        assert ben.locator("#chat-messages .chat-message[data-id]").count() == 2
        assert anna_errors == [] and ben_errors == []
    finally:
        anna_ctx.close()
        ben_ctx.close()
