"""No XSS vector of the corpus runs anywhere: written into every place people write, shown in every
place it appears, in a real Chromium whose dialogs are hooked and whose DOM is checked after each load.

The bulk is written through the app's services (``tests.browser.hostile``) into the instance of a
server of its own; one vector per place also goes through the real form in the browser, and the chat
vectors also arrive live. Reading is done by ``vera``, an administrator and the groups' owner, in a
context where the page's CSP is bypassed: the escaping and the sanitizer must hold on their own.

Pages that show one object each (a profile, a vector's own group, a wiki page named by a vector, a
search for a vector) are visited for a sample of the vectors (``SAMPLE``): the same template shows
the same field for all of them, and the lists that show every vector (directory, feed, tree, search
results, notifications) are visited in full.
"""

import pytest
from playwright.sync_api import expect

from tests.browser import hostile
from tests.browser.site import Site
from tests.browser.xss import INJECTED, Watch

pytestmark = pytest.mark.browser

VECTORS = hostile.corpus()
SAMPLE = list(range(0, len(VECTORS), len(VECTORS) // 4 + 1))
# short one-line vectors that fit every field (phone and room take 80 characters)
SHORT = [v for v in VECTORS if len(v) <= 80 and "\n" not in v and "onerror" in v]
FORM_VECTOR = SHORT[0]
FILE_VECTOR = next(v for v in SHORT if "/" not in v)  # a file name keeps what follows the last slash


# The composer's socket event with its acknowledgement, four sends in flight at a time (a burst of 149
# parallel sends would only measure SQLite's write lock on a busy machine).
SEND_ALL = """async (vectors) => {
  const chat = window.wilmaChat;
  const send = (i) => chat.socket.timeout(30000).emitWithAck(
    "chat:send", {channel_id: chat.channelId, body: vectors[i], client_msg_id: "live-" + i});
  let next = 0;
  async function worker() {
    while (next < vectors.length) {
      const ack = await send(next++);
      if (ack.error) throw new Error(ack.error.message);
    }
  }
  await Promise.all([worker(), worker(), worker(), worker()]);
}"""


@pytest.fixture(scope="module")
def site(tmp_path_factory):
    """A server whose every place holds the whole corpus; yields ``(site, server, hostile.Hostile)``."""
    site = Site(tmp_path_factory.mktemp("xss-instance"))
    site.migrate()
    with site.serve(wait=False) as server:  # the server starts up while the content is written
        with site.request():
            written = hostile.write_everything(VECTORS)
        site.flush_search()
        server.wait()
        yield site, server, written


def login(browser, server, username) -> tuple:
    """A context of its own with the CSP bypassed and every load watched; ``(context, watch)``."""
    context = browser.new_context(locale="en-GB", bypass_csp=True, base_url=server.url,
                                  viewport={"width": 1280, "height": 900})
    watch = Watch(context.new_page())
    page = watch.page
    page.goto("/login")
    page.get_by_label("Username or e-mail").fill(username)
    page.get_by_label("Password").fill(hostile.PASSWORD)
    page.get_by_role("button", name="Log in").click()
    page.wait_for_url(lambda url: "/login" not in url)
    return context, watch


@pytest.fixture(scope="module")
def vera(browser, site):
    """Vera's watched page (one login for all the reading of this module)."""
    context, watch = login(browser, site[1], "vera")
    yield watch
    context.close()


def visit_all(watch: Watch, url: str, items: str, keep: str = "", limit: int = 20) -> int:
    """Visit ``url`` and the pages its ``rel=next`` or "older" links lead to; answers how many
    ``items`` (a CSS selector) they showed in all."""
    shown = pages = 0
    while url and pages < limit:
        watch.visit(url)
        pages += 1
        shown += watch.page.locator(items).count()
        following = watch.page.locator("a[rel=next], a[href*='before=']")
        url = following.first.get_attribute("href") + keep if following.count() else None
    return shown


def test_the_detector_sees_an_injection(vera):
    """The DOM check and the dialog hook report what a successful injection would leave and do."""
    vera.visit("/feed")
    for snippet in INJECTED:
        vera.page.evaluate("html => document.querySelector('.post-body').insertAdjacentHTML('beforeend', html)",
                           snippet)
    found = vera.check("self-test")
    for expected in ["event handler onerror", "script URL in href", "script URL in xlink:href",
                     "foreign script", "embedded document"]:
        assert any(expected in item for item in found), (expected, found)
    expect(vera.page.locator(".post-body img[onerror]")).to_have_count(1)
    vera.page.wait_for_function("() => document.querySelector('.post-body img[onerror]').complete")
    vera.visit("/feed", expect_status=200)  # the report of the handler has arrived once the next page loads
    assert any(item.startswith("ran alert: injected") for item in vera.problems), vera.problems
    vera.problems.clear()


def test_stored_vectors_run_nowhere(vera, site):
    _, _, h = site
    paths = [f"/posts/{h.comment_post_id}", "/groups", "/people", "/admin/users", "/admin/audit"]
    paths += [f"/groups/{gid}" for gid in h.chunk_group_ids]  # description and the newest posts
    paths += [f"/people/{uid}" for uid in h.chunk_user_ids]  # "about me" of a batch
    paths += [f"/chat/{cid}" for cid in h.channel_ids]  # chat history with attachments
    first, second = h.wiki_revisions
    page = f"/wiki/-/pages/{h.wiki_page_id}"
    paths += [f"/groups/{h.chunk_group_ids[0]}/wiki", page, f"{page}/revisions/{first}",
              f"{page}/diff?from={first}&to={second}", f"{page}/history"]
    for i in SAMPLE:  # one object per page: a sample (see the module's docstring)
        paths += [f"/people/{h.puppet_ids[i]}", f"/groups/{h.vector_group_ids[i]}",
                  f"/wiki/-/pages/{h.title_page_ids[i]}", f"/wiki/-/pages/{h.title_page_ids[i]}/history"]
    for path in paths:
        vera.visit(path)
    shown = {"posts": visit_all(vera, "/feed?limit=50", ".post-body", keep="&limit=50"),  # files, authors
             "notifications": visit_all(vera, "/notifications", ".notification"),  # comments, join requests
             "search hits": visit_all(vera, f"/search?q={hostile.MARKER}&type=posts", ".search-hit")}
    people = "p0* OR p1*"  # people are found by name, username and job title: the puppets' usernames
    for type_name in ["comments", "wiki", "people", "groups", "chat"]:
        vera.visit(f"/search?q={people if type_name == 'people' else hostile.MARKER}&type={type_name}")
        shown[type_name] = vera.page.locator(".search-hit").count()
    for word in ["alert", "javascript", "onerror", "script"]:  # highlights inside the vectors
        vera.visit(f"/search?q={word}")
        shown[word] = vera.page.locator(".search-hit mark").count()
    assert vera.problems == []
    n = len(VECTORS)  # and the pages did show what was written
    assert shown["posts"] >= n and shown["notifications"] >= 2 * n and shown["search hits"] == n, shown
    assert all(shown[t] == 20 for t in ["comments", "wiki", "people", "groups", "chat"]), shown
    assert all(shown[w] > 0 for w in ["alert", "javascript", "onerror", "script"]), shown


def test_vectors_as_search_queries(vera):
    from urllib.parse import quote

    for i in SAMPLE:
        vera.visit(f"/search?q={quote(VECTORS[i])}", expect_status=None)  # a malformed query answers 400
    page = vera.page
    page.get_by_label("Search posts, comments, wiki pages, people, groups and chats").fill(FORM_VECTOR)
    page.get_by_label("Search posts, comments, wiki pages, people, groups and chats").press("Enter")
    page.wait_for_load_state()
    vera.check()
    expect(page.locator("#search-q")).to_have_value(FORM_VECTOR)
    assert vera.problems == []


def test_chat_vectors_arrive_live(browser, site, vera):
    """Vera has a batch's chat open while Mallory sends every vector (with the composer's own code,
    and one typed into the composer); each is rendered by the script as it arrives."""
    _, server, h = site
    channel = h.channel_ids[1]
    vera.visit(f"/chat/{channel}")
    vera.page.wait_for_function("() => window.wilmaChat && window.wilmaChat.socket.connected")
    shown = vera.page.locator("#chat-messages .chat-message[data-id]")
    before = shown.count()
    context, mallory = login(browser, server, "mallory")
    try:
        mallory.visit(f"/chat/{channel}")
        mallory.page.wait_for_function("() => window.wilmaChat && window.wilmaChat.socket.connected")
        message = mallory.page.get_by_label("Message")
        message.fill(FORM_VECTOR)
        message.press("Enter")
        mallory.page.evaluate(SEND_ALL, VECTORS)
        expect(shown).to_have_count(before + len(VECTORS) + 1, timeout=60_000)
        vera.check("live chat")
        mallory.check("live chat (sender)")
        vera.visit(f"/chat/{channel}")  # and as history, after a reload
        assert mallory.problems == []
    finally:
        context.close()
    assert vera.problems == []


def test_vectors_through_the_forms(browser, site, vera):
    """One vector typed into each form (profile, group, post with a file, comment, wiki page and its
    edit), then read by vera where each appears."""
    site_, server, h = site
    context, mallory = login(browser, server, "mallory")
    page, v = mallory.page, FORM_VECTOR
    try:
        mallory.visit("/settings/profile")
        for label in ["Name", "Job title", "Phone", "Room", "About me (Markdown)"]:
            page.get_by_label(label, exact=True).fill(v)
        page.get_by_role("button", name="Save profile").click()
        expect(page.get_by_text("Your profile has been saved.")).to_be_visible()

        mallory.visit("/groups/new")
        page.get_by_label("Name", exact=True).fill(v)
        page.get_by_label("Description (Markdown)").fill(v)
        page.get_by_label("Category").fill(v)
        page.get_by_role("button", name="Create group").click()
        expect(page.get_by_role("heading", level=1)).to_have_text(v)
        group_url = page.url
        mallory.check()

        mallory.visit(f"/groups/{h.chunk_group_ids[0]}")
        page.get_by_label("Write a post").fill(v)
        page.locator("summary", has_text="Files and poll").click()
        page.get_by_label("Files").set_input_files(
            {"name": FILE_VECTOR, "mimeType": "text/plain", "buffer": b"hello\n"})
        page.get_by_role("button", name="Publish").click()
        expect(page.locator(".post-file").first).to_have_text(FILE_VECTOR)
        mallory.check()

        mallory.visit(f"/posts/{h.comment_post_id}")
        page.get_by_label("Write a comment").fill(v)
        page.get_by_role("button", name="Comment", exact=True).click()
        mallory.check()

        mallory.visit(f"/groups/{h.chunk_group_ids[0]}/wiki/-/new")
        page.get_by_label("Title", exact=True).fill(v)
        page.get_by_label("Text (Markdown; link pages with [[Page title]])").fill(v)
        page.get_by_role("button", name="Create page").click()
        expect(page.get_by_role("heading", level=1)).to_have_text(v)
        wiki_url = page.url
        page.get_by_role("link", name="Edit", exact=True).click()
        page.get_by_label("Text (Markdown; link pages with [[Page title]])").fill(f"{v}\n\n{v} 2")
        page.get_by_label("Summary of your change (optional)").fill(v)
        page.get_by_role("button", name="Save", exact=True).click()
        mallory.check()
        assert mallory.problems == []
    finally:
        context.close()

    site_.flush_search()
    for url in [group_url, f"/groups/{h.chunk_group_ids[0]}", f"/posts/{h.comment_post_id}", wiki_url,
                "/notifications", "/people", f"/people/{h.mallory_id}",
                f"/search?q={hostile.MARKER}+OR+onerror&type=groups"]:
        vera.visit(url)
    page = vera.page
    page.goto(wiki_url)
    page.get_by_role("link", name="History", exact=True).click()
    page.get_by_role("link", name="changes", exact=True).first.click()
    vera.check()
    expect(page.locator(".wiki-diff ins").filter(has_text=f"{v} 2")).to_have_count(1)
    assert vera.problems == []
