"""What people do every day, in Chromium against the demo server: a post with Markdown, an image and a
poll; a colleague comments, likes and votes; a wiki page edited and its diff; search; the language.

Joining a private group with the owner's approval and the chat between two people are in
test_groups_browser.py and test_chat_browser.py; logging in with the keyboard in test_keyboard_browser.py.
"""

import io
import re
import subprocess
import sys

import pytest
from playwright.sync_api import expect

from tests.browser.site import ROOT, Site

pytestmark = pytest.mark.browser


def png(width=64, height=48) -> bytes:
    from PIL import Image

    out = io.BytesIO()
    Image.new("RGB", (width, height), (11, 92, 173)).save(out, "PNG")
    return out.getvalue()


def open_group(session, name):
    page = session.go("/groups")
    page.locator("#group-list").get_by_role("link", name=name).click()
    expect(page.get_by_role("heading", level=1)).to_have_text(name)
    return page


def index_pending_changes(live_server):
    """``flask wilma search process``, as cron would run it (again while the server's own worker holds
    the index: then that worker is applying the same changes)."""
    for _attempt in range(50):
        done = subprocess.run([sys.executable, "-m", "flask", "--app", "wsgi", "wilma", "search", "process"],
                              cwd=ROOT, env=live_server.env, capture_output=True, text=True, timeout=120)
        if done.returncode == 0:
            return done.stdout
    pytest.fail(f"the search index stayed busy: {done.stderr}")


def test_post_with_markdown_image_and_poll_then_comment_like_and_vote(person):
    anna = person("anna")
    page = open_group(anna, "Intranet-Redaktion")
    page.get_by_label("Write a post").fill("Neue **Bildrichtlinie** für _alle_ Seiten:\n\n- Alternativtext\n- Quelle")
    page.locator("summary", has_text="Files and poll").click()
    page.get_by_label("Files").set_input_files({"name": "richtlinie.png", "mimeType": "image/png", "buffer": png()})
    page.get_by_label("Poll options (one per line)").fill("Einverstanden\nNoch Fragen")
    page.get_by_role("button", name="Publish").click()
    post = page.locator("article.post", has_text="Bildrichtlinie").first
    expect(post.locator(".post-body strong")).to_have_text("Bildrichtlinie")
    expect(post.locator(".post-body em")).to_have_text("alle")
    expect(post.locator(".post-body li")).to_have_count(2)
    thumbnail = post.locator("img.post-thumb")
    expect(thumbnail).to_have_attribute("alt", "richtlinie.png")
    thumbnail.scroll_into_view_if_needed()
    page.wait_for_function("img => img.complete && img.naturalWidth > 0", arg=thumbnail.element_handle())
    assert thumbnail.evaluate("img => img.naturalWidth") > 0
    post_url = post.locator("a.post-time").get_attribute("href")

    ben = person("ben")
    page = ben.go(post_url)
    card = page.locator("article.post").first
    card.get_by_role("button", name="Like").click()
    expect(card.locator(".js-like-count")).to_have_text("1 like")
    expect(card.get_by_role("button", name="Unlike")).to_have_attribute("aria-pressed", "true")
    card.get_by_label("Einverstanden").check()
    card.get_by_role("button", name="Vote").click()
    expect(card.locator(".poll-results .poll-mine")).to_contain_text("Einverstanden")  # shown at once
    expect(card.locator(".poll-results .poll-mine meter")).to_have_attribute("value", "100")
    page.reload()
    card = page.locator("article.post").first
    expect(card.locator(".poll-results")).to_contain_text("1 vote (100 %)")
    expect(card.get_by_text("1 person voted")).to_be_visible()
    expect(card.get_by_role("button", name="Change my vote")).to_be_visible()
    page.get_by_label("Write a comment").fill("Gute Idee, *danke*!")
    page.get_by_role("button", name="Comment", exact=True).click()
    expect(page.locator("#comments .prose em")).to_have_text("danke")

    page = anna.go(post_url)  # the author sees the like and the comment
    card = page.locator("article.post").first
    expect(card.locator(".js-like-count")).to_have_text("1 like")
    expect(page.locator("#comments")).to_contain_text("Gute Idee")
    anna.go("/notifications")
    expect(anna.page.locator(".notification").first).to_contain_text("Ben Schäfer")
    assert anna.dialogs == [] and ben.dialogs == []


