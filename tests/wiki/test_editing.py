"""Saving, conflicts (merge and refusal, pages and API), nothing lost on an expired session, rename and
move redirects, restore of old revisions, trash, watch notifications and the plugin hook."""

import re

import pytest
from sqlalchemy import select

from wilma.core.hookspecs import hookimpl
from wilma.extensions import db
from wilma.notifications.models import Notification
from wilma.wiki import services
from wilma.wiki.models import WikiPage

BASE = "Intro\n\nLine one\n\nMiddle\n\nLine three\n"


@pytest.fixture
def editors(make_user, make_group):
    anna, ben, carl = make_user("anna"), make_user("ben"), make_user("carl")
    group = make_group("Redaktion", members={anna: "owner", ben: "member", carl: "member"})
    return anna, ben, carl, group


def _edit_form(client, page_id):
    html = client.get(f"/wiki/-/pages/{page_id}/edit").get_data(as_text=True)
    token = re.search(r'name="csrf_token"[^>]*value="([^"]+)"', html).group(1)
    base = re.search(r'name="base_revision_id"[^>]*value="(\d+)"', html) or re.search(
        r'id="base_revision_id"[^>]*value="(\d+)"', html)
    return token, base.group(1) if base else re.search(r'base_revision_id" type="hidden" value="(\d+)"', html).group(1)


def test_non_overlapping_edits_are_merged(editors, make_page, client, auth):
    anna, ben, _, group = editors
    page = make_page(anna, "Ablauf", BASE, group=group)
    auth.login("ben")
    token, base = _edit_form(client, page.id)  # Ben opens the editor at revision 1
    services.save_page(anna, page.id, BASE.replace("Line three", "Line three, by Anna"), page.current_revision_id)
    response = client.post(f"/wiki/-/pages/{page.id}/edit", data={
        "csrf_token": token, "base_revision_id": base, "body": BASE.replace("Intro", "Intro by Ben"),
        "summary": "Einleitung"})
    assert response.status_code == 302
    page = db.session.get(WikiPage, page.id)
    db.session.refresh(page)
    body = page.current_revision.body
    assert "Intro by Ben" in body and "Line three, by Anna" in body
    assert "merged with revision 2" in page.current_revision.summary
    assert "merged" in client.get(response.headers["Location"]).get_data(as_text=True)


def test_overlapping_edits_are_refused_and_both_versions_shown(editors, make_page, client, auth):
    anna, ben, _, group = editors
    page = make_page(anna, "Ablauf", BASE, group=group)
    auth.login("ben")
    token, base = _edit_form(client, page.id)
    services.save_page(anna, page.id, BASE.replace("Middle", "Middle (Anna)"), page.current_revision_id)
    mine = BASE.replace("Middle", "Middle <Ben's & better>")
    response = client.post(f"/wiki/-/pages/{page.id}/edit", data={
        "csrf_token": token, "base_revision_id": base, "body": mine})
    assert response.status_code == 409
    html = response.get_data(as_text=True)
    assert "Middle &lt;Ben&#39;s &amp; better&gt;" in html or "Middle &lt;Ben&#x27;s &amp; better&gt;" in html
    assert "Middle (Anna)" in html  # their version shown
    assert "<ins>" in html and "<del>" in html  # and the difference
    db.session.expire_all()
    assert db.session.get(WikiPage, page.id).current_revision.body == BASE.replace("Middle", "Middle (Anna)")
    # deciding: saving again (now based on Anna's revision) replaces it
    new_base = re.search(r'name="base_revision_id"[^>]*value="(\d+)"', html) or re.search(
        r'value="(\d+)"[^>]*name="base_revision_id"', html)
    token = re.search(r'name="csrf_token"[^>]*value="([^"]+)"', html).group(1)
    response = client.post(f"/wiki/-/pages/{page.id}/edit", data={
        "csrf_token": token, "base_revision_id": new_base.group(1), "body": mine})
    assert response.status_code == 302
    db.session.expire_all()
    assert "Ben's & better" in db.session.get(WikiPage, page.id).current_revision.body


