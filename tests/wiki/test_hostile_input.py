"""Every string of the Big List of Naughty Strings as a title and a body, and the HTML5 Security
Cheatsheet's XSS vectors in bodies, old revisions and diffs: served pages stay intact and nothing in
them can run (checked by parsing the HTML, not by grepping)."""

import json

import pytest
from markupsafe import escape

from tests.corpora import CORPORA
from wilma.core.errors import ValidationError
from wilma.wiki import services
from wilma.wiki.diffing import normalise_body
from wilma.wiki.markup import normalise_title, title_key
from wilma.wiki.models import WikiPage

CORPORA = CORPORA
BLNS = json.loads((CORPORA / "naughty" / "blns.json").read_text(encoding="utf-8"))
XSS = json.loads((CORPORA / "xss" / "h5sc_vectors_resolved.json").read_text(encoding="utf-8"))


@pytest.fixture
def writer(make_user):
    return make_user("writer", admin=True)


def test_every_blns_string_as_title_and_body(writer, client, auth, find_dangers):
    created, seen = [], set()
    for text in BLNS:
        title = normalise_title(text)
        if not title or title_key(title) in seen:
            with pytest.raises(ValidationError):
                services.create_page(writer, None, text, text)
            continue
        seen.add(title_key(title))
        created.append((services.create_page(writer, None, text, text), text))
    assert len(created) > 400
    auth.login("writer")
    index = client.get("/wiki").get_data(as_text=True)  # every title, in the page tree
    assert find_dangers(index) == []
    for _page, text in created:
        assert f">{escape(normalise_title(text))}</a>" in index, text
    for page, text in created[::10]:  # the full page view, for a tenth of them
        response = client.get(f"/wiki/-/pages/{page.id}", follow_redirects=True)
        assert response.status_code == 200, text
        html = response.get_data(as_text=True)
        assert f"<h1>{escape(normalise_title(text))}</h1>" in html, text
        assert find_dangers(html) == [], text
    listed, cursor = [], None
    while True:
        answer = client.get("/api/v1/wiki/pages?limit=100" + (f"&cursor={cursor}" if cursor else "")).json
        listed += answer["items"]
        cursor = answer["next_cursor"]
        if not cursor:
            break
    assert [p["title"] for p in listed] == [normalise_title(t) for _, t in created]
    for page, text in created:  # every body: the source back unchanged, its HTML inert
        data = client.get(f"/api/v1/wiki/pages/{page.id}").json
        assert data["body"] == normalise_body(text), text
        assert find_dangers(data["html"]) == [], text


def test_xss_vectors_in_body_old_revisions_and_diffs(writer, client, auth, find_dangers):
    pages = []
    for vector in XSS:
        data = vector["data"]
        page = services.create_page(writer, None, f"Vektor {vector['id']} {data}"[:200], data)
        old = page.current_revision_id
        services.save_page(writer, page.id, data + "\n\nharmlos " + data[::-1], old)
        pages.append((page, old, vector))
    auth.login("writer")
    for n, (page, old, vector) in enumerate(pages):
        urls = [f"/wiki/-/pages/{page.id}", f"/wiki/-/pages/{page.id}/revisions/{old}",
                f"/wiki/-/pages/{page.id}/diff?from={old}"]
        if n % 10 == 0:
            urls += [f"/wiki/-/pages/{page.id}/history", f"/wiki/-/pages/{page.id}/edit"]
        for url in urls:
            response = client.get(url, follow_redirects=True)
            assert response.status_code == 200, url
            assert find_dangers(response.get_data(as_text=True)) == [], (vector["id"], url)
        api_page = client.get(f"/api/v1/wiki/pages/{page.id}").json
        api_diff = client.get(f"/api/v1/wiki/pages/{page.id}/diff?from={old}").json
        api_old = client.get(f"/api/v1/wiki/pages/{page.id}/revisions/{old}").json
        for fragment in (api_page["html"], api_diff["html"], api_old["html"],
                         *(line["html"] for line in api_diff["lines"])):
            assert find_dangers(fragment) == [], vector["id"]
        assert api_old["body"] == normalise_body(vector["data"])  # the source is kept as written


def test_xss_in_conflict_view_is_inert(writer, client, auth, find_dangers):
    page = services.create_page(writer, None, "Konflikt", "a\n")
    base = page.current_revision_id
    services.save_page(writer, page.id, XSS[0]["data"] + "\n", base)
    auth.login("writer")
    token = client.get(f"/wiki/-/pages/{page.id}/edit").get_data(as_text=True)
    import re

    csrf = re.search(r'name="csrf_token"[^>]*value="([^"]+)"', token).group(1)
    response = client.post(f"/wiki/-/pages/{page.id}/edit", data={
        "csrf_token": csrf, "base_revision_id": base, "body": XSS[5]["data"]})
    assert response.status_code == 409
    assert find_dangers(response.get_data(as_text=True)) == []
    assert db_body(page.id) == normalise_body(XSS[0]["data"])


def db_body(page_id):
    from wilma.extensions import db

    db.session.expire_all()
    return db.session.get(WikiPage, page_id).current_revision.body
