"""``GET /api/v1/search`` and the ``/search`` page: shape, pagination, filters, malformed queries, blns."""

import json
from datetime import UTC, datetime

import pytest

from tests.corpora import CORPORA
from wilma.search.outbox import flush_outbox

BLNS = CORPORA / "naughty/blns.json"


@pytest.fixture
def logged_in(auth, make_user):
    user = make_user("leser", display_name="Lea Leser")
    auth.login("leser")
    return user


def test_api_answers_items_with_ids_cursor_and_counts(client, logged_in, make_user, memory_docs):
    make_user("rmeier", display_name="Rathaus Meier")  # a person whose name matches too
    for n in range(1, 26):
        memory_docs.add(n, f"Rathaus Mitteilung {n}")
    flush_outbox()
    first = client.get("/api/v1/search", query_string={"q": "Rathaus", "limit": 10}).get_json()
    assert set(first) >= {"items", "next_cursor", "counts", "total"}
    assert first["counts"] == {"posts": 25, "people": 1} and first["total"] == 26
    item = first["items"][0]
    assert {"id", "type", "object_id", "title", "title_html", "snippet_html", "url", "created_at"} <= set(item)
    seen = [i["id"] for i in first["items"]]
    cursor = first["next_cursor"]
    while cursor:
        more = client.get("/api/v1/search", query_string={"q": "Rathaus", "limit": 10, "cursor": cursor}).get_json()
        seen += [i["id"] for i in more["items"]]
        cursor = more["next_cursor"]
    assert len(seen) == len(set(seen)) == 26


def test_api_type_and_date_filters(client, logged_in, memory_docs):
    memory_docs.add(1, "Sommerfest alt", created_at=datetime(2025, 6, 1, tzinfo=UTC))
    memory_docs.add(2, "Sommerfest neu", created_at=datetime(2026, 6, 1, tzinfo=UTC))
    flush_outbox()
    people = client.get("/api/v1/search?q=Sommerfest&type=people").get_json()
    assert people["items"] == [] and people["counts"] == {"posts": 2}
    posts = client.get("/api/v1/search?q=Sommerfest&type=post&from=2026-01-01&to=2026-12-31").get_json()
    assert [i["id"] for i in posts["items"]] == ["posts:2"]
    assert client.get("/api/v1/search?q=Sommerfest&from=gestern").status_code == 400


@pytest.mark.backend_independent
@pytest.mark.parametrize(("query", "hint"), [
    ('"unclosed', "quotation mark"),
    ("AND OR (", "AND, OR and NOT"),
    ("Rathaus AND", "AND, OR and NOT"),
    ("(Rathaus", "( is not closed"),
    ("Rathaus)", "without a matching"),
    ("", "Enter a word"),
])
def test_malformed_queries_get_a_helpful_message(client, logged_in, query, hint):
    response = client.get("/api/v1/search", query_string={"q": query})
    assert response.status_code == 400
    assert hint in response.get_json()["error"]["message"]
    page = client.get("/search", query_string={"q": query or " "})
    if query:
        assert page.status_code == 400 and hint in page.get_data(as_text=True)


@pytest.mark.backend_independent
def test_the_api_needs_a_login(client):
    assert client.get("/api/v1/search?q=x").status_code == 401


def test_every_naughty_string_is_answered_without_a_server_error(client, logged_in, memory_docs):
    memory_docs.add(1, "Ein gewöhnlicher Beitrag über Straßen, <script>alert(1)</script> und 'Zitate'")
    flush_outbox()
    strings = json.loads(BLNS.read_text(encoding="utf-8"))
    statuses = {}
    for text in strings:
        response = client.get("/api/v1/search", query_string={"q": text})
        statuses.setdefault(response.status_code, []).append(text)
        if response.status_code == 200:
            assert "<script" not in json.dumps(response.get_json())
    assert set(statuses) <= {200, 400}, {k: v[:3] for k, v in statuses.items() if k not in (200, 400)}
    assert len(statuses.get(200, [])) > len(strings) // 2


def test_results_page_tabs_snippets_and_pagination(client, logged_in, memory_docs):
    for n in range(1, 26):
        memory_docs.add(n, f"Die Baustelle an der Straße Nummer {n} <img src=x onerror=alert(1)>")
    flush_outbox()
    page = client.get("/search?q=Strasse")
    html = page.get_data(as_text=True)
    assert page.status_code == 200
    assert "<mark>Straße</mark>" in html and "<img src=x" not in html and "&lt;img src=x" in html
    assert 'aria-current="page"' in html and "Posts <span class=\"badge\">25</span>" in html
    assert "Page 1 of 2" in html and 'rel="next"' in html
    second = client.get("/search?q=Strasse&page=2").get_data(as_text=True)
    assert "Page 2 of 2" in second and second.count('class="card search-hit"') == 5
    people_tab = client.get("/search?q=Strasse&type=people").get_data(as_text=True)
    assert "Nothing found" in people_tab


@pytest.mark.backend_independent
def test_results_page_without_a_query_shows_the_form(client, logged_in):
    page = client.get("/search")
    assert page.status_code == 200 and 'id="search-q"' in page.get_data(as_text=True)
