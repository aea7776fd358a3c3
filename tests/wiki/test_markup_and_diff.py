"""Wiki Markdown (links, missing links, headings and contents), diffs (line and word level, escaped),
the three-way merge, and the JSON API's shapes."""

from wilma.wiki import services
from wilma.wiki.diffing import diff_html, diff_lines, merge_three_way
from wilma.wiki.markup import render_wiki, slugify


def test_wiki_links_labels_code_and_missing():
    result = render_wiki("[[Urlaubsantrag]], [[Homeoffice|hier]], `[[Code]]`, [[Fehlt]]", None,
                         lambda key: "/wiki/urlaubsantrag" if key == "urlaubsantrag" else None)
    assert '<a rel="nofollow noopener" href="/wiki/urlaubsantrag" class="wiki-link">Urlaubsantrag</a>' in result.html
    assert 'class="wiki-missing"' in result.html and ">hier</a>" in result.html
    assert "/wiki/-/new?title=Homeoffice" in result.html
    assert "<code>[[Code]]</code>" in result.html
    assert set(result.links) == {"urlaubsantrag", "homeoffice", "fehlt"}


def test_headings_get_ids_and_contents():
    result = render_wiki("# Antrag stellen\n\n## Fristen\n\n## Fristen\n\ntext", None)
    assert '<h2 id="section-antrag-stellen">' in result.html  # one level down: the page title is the h1
    assert '<h3 id="section-fristen-2">' in result.html
    assert result.toc == [(1, "section-antrag-stellen", "Antrag stellen"), (2, "section-fristen", "Fristen"),
                          (2, "section-fristen-2", "Fristen")]


def test_slugs():
    assert slugify("Häufige Fragen") == "haeufige-fragen"
    assert slugify("Straße & Grün!") == "strasse-gruen"
    assert slugify("💩") == "page"


def test_word_level_diff_is_escaped():
    rows = diff_lines("Der <b>alte</b> Satz\nbleibt\n", "Der <b>neue</b> Satz\nbleibt\n")
    kinds = [r.kind for r in rows]
    assert kinds == ["delete", "insert", "equal"]
    assert str(rows[0].html) == "Der &lt;b&gt;<del>alte</del>&lt;/b&gt; Satz"
    assert str(rows[1].html) == "Der &lt;b&gt;<ins>neue</ins>&lt;/b&gt; Satz"
    assert "<b>" not in str(diff_html("<b>x</b>", "<script>y</script>"))


def test_long_unchanged_runs_are_folded():
    old = "".join(f"line {i}\n" for i in range(40))
    new = old.replace("line 20\n", "line twenty\n")
    rows = diff_lines(old, new)
    assert [r.kind for r in rows].count("skip") == 2
    assert len(rows) < 15


def test_merge_three_way():
    base = "a\nb\nc\nd\ne\n"
    assert merge_three_way(base, "A\nb\nc\nd\ne\n", "a\nb\nc\nd\nE\n") == "A\nb\nc\nd\nE\n"
    assert merge_three_way(base, "a\nX\nc\nd\ne\n", "a\nY\nc\nd\ne\n") is None


def test_page_view_shows_contents_breadcrumbs_and_backlinks(make_user, make_page, client, auth):
    admin = make_user("redaktion", admin=True)
    top = make_page(admin, "Personal", "Start")
    page = make_page(admin, "Urlaubsantrag", "# Antrag\n\n## Fristen\n\ntext", parent=top)
    make_page(admin, "FAQ", "Siehe [[urlaubsantrag]]")
    auth.login("redaktion")
    html = client.get("/wiki/personal/urlaubsantrag").get_data(as_text=True)
    assert 'href="#section-fristen"' in html
    crumbs = html.split('class="breadcrumbs"')[1].split("</nav>")[0]
    assert 'href="/wiki/personal">Personal</a>' in crumbs
    assert 'href="/wiki/faq">FAQ</a>' in html  # "what links here"
    assert page.path == "personal/urlaubsantrag"


