"""The posts routes (streams, posts, comments, likes, polls, attachments, follows) answer exactly what the
OpenAPI document says."""

import io
from datetime import timedelta

import pytest
from PIL import Image

from tests.core.openapi_checks import check, check_items


def _png() -> bytes:
    out = io.BytesIO()
    Image.new("RGB", (40, 30), (200, 30, 30)).save(out, "PNG")
    return out.getvalue()


def test_posts_comments_likes_and_polls_match_the_document(app, client, auth, make_user, bert, document):
    make_user("anna")
    auth.login("anna")
    gid = auth.api("POST", "/api/v1/groups", {"name": "Grünflächenamt"}).get_json()["id"]
    assert bert.api("POST", f"/api/v1/groups/{gid}/join").status_code == 200

    upload = client.post("/api/v1/attachments", data={"file": (io.BytesIO(_png()), "plan.png")},
                         headers={"X-CSRFToken": auth.csrf("/settings/profile")}, content_type="multipart/form-data")
    assert upload.status_code == 201
    attachment = check(document, "post", "/attachments", upload)
    assert attachment["content_type"] == "image/png" and attachment["thumbnail_url"]

    sent = {"body": "Der **Plan** für @bert <script>x</script>", "attachment_ids": [attachment["id"]],
            "poll": {"options": ["Montag", "Dienstag"], "multiple": False}}
    created = auth.api("POST", f"/api/v1/groups/{gid}/posts", sent)
    assert created.status_code == 201
    post = check(document, "post", "/groups/{id}/posts", created, sent=sent)
    assert post["body"] == sent["body"] and "<strong>Plan</strong>" in post["html"] and "<script" not in post["html"]
    assert [a["id"] for a in post["attachments"]] == [attachment["id"]] and post["poll_id"]
    pid = post["id"]

    stream = check(document, "get", "/groups/{id}/posts", client.get(f"/api/v1/groups/{gid}/posts"))
    check_items(document, "get", "/groups/{id}/posts", stream)
    feed = check(document, "get", "/feed", client.get("/api/v1/feed"))
    assert [p["id"] for p in feed["items"]] == [pid]
    check_items(document, "get", "/feed", feed)
    check(document, "get", "/posts/{id}", client.get(f"/api/v1/posts/{pid}"))
    edit = {"body": "Der _Plan_"}
    edited = check(document, "patch", "/posts/{id}", auth.api("PATCH", f"/api/v1/posts/{pid}", edit), sent=edit)
    assert edited["edited_at"] and "<em>Plan</em>" in edited["html"]

    comment = {"body": "Gut!"}
    first = check(document, "post", "/posts/{id}/comments",
                  bert.api("POST", f"/api/v1/posts/{pid}/comments", comment), sent=comment)
    reply = {"body": "Danke", "parent_id": first["id"]}
    answer = check(document, "post", "/posts/{id}/comments",
                   auth.api("POST", f"/api/v1/posts/{pid}/comments", reply), sent=reply)
    assert answer["parent_id"] == first["id"]
    comments = check(document, "get", "/posts/{id}/comments", client.get(f"/api/v1/posts/{pid}/comments"))
    assert [c["id"] for c in comments["items"]] == [first["id"], answer["id"]]
    check_items(document, "get", "/posts/{id}/comments", comments)

    liked = check(document, "post", "/posts/{id}/like", bert.api("POST", f"/api/v1/posts/{pid}/like"))
    assert liked == {"id": pid, "liked": True, "like_count": 1}
    likers = check(document, "get", "/posts/{id}/likes", client.get(f"/api/v1/posts/{pid}/likes"))
    check_items(document, "get", "/posts/{id}/likes", likers)
    unliked = check(document, "delete", "/posts/{id}/like", bert.api("DELETE", f"/api/v1/posts/{pid}/like"))
    assert unliked["liked"] is False and unliked["like_count"] == 0

    poll = check(document, "get", "/polls/{id}", client.get(f"/api/v1/polls/{post['poll_id']}"))
    assert poll["results_visible"] is False and poll["voter_count"] is None
    vote = {"option_ids": [poll["options"][0]["id"]]}
    voted = check(document, "post", "/polls/{id}/vote",
                  auth.api("POST", f"/api/v1/polls/{poll['id']}/vote", vote), sent=vote)
    assert voted["my_votes"] == vote["option_ids"] and voted["options"][0]["votes"] == 1
    two = auth.api("POST", f"/api/v1/polls/{poll['id']}/vote", {"option_ids": [o["id"] for o in poll["options"]]})
    assert two.status_code == 400
    check(document, "post", "/polls/{id}/vote", two)

    suggested = check(document, "get", "/mentions/suggest",
                      client.get(f"/api/v1/mentions/suggest?group_id={gid}&q=be"))
    assert [p["username"] for p in suggested["items"]] == ["bert"]
    check_items(document, "get", "/mentions/suggest", suggested)

    deleted = auth.api("DELETE", f"/api/v1/comments/{answer['id']}")
    assert deleted.status_code == 204
    check(document, "delete", "/comments/{id}", deleted)
    gone = auth.api("DELETE", f"/api/v1/posts/{pid}")
    assert gone.status_code == 204
    check(document, "delete", "/posts/{id}", gone)
    missing = client.get(f"/api/v1/posts/{pid}")
    assert missing.status_code == 404
    check(document, "get", "/posts/{id}", missing)


