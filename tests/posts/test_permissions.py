"""Permission matrix: every role against every action on public, private and secret groups.

Through the API (read, post, comment, like, vote, edit, delete), the pages (read, pin) and, in
test_realtime.py, the socket events.
"""

import pytest

from tests.posts.helpers import setup_group
from wilma.accounts import services as accounts
from wilma.core.database import commit
from wilma.extensions import db
from wilma.posts.models import Post

OK_READ = {"read": 200, "page": 200, "comment": 201, "like": 200, "vote": 200}
REFUSED = {a: 403 for a in ("read", "page", "post", "comment", "like", "vote", "edit", "pin", "delete")}
HIDDEN = {a: 404 for a in REFUSED}
LOGGED_OUT = {**{a: 401 for a in REFUSED}, "page": 302, "pin": 302}

EXPECTED = {
    "anonymous": {"public": LOGGED_OUT, "private": LOGGED_OUT, "secret": LOGGED_OUT},
    "deactivated": {"public": LOGGED_OUT, "private": LOGGED_OUT, "secret": LOGGED_OUT},
    "outsider": {"public": {**OK_READ, "post": 403, "edit": 403, "pin": 403, "delete": 403},
                 "private": REFUSED, "secret": HIDDEN},
    "member": {v: {**OK_READ, "post": 201, "edit": 403, "pin": 403, "delete": 403}
               for v in ("public", "private", "secret")},
    "moderator": {v: {**OK_READ, "post": 201, "edit": 403, "pin": 302, "delete": 204}
                  for v in ("public", "private", "secret")},
    "owner": {v: {**OK_READ, "post": 201, "edit": 403, "pin": 302, "delete": 204}
              for v in ("public", "private", "secret")},
    "admin": {"public": {**OK_READ, "post": 403, "edit": 403, "pin": 302, "delete": 204},
              "private": REFUSED, "secret": HIDDEN},
    "author": {v: {**OK_READ, "post": 201, "edit": 200, "pin": 403, "delete": 204}
               for v in ("public", "private", "secret")},
}
LOGIN = {"outsider": "outsider", "member": "member", "moderator": "moderator", "owner": "owner",
         "admin": "admin", "author": "dora", "deactivated": "gone"}


def run_actions(api, auth, client, post_id, group_id, poll_id):
    """Do every action once (the destructive ones last) and collect the status codes."""
    option = db.session.get(Post, post_id).poll.options[0].id
    pin_token = api.token or auth.csrf("/login")
    return {
        "read": api("GET", f"/api/v1/posts/{post_id}").status_code,
        "page": client.get(f"/posts/{post_id}").status_code,
        "post": api("POST", f"/api/v1/groups/{group_id}/posts", {"body": "new"}).status_code,
        "comment": api("POST", f"/api/v1/posts/{post_id}/comments", {"body": "c"}).status_code,
        "like": api("POST", f"/api/v1/posts/{post_id}/like").status_code,
        "vote": api("POST", f"/api/v1/polls/{poll_id}/vote", {"option_ids": [option]}).status_code,
        "edit": api("PATCH", f"/api/v1/posts/{post_id}", {"body": "changed"}).status_code,
        "pin": client.post(f"/posts/{post_id}/pin", data={"pinned": "1", "csrf_token": pin_token}).status_code,
        "delete": api("DELETE", f"/api/v1/posts/{post_id}").status_code,
    }


@pytest.mark.parametrize("visibility", ["public", "private", "secret"])
@pytest.mark.parametrize("role", list(EXPECTED))
def test_permission_matrix(role, visibility, api, auth, client, people, make_group):
    group, post = setup_group(make_group, people, visibility)
    if role == "anonymous":
        api.token = auth.csrf("/login")
    else:
        api.login(LOGIN[role])
    if role == "deactivated":
        accounts.set_active(people["gone"], False)
        commit()
    got = run_actions(api, auth, client, post.id, group.id, post.poll.id)
    assert got == EXPECTED[role][visibility]
    db.session.expire_all()
    stored = db.session.get(Post, post.id)
    expected = EXPECTED[role][visibility]
    assert (stored.body == "changed") == (expected["edit"] == 200)
    assert (stored.deleted_at is not None) == (expected["delete"] == 204)
    pinned = expected["pin"] == 302 and role not in ("anonymous", "deactivated")  # else 302 = login page
    assert (stored.pinned_at is not None) == pinned


@pytest.mark.parametrize("visibility", ["public", "private", "secret"])
def test_archived_group_refuses_writes_with_a_message(visibility, api, people, make_group):
    group, post = setup_group(make_group, people, visibility, archived=True)
    api.login("owner")
    assert api("GET", f"/api/v1/posts/{post.id}").status_code == 200
    for method, path, body in [("POST", f"/api/v1/groups/{group.id}/posts", {"body": "x"}),
                               ("POST", f"/api/v1/posts/{post.id}/comments", {"body": "x"}),
                               ("POST", f"/api/v1/posts/{post.id}/like", None),
                               ("DELETE", f"/api/v1/posts/{post.id}", None)]:
        response = api(method, path, body)
        assert response.status_code == 403
        assert "archived" in response.get_json()["error"]["message"]


def test_secret_group_answers_exactly_like_a_missing_one(api, people, make_group):
    group, post = setup_group(make_group, people, "secret")
    api.login("outsider")
    hidden = api("GET", f"/api/v1/groups/{group.id}/posts")
    missing = api("GET", "/api/v1/groups/99999/posts")
    assert hidden.status_code == missing.status_code == 404
    assert hidden.get_json() == missing.get_json()
    assert api("GET", f"/api/v1/posts/{post.id}").get_json() == api("GET", "/api/v1/posts/99999").get_json()


def test_outsider_sees_private_page_refusal_not_content(client, auth, people, make_group):
    group, post = setup_group(make_group, people, "private")
    auth.login("outsider")
    response = client.get(f"/posts/{post.id}")
    assert response.status_code == 403
    assert "Target post" not in response.get_data(as_text=True)