def test_diff_page_between_any_two_revisions(make_user, make_page, client, auth):
    admin = make_user("redaktion", admin=True)
    page = make_page(admin, "Regeln", "eins\nzwei\n")
    first = page.current_revision_id
    services.save_page(admin, page.id, "eins\ndrei\n", first)
    services.save_page(admin, page.id, "eins\ndrei\nvier\n", page.current_revision_id)
    auth.login("redaktion")
    html = client.get(f"/wiki/-/pages/{page.id}/diff?from={first}&to={page.current_revision_id}").get_data(as_text=True)
    assert "<del>zwei</del>" in html and "<ins>drei</ins>" in html and "<ins>vier</ins>" in html
    data = client.get(f"/api/v1/wiki/pages/{page.id}/diff?from={first}").json
    assert data["from"] == first and data["to"] == page.current_revision_id
    assert [line["kind"] for line in data["lines"]] == ["equal", "delete", "insert", "insert"]
    history = client.get(f"/api/v1/wiki/pages/{page.id}/revisions").json["items"]
    assert [r["number"] for r in history] == [3, 2, 1]


def test_api_create_list_and_errors(make_user, make_group, client, auth):
    member = make_user("member")
    make_user("outsider")
    group = make_group("Team", visibility="private", members={member: "member"})
    auth.login("member")
    created = auth.api("POST", f"/api/v1/groups/{group.id}/wiki/pages", {"title": "Protokoll", "body": "# Hi"})
    assert created.status_code == 201
    assert created.json["html"] == '<h2 id="section-hi">Hi</h2>\n'
    assert created.json["url"] == f"/groups/{group.id}/wiki/protokoll"
    child = auth.api("POST", f"/api/v1/groups/{group.id}/wiki/pages",
                     {"title": "Unterseite", "body": "", "parent_id": created.json["id"]})
    assert child.json["path"] == "protokoll/unterseite"
    same = auth.api("POST", f"/api/v1/groups/{group.id}/wiki/pages", {"title": "protokoll", "body": ""})
    assert same.status_code == 400 and same.json["error"]["field"] == "title"
    assert auth.api("POST", "/api/v1/wiki/pages", {"title": "Stadtweit", "body": ""}).status_code == 403
    listed = client.get(f"/api/v1/groups/{group.id}/wiki/pages").json["items"]
    assert [p["title"] for p in listed] == ["Protokoll", "Unterseite"]
    bad = auth.api("PUT", f"/api/v1/wiki/pages/{created.json['id']}", {"body": "x"})
    assert bad.status_code == 400 and bad.json["error"]["field"] == "base_revision_id"
    auth.logout()
    assert client.get(f"/api/v1/groups/{group.id}/wiki/pages").status_code == 401
    auth.login("outsider")
    assert client.get(f"/api/v1/groups/{group.id}/wiki/pages").status_code == 403


def test_demo_pages_link_each_other(app, client, auth):
    from wilma.demo import DEMO_PASSWORD, load_demo

    load_demo(echo=lambda *_: None)
    auth.login("anna", DEMO_PASSWORD)
    faq = client.get("/wiki/haeufige-fragen").get_data(as_text=True)
    assert 'href="/wiki/haeufige-fragen/urlaubsantrag" class="wiki-link"' in faq
    assert ">Arbeiten im Homeoffice</a>" in faq
    assert 'class="wiki-missing"' in faq  # the IT-Service-Portal is still to be written
    history = client.get("/api/v1/wiki/pages").json["items"]
    assert {p["title"] for p in history} >= {"Häufige Fragen", "Urlaubsantrag", "Homeoffice"}


def test_unknown_address_offers_writers_to_create_it(make_user, make_group, client, auth):
    writer = make_user("writer", admin=True)
    make_user("reader")
    services.create_page(writer, None, "Start", "x")
    auth.login("writer")
    response = client.get("/wiki/dienst-reisen")
    assert response.status_code == 404
    assert "/wiki/-/new?title=Dienst+reisen" in response.get_data(as_text=True)
    index = client.get("/wiki").get_data(as_text=True)
    assert "Recent changes" in index and ">Start</a>" in index
    auth.logout()
    auth.login("reader")
    response = client.get("/wiki/dienst-reisen")
    assert response.status_code == 404 and "/wiki/-/new" not in response.get_data(as_text=True)


