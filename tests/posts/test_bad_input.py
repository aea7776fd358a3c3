"""Bad input: the naughty strings, XSS vectors and sanitizer pairs through posts and comments.

Every string must come back without a 500; no stored or served HTML may contain a script element, an
event-handler attribute or a javascript: URL (checked on the parsed tree, not by string matching).
"""

import json

import pytest

from tests.corpora import CORPORA
from tests.posts.helpers import active_content, active_elements, user_html_blocks
from wilma.core.hookspecs import hookimpl
from wilma.extensions import db
from wilma.posts.models import Comment, Post

CORPORA = CORPORA
MARKDOWN_VECTORS = [
    "[x](javascript:alert(1))", "[x](JaVaScRiPt:alert(1))", "[x](&#106;avascript:alert(1))",
    "[x](java\tscript:alert(1))", "![x](javascript:alert(1))", "<javascript:alert(1)>",
    "[x](data:text/html;base64,PHNjcmlwdD5hbGVydCgxKTwvc2NyaXB0Pg==)", "[x](vbscript:msgbox(1))",
    '[x](https://ok.example "title" onmouseover="alert(1)")', "![a](https://evil.example/track.png)",
    "<script>alert(1)</script>", "<img src=x onerror=alert(1)>", "`<script>`", "[<script>](/x)",
]


def blns() -> list[str]:
    return json.loads((CORPORA / "naughty/blns.json").read_text())


def xss_vectors() -> list[str]:
    return [v["data"] for v in json.loads((CORPORA / "xss/h5sc_vectors_resolved.json").read_text())]


def sanitizer_inputs() -> list[str]:
    items = [t["input"] for t in json.loads((CORPORA / "sanitizer/html5lib_sanitizer_tests1.json").read_text())]
    for path in sorted((CORPORA / "sanitizer").glob("bleach_data_*.test")):
        items.append(path.read_text().split("\n--\n")[0])
    return items


@pytest.fixture
def writer(api, make_user, make_group):
    anna = make_user("anna")
    group = make_group("Naughty", "public", owner=anna)
    api.login("anna")
    return api, group


def test_every_naughty_string_round_trips_through_posts_and_comments(writer):
    api, group = writer
    host = api("POST", f"/api/v1/groups/{group.id}/posts", {"body": "comments go here"}).get_json()
    failures, sent = [], {}
    for text in blns():
        post = api("POST", f"/api/v1/groups/{group.id}/posts", {"body": text})
        comment = api("POST", f"/api/v1/posts/{host['id']}/comments", {"body": text})
        for kind, response in (("post", post), ("comment", comment)):
            if response.status_code == 400 and (not text.strip() or "\x00" in text):
                assert response.get_json()["error"]["message"]
                continue  # empty text and NUL characters are refused with a message
            if response.status_code != 201:
                failures.append((kind, text, response.status_code))
                continue
            item = response.get_json()
            if item["body"] != text or active_content(item["html"]):
                failures.append((kind, text, "changed or unsafe"))
        if post.status_code == 201:
            sent[post.get_json()["id"]] = text
    assert failures == []
    read_back, cursor = {}, ""
    while cursor is not None:
        data = api("GET", f"/api/v1/groups/{group.id}/posts?limit=100&cursor={cursor}").get_json()
        read_back.update({item["id"]: item["body"] for item in data["items"]})
        cursor = data["next_cursor"]
    assert {i: read_back.get(i) for i in sent} == sent
    assert api("GET", f"/api/v1/posts/{host['id']}/comments").status_code == 200
    assert api("GET", "/api/v1/feed?limit=100").status_code == 200
    assert api("GET", "/feed").status_code == 200


def _vectors():
    """The vectors that can be stored (empty text and NUL characters are refused with a 400)."""
    return [v for v in MARKDOWN_VECTORS + xss_vectors() + sanitizer_inputs() if v.strip() and "\x00" not in v]


def test_no_vector_yields_active_content_in_stored_or_served_html(writer, client):
    api, group = writer
    host = api("POST", f"/api/v1/groups/{group.id}/posts", {"body": "host"}).get_json()
    failures = []
    for vector in _vectors():
        post = api("POST", f"/api/v1/groups/{group.id}/posts", {"body": vector})
        comment = api("POST", f"/api/v1/posts/{host['id']}/comments", {"body": vector})
        assert post.status_code == 201 and comment.status_code == 201, vector
        stored = db.session.get(Post, post.get_json()["id"]).html
        stored_comment = db.session.get(Comment, comment.get_json()["id"]).html
        problems = active_content(stored) + active_content(stored_comment) + active_content(post.get_json()["html"])
        page = client.get(f"/posts/{post.get_json()['id']}").get_data(as_text=True)
        for block in user_html_blocks(page):
            problems += active_elements(block)
        if problems:
            failures.append((vector, problems))
    assert failures == []


class RawHtmlFilter:
    """A plugin render filter that appends raw, hostile HTML before the sanitizer runs."""

    def __init__(self):
        self.raw = ""

    @hookimpl
    def wilma_render_filters(self):
        return [lambda html: html + self.raw]


def test_the_sanitizer_cleans_what_render_filters_add(app, writer):
    api, group = writer
    plugin = RawHtmlFilter()
    app.extensions["wilma_plugins"].manager.register(plugin)
    failures = []
    try:
        for vector in xss_vectors() + sanitizer_inputs():
            plugin.raw = vector
            response = api("POST", f"/api/v1/groups/{group.id}/posts", {"body": "text"})
            assert response.status_code == 201
            problems = active_content(response.get_json()["html"])
            if problems:
                failures.append((vector, problems))
    finally:
        app.extensions["wilma_plugins"].manager.unregister(plugin)
    assert failures == []


def test_length_limits_answer_with_a_clear_message(writer):
    api, group = writer
    too_long = api("POST", f"/api/v1/groups/{group.id}/posts", {"body": "x" * 20_001})
    assert too_long.status_code == 400
    assert "20000" in too_long.get_json()["error"]["message"]
    assert api("POST", f"/api/v1/groups/{group.id}/posts", {"body": "x" * 20_000}).status_code == 201
    host = api("POST", f"/api/v1/groups/{group.id}/posts", {"body": "host"}).get_json()
    long_comment = api("POST", f"/api/v1/posts/{host['id']}/comments", {"body": "x" * 5_001})
    assert long_comment.status_code == 400
    assert "5000" in long_comment.get_json()["error"]["message"]
    assert api("POST", f"/api/v1/groups/{group.id}/posts", {"body": "   "}).status_code == 400
    assert api("POST", f"/api/v1/groups/{group.id}/posts", {"body": 42}).status_code == 400
    assert api("POST", f"/api/v1/posts/{host['id']}/comments", {"body": "x", "parent_id": "1"}).status_code == 400
