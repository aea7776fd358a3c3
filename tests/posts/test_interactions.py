"""Comments and replies, likes, polls, mentions and their notifications, edits, hooks and write rates."""

from datetime import timedelta

import pytest

from tests.posts.helpers import setup_group
from wilma.core.hookspecs import hookimpl
from wilma.core.models import utcnow
from wilma.extensions import db
from wilma.notifications.models import Notification
from wilma.posts import polls, services
from wilma.posts.models import Comment


def notes(user, kind=None):
    query = db.session.query(Notification).filter(Notification.recipient_id == user.id)
    if kind:
        query = query.filter(Notification.kind == kind)
    return query.all()


def test_replies_stay_one_level_deep_and_notify(api, people, make_group):
    group, post = setup_group(make_group, people, "private")
    api.login("member")
    top = api("POST", f"/api/v1/posts/{post.id}/comments", {"body": "first"}).get_json()
    api.login("owner")
    reply = api("POST", f"/api/v1/posts/{post.id}/comments", {"body": "answer", "parent_id": top["id"]}).get_json()
    deeper = api("POST", f"/api/v1/posts/{post.id}/comments", {"body": "deeper", "parent_id": reply["id"]})
    assert reply["parent_id"] == top["id"]
    assert deeper.get_json()["parent_id"] == top["id"]
    listed = api("GET", f"/api/v1/posts/{post.id}/comments").get_json()["items"]
    assert [c["body"] for c in listed] == ["first", "answer", "deeper"]
    assert len(notes(people["member"], "reply")) == 2
    assert len(notes(people["dora"], "comment")) >= 2
    assert api("GET", f"/api/v1/posts/{post.id}").get_json()["comment_count"] == 3


def test_likes_are_counted_once_listed_and_grouped_in_one_notification(api, people, make_group):
    group, post = setup_group(make_group, people, "public")
    for name in ("member", "owner", "outsider"):
        api.login(name)
        assert api("POST", f"/api/v1/posts/{post.id}/like").get_json()["like_count"] >= 1
        api("POST", f"/api/v1/posts/{post.id}/like")  # twice counts once
    assert api("GET", f"/api/v1/posts/{post.id}").get_json()["like_count"] == 3
    likers = api("GET", f"/api/v1/posts/{post.id}/likes").get_json()["items"]
    assert {p["username"] for p in likers} == {"member", "owner", "outsider"}
    grouped = notes(people["dora"], "like")
    assert len(grouped) == 1 and grouped[0].actor_count == 3
    assert api("DELETE", f"/api/v1/posts/{post.id}/like").get_json() == {"id": post.id, "liked": False,
                                                                          "like_count": 2}


def test_mentioning_someone_who_cannot_read_the_group_notifies_no_one(people, make_group):
    group, _ = setup_group(make_group, people, "private")
    services.create_post(people["member"], body="@outsider @owner @nobody look", group_id=group.id)
    assert notes(people["outsider"]) == []
    assert len(notes(people["owner"], "mention")) == 1


def test_mention_autocomplete_names_only_readers_and_hides_secret_groups(api, people, make_group):
    private, _ = setup_group(make_group, people, "private")
    secret, _ = setup_group(make_group, people, "secret")
    public = make_group("Open", "public", owner=people["owner"])
    api.login("member")
    names = {p["username"] for p in api("GET", f"/api/v1/mentions/suggest?group_id={private.id}").get_json()["items"]}
    assert names == {"owner", "moderator", "member", "dora", "gone"}
    everyone = api("GET", f"/api/v1/mentions/suggest?group_id={public.id}&q=ou").get_json()["items"]
    assert [p["username"] for p in everyone] == ["outsider"]
    api.login("outsider")
    hidden = api("GET", f"/api/v1/mentions/suggest?group_id={secret.id}&q=")
    missing = api("GET", "/api/v1/mentions/suggest?group_id=424242&q=")
    assert hidden.status_code == missing.status_code == 404
    assert hidden.get_json() == missing.get_json()
    page_hidden = api("GET", f"/posts/mention-suggest?group_id={secret.id}&q=m")
    page_missing = api("GET", "/posts/mention-suggest?group_id=424242&q=m")
    assert page_hidden.status_code == page_missing.status_code == 404
    main = lambda r: r.get_data(as_text=True).split("<main", 1)[1].split("</main>")[0]  # noqa: E731
    assert main(page_hidden) == main(page_missing)
    assert api("GET", f"/api/v1/mentions/suggest?group_id={private.id}").status_code == 403


def test_edit_marks_the_post_as_edited_and_rerenders(api, people, make_group, client):
    group, post = setup_group(make_group, people, "public")
    api.login("dora")
    edited = api("PATCH", f"/api/v1/posts/{post.id}", {"body": "now *better*"}).get_json()
    assert edited["edited_at"] and "<em>better</em>" in edited["html"]
    assert "edited" in client.get(f"/posts/{post.id}").get_data(as_text=True)