def test_api_put_merges_or_answers_409(editors, make_page, client, auth):
    anna, ben, _, group = editors
    page = make_page(anna, "Ablauf", BASE, group=group)
    first = page.current_revision_id
    auth.login("ben")
    ok = auth.api("PUT", f"/api/v1/wiki/pages/{page.id}", {"body": BASE + "Tail\n", "base_revision_id": first})
    assert ok.status_code == 200 and ok.json["merged"] is False
    merged = auth.api("PUT", f"/api/v1/wiki/pages/{page.id}",
                      {"body": BASE.replace("Intro", "Intro!"), "base_revision_id": first, "summary": "x"})
    assert merged.status_code == 200 and merged.json["merged"] is True
    assert "Intro!" in merged.json["body"] and "Tail" in merged.json["body"]
    conflict = auth.api("PUT", f"/api/v1/wiki/pages/{page.id}",
                        {"body": BASE.replace("Intro", "Intro?"), "base_revision_id": first})
    assert conflict.status_code == 409
    error = conflict.json["error"]
    assert error["code"] == "conflict"
    assert error["current_revision"]["id"] == merged.json["current_revision_id"]
    assert "Intro!" in error["current_revision"]["body"]
    db.session.expire_all()
    assert "Intro?" not in db.session.get(WikiPage, page.id).current_revision.body


def test_expired_session_keeps_the_text(editors, make_page, client, auth):
    anna, ben, _, group = editors
    page = make_page(anna, "Ablauf", BASE, group=group)
    auth.login("ben")
    token, base = _edit_form(client, page.id)
    from wilma.accounts.models import UserSession

    db.session.execute(UserSession.__table__.delete())  # the server-side session expired
    db.session.commit()
    typed = "Mein langer Text <b>mit</b> Mühe geschrieben\n"
    response = client.post(f"/wiki/-/pages/{page.id}/edit", data={
        "csrf_token": token, "base_revision_id": base, "body": typed})
    assert response.status_code == 401
    html = response.get_data(as_text=True)
    assert "Mein langer Text &lt;b&gt;mit&lt;/b&gt; Mühe geschrieben" in html
    assert "Ablauf" not in html and "Line one" not in html  # nothing of the page leaks
    assert f'data-draft-key="page-{page.id}"' in html and "/login?next=" in html
    # after logging in again (new CSRF token), the same post shows the form again with the text
    auth.login("ben")
    response = client.post(f"/wiki/-/pages/{page.id}/edit", data={
        "csrf_token": token, "base_revision_id": base, "body": typed}, headers={"Origin": "http://localhost"})
    assert response.status_code == 200
    assert "Mein langer Text &lt;b&gt;mit&lt;/b&gt;" in response.get_data(as_text=True)
    # the same post from another site is refused like any stale token, and its text is not shown
    response = client.post(f"/wiki/-/pages/{page.id}/edit", data={
        "csrf_token": token, "base_revision_id": base, "body": typed}, headers={"Origin": "https://evil.example"})
    assert response.status_code == 400 and "Mein langer Text" not in response.get_data(as_text=True)
    db.session.expire_all()
    assert db.session.get(WikiPage, page.id).current_revision.body == BASE


def test_rename_and_move_keep_urls_and_links(editors, make_page, client, auth):
    anna, _, _, group = editors
    parent = make_page(anna, "Handbuch", "Oben", group=group)
    page = make_page(anna, "Urlaub", "Unten", group=group)
    child = make_page(anna, "Formulare", "Ganz unten", group=group, parent=page)
    linker = make_page(anna, "Start", "Siehe [[Urlaub]] und [[Formulare|Vordrucke]]", group=group)
    old_url, old_child_url = f"/groups/{group.id}/wiki/urlaub", f"/groups/{group.id}/wiki/urlaub/formulare"
    auth.login("anna")
    assert client.get(old_child_url).status_code == 200
    response = auth.post(f"/wiki/-/pages/{page.id}/rename", data={"title": "Urlaubsantrag", "parent_id": parent.id})
    assert response.status_code == 302
    new_url = f"/groups/{group.id}/wiki/handbuch/urlaubsantrag"
    redirect = client.get(old_url)
    assert redirect.status_code == 301 and redirect.headers["Location"].endswith(new_url)
    moved = client.get(old_child_url)
    assert moved.headers["Location"].endswith(new_url + "/formulare")
    assert child.path == "handbuch/urlaubsantrag/formulare"
    start = client.get(f"/groups/{group.id}/wiki/{linker.path}").get_data(as_text=True)
    assert f'href="{new_url}"' in start and "wiki-missing" not in start
    backlinks = client.get(f"/wiki/-/pages/{page.id}/backlinks").get_data(as_text=True)
    assert "Start" in backlinks
    page_html = client.get(new_url).get_data(as_text=True)
    crumbs = page_html.split('class="breadcrumbs"')[1].split("</nav>")[0]
    assert f'href="/groups/{group.id}/wiki/handbuch">Handbuch</a>' in crumbs


