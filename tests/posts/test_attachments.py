"""Attachments: type from the content, thumbnails, size limit, safe serving and access control."""

import io

import pytest
from PIL import Image

from wilma.extensions import db
from wilma.posts.models import Attachment, Post

PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"
HTML = b"<!doctype html><html><body><script>alert(document.cookie)</script></body></html>"
SVG = b'<svg xmlns="http://www.w3.org/2000/svg" onload="alert(1)"><script>alert(1)</script></svg>'


def png_bytes(size=(800, 600), color="red") -> bytes:
    buffer = io.BytesIO()
    Image.new("RGB", size, color).save(buffer, "PNG")
    return buffer.getvalue()


def upload(auth, group_id, files, body="with files"):
    data = {"body": body, "group_id": str(group_id),
            "files": [(io.BytesIO(content), name) for name, content in files]}
    return auth.post("/posts", data=data, content_type="multipart/form-data")


@pytest.fixture
def team(make_user, make_group, auth):
    anna = make_user("anna")
    make_user("olaf")
    group = make_group("Team", "private", owner=anna)
    auth.login("anna")
    return group


def last_post() -> Post:
    return db.session.query(Post).order_by(Post.id.desc()).first()


def test_image_gets_a_thumbnail_and_is_served_inline(team, auth, client):
    assert upload(auth, team.id, [("photo.png", png_bytes((1600, 1200)))]).status_code == 302
    item = last_post().attachments[0]
    assert item.content_type == "image/png" and item.thumbnail_name and item.stored_name != "photo.png"
    original = client.get(f"/attachments/{item.id}")
    assert original.status_code == 200
    assert original.headers["Content-Type"] == "image/png"
    assert original.headers["Content-Disposition"].startswith("inline")
    assert original.headers["X-Content-Type-Options"] == "nosniff"
    thumb = client.get(f"/attachments/{item.id}/thumbnail")
    assert max(Image.open(io.BytesIO(thumb.data)).size) <= 640
    page = client.get(f"/posts/{item.post_id}").get_data(as_text=True)
    assert f"/attachments/{item.id}/thumbnail" in page


def test_html_renamed_png_is_refused_with_a_message(team, auth, client):
    response = upload(auth, team.id, [("cute-cat.png", HTML)], body="cat")
    assert response.status_code == 302
    assert db.session.query(Attachment).count() == 0
    assert last_post() is None
    page = client.get(response.headers["Location"]).get_data(as_text=True)
    assert "is not a PNG, JPEG, GIF or WebP image" in page


@pytest.mark.parametrize("name, content", [("page.html", HTML), ("notes.txt", HTML), ("drawing.txt", SVG),
                                           ("report.pdf.html", HTML)])
def test_active_documents_are_only_ever_downloads(team, auth, client, name, content):
    upload(auth, team.id, [(name, content)])
    item = last_post().attachments[0]
    response = client.get(f"/attachments/{item.id}")
    assert response.status_code == 200
    assert response.headers["Content-Type"] == "application/octet-stream"
    assert response.headers["Content-Disposition"].startswith("attachment")
    assert response.headers["X-Content-Type-Options"] == "nosniff"
    assert "sandbox" in response.headers["Content-Security-Policy"]


def test_svg_is_never_an_inline_image(team, auth):
    upload(auth, team.id, [("logo.svg", SVG)])
    assert db.session.query(Attachment).count() == 0


def test_pdf_type_comes_from_the_content(team, auth, client):
    upload(auth, team.id, [("Protokoll März.bin", PDF)])
    item = last_post().attachments[0]
    response = client.get(f"/attachments/{item.id}")
    assert response.headers["Content-Type"] == "application/pdf"
    assert response.headers["Content-Disposition"].startswith("attachment")
    assert "Protokoll" in response.headers["Content-Disposition"]


def test_files_follow_the_visibility_of_their_post(team, auth, client):
    upload(auth, team.id, [("photo.png", png_bytes()), ("a.pdf", PDF)])
    ids = [a.id for a in last_post().attachments]
    auth.logout()
    assert client.get(f"/attachments/{ids[0]}").status_code == 302  # to the login page
    auth.login("olaf")
    for attachment_id in ids:
        assert client.get(f"/attachments/{attachment_id}").status_code == 403
        assert client.get(f"/attachments/{attachment_id}/thumbnail").status_code == 403
    team.visibility = "secret"
    db.session.commit()
    assert client.get(f"/attachments/{ids[0]}").status_code == 404


def test_unposted_upload_is_visible_to_its_uploader_only(app, make_user, client, auth):
    from wilma.posts.attachments import store_upload

    anna, olaf = make_user("anna"), make_user("olaf")
    with app.test_request_context("/"):
        item = store_upload(anna, io.BytesIO(PDF), "draft.pdf")
    auth.login("olaf")
    assert client.get(f"/attachments/{item.id}").status_code == 404
    assert olaf.id != anna.id


@pytest.mark.parametrize("app_config", [{"WILMA_MAX_UPLOAD_MB": 1}])
def test_upload_size_limit_answers_with_a_message(team, auth, client):
    big = b"%PDF-1.4\n" + b"0" * (1024 * 1024 + 10)
    response = upload(auth, team.id, [("big.pdf", big)])
    assert response.status_code == 302
    page = client.get(response.headers["Location"]).get_data(as_text=True)
    assert "larger than 1 MB" in page
    assert db.session.query(Attachment).count() == 0


def test_image_with_too_many_pixels_is_refused(team, auth, client):
    buffer = io.BytesIO()
    Image.new("1", (9000, 5000)).save(buffer, "PNG")
    response = upload(auth, team.id, [("huge.png", buffer.getvalue())])
    page = client.get(response.headers["Location"]).get_data(as_text=True)
    assert "too many pixels" in page
    assert db.session.query(Attachment).count() == 0


def test_api_upload_then_post_with_attachment_ids(api, make_user, make_group, client):
    anna = make_user("anna")
    make_user("olaf")
    group = make_group("Team", "private", owner=anna)
    api.login("anna")
    uploaded = api("POST", "/api/v1/attachments", data={"file": (io.BytesIO(png_bytes()), "map.png")},
                   content_type="multipart/form-data")
    assert uploaded.status_code == 201
    item = uploaded.get_json()
    assert item["content_type"] == "image/png" and item["thumbnail_url"]
    post = api("POST", f"/api/v1/groups/{group.id}/posts", {"body": "map", "attachment_ids": [item["id"]]})
    assert post.get_json()["attachments"][0]["id"] == item["id"]
    reuse = api("POST", f"/api/v1/groups/{group.id}/posts", {"body": "again", "attachment_ids": [item["id"]]})
    assert reuse.status_code == 400
    api.login("olaf")
    assert client.get(item["url"]).status_code == 403