def test_wiki_speaks_german(make_user, client, auth):
    from wilma.core.database import commit

    person = make_user("greta")
    person.locale = "de"
    commit()
    auth.login("greta")
    html = client.get("/wiki").get_data(as_text=True)
    assert "Stadtweites Wiki" in html and "Dieses Wiki hat noch keine Seiten." in html


def test_nesting_is_limited_by_the_path_length(make_user):
    import pytest

    from wilma.core.errors import ValidationError

    admin = make_user("redaktion", admin=True)
    parent = None
    with pytest.raises(ValidationError):
        for depth in range(30):
            parent = services.create_page(admin, None, f"{depth} " + "x" * 70, "",
                                          parent_id=parent.id if parent else None)
    assert len(parent.path) <= 1000


def test_page_view_query_count_does_not_grow_with_links(make_user, client, auth):
    from sqlalchemy import event

    from wilma.extensions import db

    admin = make_user("redaktion", admin=True)
    for i in range(40):
        services.create_page(admin, None, f"Ziel {i}", "x")
    few = services.create_page(admin, None, "Wenige", " ".join(f"[[Ziel {i}]] [[Fehlt {i}]]" for i in range(3)))
    many = services.create_page(admin, None, "Viele", " ".join(f"[[Ziel {i}]] [[Fehlt {i}]]" for i in range(40)))
    few_path, many_path = few.path, many.path
    auth.login("redaktion")
    counted: list[int] = []

    def count(*_args):
        counted.append(1)

    def queries(path):
        client.get(f"/wiki/{path}")  # warm up (first-request work is not the point here)
        counted.clear()
        event.listen(db.engine, "before_cursor_execute", count)
        try:
            html = client.get(f"/wiki/{path}").get_data(as_text=True)
        finally:
            event.remove(db.engine, "before_cursor_execute", count)
        return len(counted), html

    few_queries, _ = queries(few_path)
    many_queries, html = queries(many_path)
    assert html.count('class="wiki-missing"') == 40 and html.count('class="wiki-link"') == 40
    assert many_queries == few_queries


def test_demo_writes_into_the_demo_groups_wikis(make_user, make_group, client, auth):
    from wilma.wiki import demo

    people = {name: make_user(name, admin=(name == "admin")) for name in ("admin", "anna", "dora", "sophie")}
    group = make_group("Intranet-Redaktion", members={people["anna"]: "owner", people["dora"]: "moderator"})
    demo.load(people=people, echo=lambda *_: None)
    auth.login("dora")
    html = client.get(f"/groups/{group.id}/wiki/redaktionsleitfaden").get_data(as_text=True)
    assert "Redaktionsleitfaden" in html and 'class="wiki-missing"' in html  # [[Schreibregeln]]
    history = client.get(f"/groups/{group.id}/wiki").get_data(as_text=True)
    assert "Bilder ergänzt" in history  # the second revision, in recent changes


def test_rendered_once_at_save_and_again_only_when_links_change(make_user, client, auth, app):
    from wilma.core.hookspecs import hookimpl

    calls = []

    def counting_filter(html):
        calls.append(1)
        return html

    class Plugin:
        @hookimpl
        def wilma_render_filters(self):
            return [counting_filter]

    app.extensions["wilma_plugins"].manager.register(Plugin())
    admin = make_user("redaktion", admin=True)
    services.create_page(admin, None, "Start", "# Oben\n\n## Mitte\n\nSiehe [[Später]]")
    saved = len(calls)
    auth.login("redaktion")
    for _ in range(3):
        html = client.get("/wiki/start").get_data(as_text=True)
    assert len(calls) == saved  # served from the stored HTML
    assert 'class="wiki-missing"' in html and 'href="#section-oben"' in html  # contents still shown
    services.create_page(admin, None, "Später", "da")
    calls.clear()
    html = client.get("/wiki/start").get_data(as_text=True)
    assert 'href="/wiki/spaeter" class="wiki-link"' in html and len(calls) == 1  # the link changed