def test_missing_page_link_creates_the_page(editors, make_page, client, auth):
    anna, _, _, group = editors
    page = make_page(anna, "Start", "Bald: [[Neue Seite]]", group=group)
    auth.login("anna")
    html = client.get(f"/groups/{group.id}/wiki/{page.path}").get_data(as_text=True)
    link = re.search(r'<a[^>]*class="wiki-missing"[^>]*>', html).group(0)
    href = re.search(r'href="([^"]+)"', link).group(1).replace("&amp;", "&")
    form = client.get(href).get_data(as_text=True)
    assert 'value="Neue Seite"' in form
    auth.post(href, data={"title": "Neue Seite", "body": "Da", "parent_id": 0})
    html = client.get(f"/groups/{group.id}/wiki/{page.path}").get_data(as_text=True)
    assert "wiki-missing" not in html and f'href="/groups/{group.id}/wiki/neue-seite"' in html


def test_restore_old_revision_as_new_one(editors, make_page, client, auth):
    anna, _, _, group = editors
    page = make_page(anna, "Regeln", "Version A", group=group)
    first = page.current_revision_id
    services.save_page(anna, page.id, "Version B", first)
    auth.login("anna")
    response = auth.post(f"/wiki/-/pages/{page.id}/revisions/{first}/restore")
    assert response.status_code == 302
    db.session.expire_all()
    page = db.session.get(WikiPage, page.id)
    assert page.current_revision.number == 3 and page.current_revision.body == "Version A\n"
    history = client.get(f"/wiki/-/pages/{page.id}/history").get_data(as_text=True)
    assert "Restored revision 1" in history


def test_trash_and_restore(editors, make_page, client, auth):
    anna, ben, _, group = editors
    page = make_page(anna, "Alt", "Weg damit", group=group)
    auth.login("ben")
    assert auth.post(f"/wiki/-/pages/{page.id}/delete").status_code == 403
    auth.logout()
    auth.login("anna")
    assert auth.post(f"/wiki/-/pages/{page.id}/delete").status_code == 302
    assert client.get(f"/groups/{group.id}/wiki/alt").status_code == 404
    assert "Alt" in client.get(f"/groups/{group.id}/wiki/-/trash").get_data(as_text=True)
    assert auth.post(f"/wiki/-/pages/{page.id}/restore").status_code == 302
    assert "Weg damit" in client.get(f"/groups/{group.id}/wiki/alt").get_data(as_text=True)


def test_watchers_are_notified_and_hook_runs(editors, make_page, client, auth, app):
    anna, ben, carl, group = editors
    page = make_page(anna, "Dienstplan", "Montag", group=group)
    calls = []

    class Recorder:
        @hookimpl
        def wilma_wiki_page_saved(self, page, revision, user):
            calls.append((page.id, revision.number, user.username))

    app.extensions["wilma_plugins"].manager.register(Recorder())
    auth.login("ben")
    assert auth.post(f"/wiki/-/pages/{page.id}/watch", data={"watch": "1"}).status_code == 302
    services.save_page(anna, page.id, "Montag und Dienstag", page.current_revision_id)
    notes = list(db.session.scalars(select(Notification).where(Notification.kind == "wiki")))
    assert [(n.recipient_id, n.subject_id) for n in notes] == [(ben.id, page.id)]
    assert "Dienstplan" in notes[0].text
    assert calls == [(page.id, 2, "anna")]


def test_stale_token_on_a_page_one_may_not_edit_is_refused_cleanly(editors, make_page, make_user, client, auth):
    anna, _, _, group = editors
    page = make_page(anna, "Ablauf", BASE, group=group)
    make_user("dora")
    auth.login("dora")  # not a member of the group: may read, not edit
    response = client.post(f"/wiki/-/pages/{page.id}/edit", data={"csrf_token": "stale", "body": "x"},
                           headers={"Origin": "http://localhost"})
    assert response.status_code == 403
    db.session.expire_all()
    assert db.session.get(WikiPage, page.id).current_revision.body == BASE


def test_restoring_from_trash_when_the_title_was_taken_meanwhile(editors, make_page):
    anna, _, _, group = editors
    old = make_page(anna, "Checkliste", "alt", group=group)
    services.delete_page(anna, old.id)
    new = make_page(anna, "Checkliste", "neu", group=group)
    assert new.path == "checkliste"
    services.restore_page(anna, old.id)
    db.session.expire_all()
    old, new = db.session.get(WikiPage, old.id), db.session.get(WikiPage, new.id)
    assert (new.title, new.path) == ("Checkliste", "checkliste")
    assert old.title == "Checkliste (2)" and old.path == "checkliste-2" and old.deleted_at is None
