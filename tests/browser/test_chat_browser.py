"""Two people in two Chromium contexts see each other's messages live (Debian's Chromium, Playwright).

Uses the session's ``browser`` (one Playwright per process) and a server of its own: the chat's tables
come from the models here (``tests.chat.realserver``), and each person logs in with a prepared session.
"""

import pytest

from tests.browser.accessibility import axe_violations, heading_levels
from tests.chat.realserver import Server, prepare_in_background

pytestmark = [pytest.mark.browser, pytest.mark.slow]


@pytest.fixture(scope="module")
def chat_server(tmp_path_factory):
    instance = tmp_path_factory.mktemp("chat-browser")
    finish = prepare_in_background(instance, people=3)
    with Server(instance) as server:  # starts while the database is filled
        yield server, finish()


def open_chat(browser, server, info, username):
    context = browser.new_context(locale="en-GB")
    name, value = info["cookies"][username].split("=", 1)
    context.add_cookies([{"name": name, "value": value, "url": server.url}])
    page = context.new_page()
    errors = []
    page.on("pageerror", lambda exc: errors.append(str(exc)))
    page.goto(f"{server.url}/chat/{info['channel_id']}")
    page.wait_for_function("() => window.wilmaChat && window.wilmaChat.socket.connected")
    return context, page, errors


def test_two_people_chat_live(browser, chat_server):
    from playwright.sync_api import expect

    server, info = chat_server
    anna_ctx, anna, anna_errors = open_chat(browser, server, info, "user0")
    ben_ctx, ben, ben_errors = open_chat(browser, server, info, "user1")
    try:
        assert axe_violations(anna) == []
        assert heading_levels(anna) == [1, 2]
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
        assert axe_violations(ben) == []  # with messages, reactions and the edit buttons on the page
    finally:
        anna_ctx.close()
        ben_ctx.close()


def test_the_chat_page_opens_one_socket_shared_with_the_bell(browser, chat_server):
    server, info = chat_server
    context = browser.new_context(locale="en-GB")
    name, value = info["cookies"]["user2"].split("=", 1)
    context.add_cookies([{"name": name, "value": value, "url": server.url}])
    page = context.new_page()
    sockets = []
    page.on("websocket", lambda ws: sockets.append(ws.url) if "/socket.io/" in ws.url else None)
    try:
        page.goto(f"{server.url}/chat/{info['channel_id']}")
        page.wait_for_function("() => window.wilmaChat && window.wilmaChat.socket.connected")
        page.wait_for_timeout(500)  # a second connection, if any script opened one, would be open by now
        assert len(sockets) == 1
        assert page.evaluate("() => window.wilma.socket === window.wilmaChat.socket")
    finally:
        context.close()
