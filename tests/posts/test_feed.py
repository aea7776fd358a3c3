"""The feed: what it contains, its cursor pagination, and a constant number of queries per page."""

from datetime import timedelta

import pytest

from tests.queries import QueryCounter
from wilma.core.database import commit
from wilma.core.models import utcnow
from wilma.extensions import db
from wilma.posts import services
from wilma.posts.models import Post


def bulk_posts(author, group_id, n, *, same_time=False, profile=False):
    """``n`` posts without the service (fast); with ``same_time`` they all share one timestamp."""
    now = utcnow()
    rows = [Post(group_id=None if profile else group_id, profile_user_id=author.id if profile else None,
                 author_id=author.id, body=f"post {i}", html=f"<p>post {i}</p>",
                 created_at=now if same_time else now - timedelta(seconds=n - i)) for i in range(n)]
    db.session.add_all(rows)
    commit()
    return rows


def walk(api, path):
    """Follow next_cursor to the end; return all item ids in order."""
    ids, cursor = [], None
    while True:
        sep = "&" if "?" in path else "?"
        response = api("GET", f"{path}{sep}cursor={cursor}" if cursor else path)
        assert response.status_code == 200
        data = response.get_json()
        ids += [item["id"] for item in data["items"]]
        cursor = data["next_cursor"]
        if not cursor:
            return ids


@pytest.mark.parametrize("same_time", [False, True])
def test_cursor_pagination_has_no_duplicates_or_gaps(same_time, api, make_user, make_group):
    anna = make_user("anna")
    group = make_group("Team", "public", owner=anna)
    posts = bulk_posts(anna, group.id, 47, same_time=same_time)
    api.login("anna")
    ids = walk(api, "/api/v1/feed?limit=10")
    expected = [p.id for p in sorted(posts, key=lambda p: (p.created_at, p.id), reverse=True)]
    assert ids == expected


def test_new_posts_while_paging_do_not_shift_pages(api, make_user, make_group):
    anna = make_user("anna")
    group = make_group("Team", "public", owner=anna)
    bulk_posts(anna, group.id, 30)
    api.login("anna")
    first = api("GET", "/api/v1/feed?limit=10").get_json()
    services.create_post(anna, body="brand new", group_id=group.id)
    second = api("GET", f"/api/v1/feed?limit=10&cursor={first['next_cursor']}").get_json()
    first_ids = {i["id"] for i in first["items"]}
    assert not first_ids & {i["id"] for i in second["items"]}
    assert max(i["id"] for i in second["items"]) == min(first_ids) - 1


def test_bad_cursor_is_a_clear_400(api, make_user):
    make_user("anna")
    api.login("anna")
    response = api("GET", "/api/v1/feed?cursor=not-a-cursor")
    assert response.status_code == 400
    assert response.get_json()["error"]["code"] == "invalid"


def test_queries_per_feed_page_are_the_same_for_10_and_50_posts(app, client, auth, make_user, make_group):
    anna, ben = make_user("anna"), make_user("ben")
    groups = [make_group(f"G{i}", "public" if i % 2 else "private", owner=anna) for i in range(4)]
    for group in groups:
        bulk_posts(ben, group.id, 20)
    bulk_posts(ben, None, 10, profile=True)
    services.follow(anna, ben.id)
    with_poll = services.create_post(anna, body="poll", group_id=groups[1].id, poll={"options": ["a", "b"]})
    services.like_post(ben, with_poll.id)
    auth.login("anna")
    counts = {}
    for limit in (10, 50):
        client.get(f"/api/v1/feed?limit={limit}")  # warm-up: the session row, caches
        with QueryCounter(db.engine) as counter:
            response = client.get(f"/api/v1/feed?limit={limit}")
        assert len(response.get_json()["items"]) == limit
        counts[limit] = counter.count
    assert counts[10] == counts[50]
    assert counts[10] <= 12
    for limit in (10, 50):  # the HTML page too
        with QueryCounter(db.engine) as counter:
            html = client.get(f"/feed?limit={limit}").get_data(as_text=True)
        assert html.count('class="card post') == limit
        counts[f"page{limit}"] = counter.count
    assert counts["page10"] == counts["page50"]
    print("queries per page", counts)


def test_feed_contains_my_groups_follows_and_own_profile_only(api, make_user, make_group):
    anna, ben, cem, dora = (make_user(n) for n in ("anna", "ben", "cem", "dora"))
    public = make_group("Pub", "public", owner=ben)
    mine = make_group("Mine", "private", owner=ben, members=[anna])
    private = make_group("Priv", "private", owner=ben)
    secret = make_group("Sec", "secret", owner=ben)
    texts = {}
    for name, group in (("public", public), ("mine", mine), ("private", private), ("secret", secret)):
        texts[name] = services.create_post(ben, body=f"{name} post", group_id=group.id).id
    texts["own"] = services.create_post(anna, body="my profile").id
    texts["followed"] = services.create_post(cem, body="cem profile").id
    texts["stranger"] = services.create_post(dora, body="dora profile").id
    services.follow(anna, cem.id)
    api.login("anna")
    ids = set(walk(api, "/api/v1/feed"))
    assert ids == {texts["mine"], texts["own"], texts["followed"]}  # public groups I did not join: their page
    assert set(walk(api, "/api/v1/feed?filter=groups")) == {texts["mine"]}
    page = api("GET", "/feed").get_data(as_text=True)
    assert "private post" not in page and "secret post" not in page and "mine post" in page
    assert "public post" in api("GET", f"/groups/{public.id}").get_data(as_text=True)


def test_mentions_filter_shows_posts_that_mention_me_where_i_can_read(api, make_user, make_group):
    make_user("anna")
    ben = make_user("ben")
    public = make_group("Pub", "public", owner=ben)
    private = make_group("Priv", "private", owner=ben)
    seen = services.create_post(ben, body="hello @anna", group_id=public.id)
    services.create_post(ben, body="psst @anna", group_id=private.id)
    services.create_post(ben, body="nobody mentioned", group_id=public.id)
    commented = services.create_post(ben, body="plain", group_id=public.id)
    services.add_comment(ben, commented.id, body="what do you think, @anna?")
    api.login("anna")
    assert set(walk(api, "/api/v1/feed?filter=mentions")) == {seen.id, commented.id}


def test_deleted_posts_leave_the_feed(api, make_user, make_group):
    anna = make_user("anna")
    group = make_group("Team", "public", owner=anna)
    keep = services.create_post(anna, body="keep", group_id=group.id)
    gone = services.create_post(anna, body="gone", group_id=group.id)
    services.delete_post(anna, gone.id)
    api.login("anna")
    assert walk(api, "/api/v1/feed") == [keep.id]
    assert api("GET", f"/api/v1/posts/{gone.id}").status_code == 404


def test_group_stream_shows_pinned_first_and_feed_is_the_start_page(client, auth, make_user, make_group):
    anna = make_user("anna")
    group = make_group("Team", "public", owner=anna)
    pinned = services.create_post(anna, body="read me first", group_id=group.id)
    services.create_post(anna, body="newer post", group_id=group.id)
    services.set_pinned(anna, pinned.id, True)
    auth.login("anna")
    assert client.get("/").headers["Location"].endswith("/feed")
    from flask import render_template_string

    with client.application.test_request_context("/"):
        from flask_login import login_user

        login_user(anna)
        html = render_template_string('{% include "posts/_group_stream.html" %}', group=group)
    assert html.index("read me first") < html.index("newer post")
    assert "Pinned" in html
