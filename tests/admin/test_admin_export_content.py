"""The data download holds what a person wrote in every feature, and their files, but nobody else's text."""

import io
import json
import zipfile

from wilma.chat import messages as chat_messages
from wilma.chat import services as chat
from wilma.posts import services as posts
from wilma.posts.attachments import store_upload
from wilma.wiki import services as wiki

PNG = (b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR\x00\x00\x00\x01\x00\x00\x00\x01\x08\x02\x00\x00\x00\x90wS\xde"
       b"\x00\x00\x00\x0cIDATx\x9cc\xf8\xcf\xc0\x00\x00\x03\x01\x01\x00\xc9\xfe\x92\xef\x00\x00\x00\x00IEND"
       b"\xaeB`\x82")


def _download(auth) -> tuple[dict, zipfile.ZipFile]:
    response = auth.post("/settings/export")
    assert response.status_code == 200
    archive = zipfile.ZipFile(io.BytesIO(response.data))
    return json.loads(archive.read("wilma-data.json")), archive


def test_export_holds_posts_comments_wiki_chat_and_files(app, client, auth, make_user, make_group):
    mia, bert = make_user("mia"), make_user("bert")
    group = make_group("Radlgruppe", members={mia: "owner", bert: "member"})
    with app.test_request_context():
        upload = store_upload(mia, io.BytesIO(PNG), "plan.png")
        post = posts.create_post(mia, body="Mein **Beitrag**", group_id=group.id, attachment_ids=[upload.id])
        gone = posts.create_post(mia, body="Gelöschter Beitrag", group_id=group.id)
        posts.delete_post(mia, gone.id)
        posts.add_comment(bert, post.id, body="Bert's comment, not Mia's data")
        posts.add_comment(mia, post.id, body="Mias Antwort")
        posts.like_post(bert, post.id)
        page = wiki.create_page(mia, group.id, "Radwege", "Erste Fassung")
        channel = chat.group_channel(group.id)
        chat_messages.send_message(mia, channel.id, "Servus aus dem Chat")
        chat_messages.send_message(bert, channel.id, "Bert's private words")

    auth.login("mia")
    data, archive = _download(auth)
    assert [p["body"] for p in data["posts"]["posts"]] == ["Mein **Beitrag**", "Gelöschter Beitrag"]
    assert [p["deleted"] for p in data["posts"]["posts"]] == [False, True]
    assert [c["body"] for c in data["posts"]["comments"]] == ["Mias Antwort"]
    assert data["posts"]["attachments"][0]["file_name"] == "plan.png"
    assert [(r["page_id"], r["body"]) for r in data["wiki"]["revisions"]] == [(page.id, "Erste Fassung\n")]
    assert [m["body"] for m in data["chat"]["messages"]] == ["Servus aus dem Chat"]
    assert {c["group_id"] for c in data["chat"]["channels"]} == {group.id}
    kinds = [n["kind"] for n in data["notifications"]["received"]]
    assert "comment" in kinds and "like" in kinds
    text = json.dumps(data, ensure_ascii=False)
    assert "Bert's private words" not in text  # the notifications she received quote Bert's comment, no more
    assert archive.read(f"files/posts/{upload.id}-plan.png") == PNG