def test_profile_posts_follows_and_refusals_match_the_document(app, client, auth, make_user, bert, document):
    from wilma.core.database import commit
    from wilma.core.models import utcnow
    from wilma.extensions import db
    from wilma.posts.models import Poll

    anna = make_user("anna")
    auth.login("anna")
    sent = {"body": "Mein erster Beitrag", "poll": {"options": ["ja", "nein"]}}
    own = auth.api("POST", "/api/v1/posts", sent)
    assert own.status_code == 201
    post = check(document, "post", "/posts", own, sent=sent)
    assert post["profile_user_id"] == anna.id and post["group_id"] is None

    followed = check(document, "post", "/users/{id}/follow", bert.api("POST", f"/api/v1/users/{anna.id}/follow"))
    assert followed == {"user_id": anna.id, "following": True}
    assert [p["id"] for p in bert.client.get("/api/v1/feed").get_json()["items"]] == [post["id"]]
    stopped = bert.api("DELETE", f"/api/v1/users/{anna.id}/follow")
    assert check(document, "delete", "/users/{id}/follow", stopped)["following"] is False
    myself = auth.api("POST", f"/api/v1/users/{anna.id}/follow")
    assert myself.status_code == 409
    check(document, "post", "/users/{id}/follow", myself)

    poll = db.session.get(Poll, post["poll_id"])
    poll.closes_at = utcnow() - timedelta(minutes=1)
    commit()
    closed = auth.api("POST", f"/api/v1/polls/{poll.id}/vote", {"option_ids": [poll.options[0].id]})
    assert closed.status_code == 409
    check(document, "post", "/polls/{id}/vote", closed)

    gid = auth.api("POST", "/api/v1/groups", {"name": "Personalrat", "visibility": "private"}).get_json()["id"]
    for response, method, path, status in (
            (bert.api("POST", f"/api/v1/groups/{gid}/posts", {"body": "Hallo"}), "post", "/groups/{id}/posts", 403),
            (bert.api("GET", f"/api/v1/groups/{gid}/posts"), "get", "/groups/{id}/posts", 403),
            (bert.api("PATCH", f"/api/v1/posts/{post['id']}", {"body": "Meins"}), "patch", "/posts/{id}", 403),
            (auth.api("POST", "/api/v1/posts", {"body": " "}), "post", "/posts", 400),
            (client.get("/api/v1/feed?filter=alles"), "get", "/feed", 400),
            (client.get("/api/v1/feed?cursor=kaputt"), "get", "/feed", 400),
            (client.get("/api/v1/polls/999999"), "get", "/polls/{id}", 404),
            (app.test_client().get("/api/v1/feed"), "get", "/feed", 401)):
        assert response.status_code == status, (method, path)
        check(document, method, path, response)


@pytest.mark.parametrize("app_config", [{"WILMA_POSTS_RATE_LIMIT": "2 per minute"}])
def test_posting_too_fast_matches_the_document(app, client, auth, make_user, document):
    make_user("anna")
    auth.login("anna")
    statuses = [auth.api("POST", "/api/v1/posts", {"body": f"Beitrag {n}"}).status_code for n in range(3)]
    assert statuses == [201, 201, 429]
    check(document, "post", "/posts", auth.api("POST", "/api/v1/posts", {"body": "noch einer"}))
