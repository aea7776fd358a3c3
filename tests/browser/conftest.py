"""Browser tests: Debian's Chromium driven by Playwright against a real server on 127.0.0.1.

The server is the one ``make run`` starts (``python -m wilma.serve``), on a database built by the real
migrations and filled by ``flask wilma demo``, in a temporary instance folder.
"""

import os
import subprocess
import sys
from pathlib import Path

import pytest

from tests.browser.site import ROOT, serve

CHROMIUM = os.environ.get("WILMA_TEST_CHROMIUM", "/usr/bin/chromium")
CHROMIUM_ARGS = ["--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
                 "--disable-background-networking", "--disable-component-update", "--disable-sync"]
DEMO_PASSWORD = "wilma-demo-2026"


def flask(env, *args):
    subprocess.run([sys.executable, "-m", "flask", "--app", "wsgi", *args], cwd=ROOT, env=env, check=True,
                   capture_output=True, timeout=300)


@pytest.fixture(scope="session")
def live_server(tmp_path_factory):
    """A real WILMA server with the demo content; yields an object with ``url``."""
    instance = tmp_path_factory.mktemp("browser-instance")
    env = {**os.environ, "WILMA_INSTANCE_PATH": str(instance), "WILMA_DEFAULT_LOCALE": "en",
           "WILMA_LOGIN_LIMIT_PER_ADDRESS": "1000 per minute", "WILMA_SECRET_KEY": "browser-tests"}
    env.pop("WILMA_DATABASE_URL", None)
    flask(env, "db", "upgrade")
    flask(env, "wilma", "demo")
    with serve(instance, env) as server:
        yield server


@pytest.fixture(scope="session")
def browser():
    from playwright.sync_api import sync_playwright

    if not Path(CHROMIUM).exists():
        pytest.fail(f"{CHROMIUM} is missing: `make test` installs Debian's chromium (Makefile: test-deps)")
    with sync_playwright() as playwright:
        chromium = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        yield chromium
        chromium.close()


class Session:
    """One person in one browser context, with helpers for what people do."""

    def __init__(self, context, base_url):
        self.context, self.base_url = context, base_url
        self.page = context.new_page()
        self.dialogs = []
        self.page.on("dialog", lambda dialog: (self.dialogs.append(dialog.message), dialog.dismiss()))

    def go(self, path):
        self.page.goto(self.base_url + path)
        return self.page

    def login(self, username, password=DEMO_PASSWORD):
        page = self.go("/login")
        page.get_by_label("Username or e-mail").fill(username)
        page.get_by_label("Password").fill(password)
        page.get_by_role("button", name="Log in").click()
        page.wait_for_url(lambda url: "/login" not in url)
        return page


@pytest.fixture
def person(browser, live_server):
    """``person("anna")``: a logged-in browser context of its own (several may run side by side)."""
    contexts = []

    def factory(username=None, locale="en-GB"):
        context = browser.new_context(locale=locale, viewport={"width": 1280, "height": 900})
        contexts.append(context)
        session = Session(context, live_server.url)
        if username:
            session.login(username)
        return session

    yield factory
    for context in contexts:
        context.close()
