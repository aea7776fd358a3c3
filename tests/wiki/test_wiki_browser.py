"""In a real Chromium: text typed into the wiki editor survives an expired session and a concurrent
edit. The browser keeps the draft (with the revision it started from), offers it back after logging in
again, and the save merges with what a colleague saved meanwhile."""

import threading
from pathlib import Path

import pytest
from sqlalchemy import delete
from werkzeug.serving import make_server

from wilma.accounts.models import UserSession
from wilma.extensions import db
from wilma.wiki import services
from wilma.wiki.models import WikiPage

CHROMIUM = "/usr/bin/chromium"
PASSWORD = "correct horse battery"
BASE = "Intro\n\nMiddle\n\nEnd\n"


@pytest.fixture
def server(app):
    """The test app served on 127.0.0.1 from a thread (its requests get their own app contexts)."""
    app.config["RATELIMIT_ENABLED"] = False
    httpd = make_server("127.0.0.1", 0, app, threaded=True)
    thread = threading.Thread(target=httpd.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{httpd.server_port}"
    httpd.shutdown()
    thread.join(timeout=10)


@pytest.fixture
def page_obj(make_user, make_group):
    anna, ben = make_user("anna"), make_user("ben")
    group = make_group("Team", members={anna: "owner", ben: "member"})
    return services.create_page(anna, group.id, "Ablauf", BASE), anna


def run_in_own_thread(fn, app):
    """Run ``fn`` in a thread with its own app context: the sync Playwright API refuses to start in a
    thread where another Playwright (the session browser of ``tests/browser``) is already running."""
    failure = []

    def target():
        with app.app_context():
            try:
                fn()
            except BaseException as exc:  # re-raised in the test's thread
                failure.append(exc)
            finally:
                db.session.remove()

    thread = threading.Thread(target=target)
    thread.start()
    thread.join(timeout=300)
    assert not thread.is_alive(), "the browser scenario did not finish"
    if failure:
        raise failure[0]


@pytest.mark.browser
def test_text_survives_expired_session_and_concurrent_edit(server, page_obj, app):
    page, anna = page_obj
    page_id, first_revision, anna_id = page.id, page.current_revision_id, anna.id
    db.session.commit()  # outside requests every transaction is a write one: end it before the server works
    run_in_own_thread(lambda: scenario(server, page_id, first_revision, anna_id), app)
    db.session.expire_all()
    body = db.session.get(WikiPage, page_id).current_revision.body
    assert "Intro, rewritten by Ben" in body and "End, by Anna" in body


def scenario(server, page_id, first_revision, anna_id):
    from playwright.sync_api import sync_playwright

    from wilma.accounts.models import User

    assert Path(CHROMIUM).exists(), "Debian's chromium is needed for browser tests"
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, args=["--no-sandbox", "--disable-gpu"])
        tab = browser.new_page()

        def login():
            tab.fill("#login", "ben")
            tab.fill("#password", PASSWORD)
            tab.click("button[type=submit]")
            tab.wait_for_load_state()

        tab.goto(f"{server}/wiki/-/pages/{page_id}/edit")
        login()
        assert tab.url.endswith(f"/wiki/-/pages/{page_id}/edit")
        tab.fill("#body", BASE.replace("Intro", "Intro, rewritten by Ben"))
        # meanwhile: Anna saves a change further down, and Ben's session expires
        anna = db.session.get(User, anna_id)  # loaded only now: any open transaction would lock SQLite
        services.save_page(anna, page_id, BASE.replace("End", "End, by Anna"), first_revision)
        db.session.execute(delete(UserSession))
        db.session.commit()
        tab.click("button.primary")
        tab.wait_for_load_state()
        assert "Your session has expired" in tab.content()
        assert tab.input_value("#body") == BASE.replace("Intro", "Intro, rewritten by Ben")
        # Ben logs in again and opens the editor: the browser offers his text back
        tab.goto(f"{server}/wiki/-/pages/{page_id}/edit")
        login()
        tab.wait_for_selector("#wiki-draft-notice", state="visible")
        tab.click("[data-draft-restore]")
        tab.click("button.primary")
        tab.wait_for_load_state()
        assert "merged" in tab.content()
        # once saved, the draft is gone
        tab.goto(f"{server}/wiki/-/pages/{page_id}/edit")
        assert tab.is_hidden("#wiki-draft-notice")
        browser.close()