def test_wiki_page_edited_and_the_diff_shows_the_change(person):
    anna = person("anna")
    page = open_group(anna, "Intranet-Redaktion")
    page.get_by_role("navigation", name="Group").get_by_role("link", name="Wiki").click()
    page.get_by_role("link", name="Redaktionsleitfaden").first.click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Redaktionsleitfaden")
    page.get_by_role("link", name="Edit", exact=True).click()
    text = page.get_by_label("Text (Markdown; link pages with [[Page title]])")
    old = text.input_value()
    first_line = old.splitlines()[0]
    added = "Neu: Bilder immer mit Alternativtext."
    text.fill(old.replace(first_line, first_line + " (überarbeitet)", 1) + f"\n\n{added}\n")
    page.get_by_label("Summary of your change (optional)").fill("Alternativtext ergänzt")
    page.get_by_role("button", name="Save", exact=True).click()
    expect(page.locator(".wiki-body")).to_contain_text(added)

    page.get_by_role("link", name="History", exact=True).click()
    expect(page.locator(".wiki-history tbody tr").first).to_contain_text("Alternativtext ergänzt")
    page.get_by_role("link", name="changes", exact=True).first.click()
    expect(page.locator(".wiki-diff .diff-insert ins", has_text=added)).to_have_count(1)
    expect(page.locator(".wiki-diff .diff-insert", has_text="(überarbeitet)")).to_have_count(1)
    expect(page.locator(".wiki-diff .diff-delete", has_text=first_line)).to_have_count(1)


def test_search_finds_a_new_post_and_opens_it(person, live_server):
    ben = person("ben")
    page = open_group(ben, "Radverkehr")
    page.get_by_label("Write a post").fill("Die Fahrradstraßenbeschilderung am Ring ist fertig.")
    page.get_by_role("button", name="Publish").click()
    expect(page.locator("article.post", has_text="Fahrradstraßenbeschilderung")).to_have_count(1)
    index_pending_changes(live_server)

    page.get_by_role("searchbox", name="Search").fill("Fahrradstrassenbeschilderung")  # ss finds ß
    page.keyboard.press("Enter")
    expect(page).to_have_url(re.compile(r"/search\?q="))
    hit = page.locator(".search-hit", has_text="Fahrradstraßenbeschilderung")
    expect(hit.locator("mark")).to_have_count(1)
    hit.get_by_role("link").click()
    expect(page).to_have_url(re.compile(r"/posts/\d+$"))
    expect(page.locator("article.post .post-body")).to_contain_text("Die Fahrradstraßenbeschilderung am Ring")


@pytest.fixture(scope="module")
def german_server(tmp_path_factory):
    """A server whose default language is German (the demo server's is English), with one person."""
    site = Site(tmp_path_factory.mktemp("german"), settings={"WILMA_DEFAULT_LOCALE": "de"})
    site.migrate()
    with site.serve(wait=False) as server:
        from wilma.accounts.services import create_user
        from wilma.core.database import commit

        with site.request():
            create_user("lena", "lena-liest-deutsch", display_name="Lena Lang")
            commit()
        server.wait()
        yield server


def test_language_german_by_default_then_english_and_back(browser, german_server):
    context = browser.new_context(locale="en-GB", base_url=german_server.url)  # the browser's language
    page = context.new_page()                                                   # does not decide
    try:
        page.goto("/login")
        expect(page.locator("html")).to_have_attribute("lang", "de")
        expect(page.get_by_role("button", name="Anmelden")).to_be_visible()
        page.wait_for_load_state()  # the switch submits on change once the deferred script has run
        page.get_by_label("Sprache").select_option("en")
        expect(page.locator("html")).to_have_attribute("lang", "en")
        page.get_by_label("Username or e-mail").fill("lena")
        page.get_by_label("Password").fill("lena-liest-deutsch")
        page.get_by_role("button", name="Log in").click()
        expect(page.get_by_role("button", name="Log out")).to_be_visible()
        expect(page.locator("html")).to_have_attribute("lang", "en")

        page.wait_for_load_state()
        page.get_by_label("Language").select_option("de")
        expect(page.locator("html")).to_have_attribute("lang", "de")
        page.goto("/people")
        expect(page.get_by_role("button", name="Abmelden")).to_be_visible()
        page.wait_for_load_state()
        page.get_by_label("Sprache").select_option("en")
        expect(page.locator("html")).to_have_attribute("lang", "en")
    finally:
        context.close()

    context = browser.new_context(locale="de-DE", base_url=german_server.url)  # a new session: the
    page = context.new_page()                                                   # profile's language
    try:
        page.goto("/login")
        expect(page.locator("html")).to_have_attribute("lang", "de")
        page.get_by_label("Benutzername oder E-Mail").fill("lena")
        page.get_by_label("Passwort").fill("lena-liest-deutsch")
        page.get_by_role("button", name="Anmelden").click()
        expect(page.get_by_role("button", name="Log out")).to_be_visible()
        expect(page.locator("html")).to_have_attribute("lang", "en")
    finally:
        context.close()
