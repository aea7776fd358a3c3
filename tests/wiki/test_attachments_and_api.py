"""Attachments (images inline, everything else a download that cannot run), creating a page after the
session expired, renaming through the API, and the editors page for admins only."""

import io

from PIL import Image

from wilma.extensions import db
from wilma.wiki import services
from wilma.wiki.models import WikiAttachment, WikiPage


def _png() -> bytes:
    buffer = io.BytesIO()
    Image.new("RGB", (8, 8), "blue").save(buffer, "PNG")
    return buffer.getvalue()


def test_attachments_upload_download_and_remove(make_user, make_group, make_page, client, auth):
    member = make_user("member")
    make_user("reader")
    group = make_group("Team", members={member: "member"})
    page = make_page(member, "Pläne", "Siehe Anhang", group=group)
    auth.login("member")
    auth.post(f"/wiki/-/pages/{page.id}/attachments",
              data={"file": (io.BytesIO(_png()), "plan.png")}, content_type="multipart/form-data")
    auth.post(f"/wiki/-/pages/{page.id}/attachments",
              data={"file": (io.BytesIO(b"<script>alert(1)</script>"), "evil.html")},
              content_type="multipart/form-data")
    items = {a.filename: a for a in db.session.query(WikiAttachment)}
    assert set(items) == {"plan.png", "evil.html"}
    html = client.get(f"/groups/{group.id}/wiki/{page.path}").get_data(as_text=True)
    assert "plan.png" in html and "evil.html" in html
    image = client.get(f"/wiki/-/attachments/{items['plan.png'].id}/plan.png")
    assert image.mimetype == "image/png" and "attachment" not in image.headers.get("Content-Disposition", "")
    evil = client.get(f"/wiki/-/attachments/{items['evil.html'].id}/evil.html")
    assert evil.mimetype == "application/octet-stream"
    assert evil.headers["Content-Disposition"].startswith("attachment")
    auth.logout()
    auth.login("reader")  # a public group: readers download, but cannot remove
    assert client.get(f"/wiki/-/attachments/{items['plan.png'].id}/plan.png").status_code == 200
    assert auth.post(f"/wiki/-/attachments/{items['plan.png'].id}/delete").status_code == 403
    auth.logout()
    auth.login("member")
    assert auth.post(f"/wiki/-/attachments/{items['plan.png'].id}/delete").status_code == 302
    assert client.get(f"/wiki/-/attachments/{items['plan.png'].id}/plan.png").status_code == 404


def test_new_page_after_expired_session_keeps_title_and_text(make_user, client, auth):
    make_user("redaktion", admin=True)
    auth.login("redaktion")
    token = auth.csrf("/wiki/-/new")
    from wilma.accounts.models import UserSession

    db.session.query(UserSession).delete()
    db.session.commit()
    response = client.post("/wiki/-/new", data={"csrf_token": token, "title": "Dienstreisen",
                                                 "body": "Reisekosten & Fristen", "parent_id": "0"})
    assert response.status_code == 401
    html = response.get_data(as_text=True)
    assert 'value="Dienstreisen"' in html and "Reisekosten &amp; Fristen" in html
    assert 'data-draft-key="new-city"' in html
    assert db.session.query(WikiPage).count() == 0


def test_api_put_renames_and_moves(make_user, client, auth):
    admin = make_user("redaktion", admin=True)
    top = services.create_page(admin, None, "Personal", "")
    page = services.create_page(admin, None, "Urlaub", "Text")
    auth.login("redaktion")
    answer = auth.api("PUT", f"/api/v1/wiki/pages/{page.id}", {
        "body": "Text", "base_revision_id": page.current_revision_id, "title": "Urlaubsantrag",
        "parent_id": top.id})
    assert answer.status_code == 200
    assert answer.json["path"] == "personal/urlaubsantrag" and answer.json["title"] == "Urlaubsantrag"
    assert client.get("/wiki/urlaub").headers["Location"].endswith("/wiki/personal/urlaubsantrag")
    moved_under_itself = auth.api("PUT", f"/api/v1/wiki/pages/{top.id}", {
        "body": "", "base_revision_id": top.current_revision_id, "parent_id": page.id})
    assert moved_under_itself.status_code == 400


def test_only_admins_name_city_wiki_editors(make_user, client, auth):
    make_user("someone")
    auth.login("someone")
    assert client.get("/wiki/-/editors").status_code == 403
    assert auth.post("/wiki/-/editors", data={"username": "someone"}).status_code == 403
    assert client.get("/wiki/-/new").status_code == 403