def test_poll_results_only_for_voters_or_after_closing(api, people, make_group):
    group, post = setup_group(make_group, people, "public")
    poll_id = post.poll.id
    yes, no = (o.id for o in post.poll.options)
    api.login("member")
    before = api("GET", f"/api/v1/polls/{poll_id}").get_json()
    assert before["results_visible"] is False and before["options"][0]["votes"] is None
    after = api("POST", f"/api/v1/polls/{poll_id}/vote", {"option_ids": [yes]}).get_json()
    assert after["results_visible"] and after["options"][0]["votes"] == 1
    assert api("POST", f"/api/v1/polls/{poll_id}/vote", {"option_ids": [yes, no]}).status_code == 400
    changed = api("POST", f"/api/v1/polls/{poll_id}/vote", {"option_ids": [no]}).get_json()
    assert [o["votes"] for o in changed["options"]] == [0, 1] and changed["voter_count"] == 1
    post.poll.closes_at = utcnow() - timedelta(minutes=1)
    db.session.commit()
    api.login("outsider")
    closed = api("GET", f"/api/v1/polls/{poll_id}").get_json()
    assert closed["closed"] and closed["options"][1]["votes"] == 1
    assert api("POST", f"/api/v1/polls/{poll_id}/vote", {"option_ids": [yes]}).status_code == 409


def test_multiple_choice_poll_from_the_composer(auth, client, people, make_group):
    group = make_group("Team", "public", owner=people["owner"])
    auth.login("owner")
    auth.post("/posts", data={"body": "Lunch?", "group_id": str(group.id), "poll_options": "Pizza\nSushi\n\nSalad",
                              "poll_multiple": "1"})
    comment_free = db.session.query(Comment).count()
    from wilma.posts.models import Poll

    poll = db.session.query(Poll).one()
    assert poll.multiple and [o.label for o in poll.options] == ["Pizza", "Sushi", "Salad"]
    polls.vote(people["owner"], poll.id, [o.id for o in poll.options[:2]])
    page = client.get(f"/posts/{poll.post_id}").get_data(as_text=True)
    assert "1 person voted" in page and comment_free == 0


class Recorder:
    def __init__(self):
        self.calls = []

    @hookimpl
    def wilma_post_created(self, post, user):
        self.calls.append(("post", post.id, user.username))

    @hookimpl
    def wilma_comment_created(self, comment, user):
        self.calls.append(("comment", comment.id, user.username))


def test_plugin_hooks_run_after_commit(app, api, people, make_group):
    recorder = Recorder()
    app.extensions["wilma_plugins"].manager.register(recorder)
    group, _ = setup_group(make_group, people, "public")
    api.login("member")
    post = api("POST", f"/api/v1/groups/{group.id}/posts", {"body": "hi"}).get_json()
    comment = api("POST", f"/api/v1/posts/{post['id']}/comments", {"body": "yo"}).get_json()
    api("POST", f"/api/v1/groups/{group.id}/posts", {"body": ""})  # refused: no hook
    app.extensions["wilma_plugins"].manager.unregister(recorder)
    assert ("post", post["id"], "member") in recorder.calls
    assert recorder.calls[-1] == ("comment", comment["id"], "member")


@pytest.mark.parametrize("app_config", [{"WILMA_POSTS_RATE_LIMIT": "3 per minute",
                                         "WILMA_COMMENTS_RATE_LIMIT": "2 per minute"}])
def test_write_rates_per_person_answer_429_with_a_message(api, auth, client, people, make_group):
    group, post = setup_group(make_group, people, "public")
    api.login("member")
    codes = [api("POST", f"/api/v1/groups/{group.id}/posts", {"body": f"{i}"}).status_code for i in range(4)]
    assert codes == [201, 201, 201, 429]
    refused = api("POST", f"/api/v1/groups/{group.id}/posts", {"body": "again"}).get_json()
    assert "posting very fast" in refused["error"]["message"]
    assert [api("POST", f"/api/v1/posts/{post.id}/comments", {"body": "c"}).status_code for _ in range(3)] == [
        201, 201, 429]
    page = auth.post("/posts", data={"body": "form", "group_id": str(group.id)})
    assert "posting very fast" in client.get(page.headers["Location"]).get_data(as_text=True)
    api.login("owner")  # another person has their own budget
    assert api("POST", f"/api/v1/groups/{group.id}/posts", {"body": "mine"}).status_code == 201


def test_profile_posts_page_follow_and_link(client, auth, people):
    services.create_post(people["dora"], body="Hello from my profile")
    auth.login("member")
    profile = client.get(f"/people/{people['dora'].id}").get_data(as_text=True)
    assert f"/people/{people['dora'].id}/posts" in profile
    page = client.get(f"/people/{people['dora'].id}/posts").get_data(as_text=True)
    assert "Hello from my profile" in page and "Follow" in page
    auth.post(f"/people/{people['dora'].id}/follow", data={"following": "1"})
    assert services.is_following(people["member"], people["dora"].id)
    assert "Hello from my profile" in client.get("/feed").get_data(as_text=True)
    auth.post(f"/people/{people['dora'].id}/follow", data={"following": "0"})
    assert "Hello from my profile" not in client.get("/feed").get_data(as_text=True)


def test_poll_closing_time_from_the_form_is_local_time(auth, people, make_group):
    group = make_group("Team", "public", owner=people["owner"])
    auth.login("owner")
    auth.post("/posts", data={"body": "When?", "group_id": str(group.id), "poll_options": "a\nb",
                              "poll_closes_at": "2099-06-01T12:00"})
    from wilma.core.models import as_utc
    from wilma.posts.models import Poll

    closes = as_utc(db.session.query(Poll).one().closes_at)
    assert (closes.hour, closes.minute) == (10, 0)  # 12:00 in Berlin (summer time) is 10:00 UTC
