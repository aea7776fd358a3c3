"""The card cache of the streams (posts/cards.py): served from the cache, yet never stale and never another
viewer's card. Each test first makes sure a card is cached (its stored HTML is changed behind the
service's back, which only a cache hit would hide) and then checks what a change does."""

import re

from sqlalchemy import update

from wilma.core.database import commit
from wilma.extensions import db
from wilma.groups import services as groups
from wilma.posts import polls, services
from wilma.posts.models import Post


def page(client, auth, username, path="/feed"):
    auth.login(username)
    html = client.get(path).get_data(as_text=True)
    auth.logout()
    return html


def card(html, post_id):
    """The HTML of one post's card in a page ('' when the page does not show it)."""
    found = re.search(rf'<article class="card post[^"]*" id="post-{post_id}".*?</article>', html, re.S)
    return found.group(0) if found else ""


def change_html_behind_the_cache(post_id, text="<p>changed behind the cache</p>"):
    """Store other HTML without touching anything a card's version is made of."""
    db.session.execute(update(Post).where(Post.id == post_id).values(html=text))
    commit()


def test_a_stream_serves_cached_cards_and_an_edit_renders_the_card_again(client, auth, make_user, make_group):
    anna, ben = make_user("anna"), make_user("ben")
    group = make_group("Team", "public", owner=anna, members=[ben])
    post = services.create_post(anna, body="first words", group_id=group.id)
    assert "first words" in card(page(client, auth, "ben"), post.id)
    change_html_behind_the_cache(post.id)
    assert "first words" in card(page(client, auth, "ben"), post.id)  # served from the cache
    services.edit_post(anna, post.id, body="second words")
    again = card(page(client, auth, "ben"), post.id)
    assert "second words" in again and "first words" not in again
    assert "edited" in again


def test_deleted_posts_and_left_private_groups_take_their_cached_cards_along(client, auth, make_user,
                                                                              make_group):
    anna, ben = make_user("anna"), make_user("ben")
    private = make_group("Private", "private", owner=anna, members=[ben])
    public = make_group("Public", "public", owner=anna, members=[ben])
    secret_post = services.create_post(anna, body="members only", group_id=private.id)
    doomed = services.create_post(anna, body="soon gone", group_id=public.id)
    html = page(client, auth, "ben")
    assert card(html, secret_post.id) and card(html, doomed.id)
    services.delete_post(anna, doomed.id)
    groups.leave(ben, private.id)
    html = page(client, auth, "ben")
    assert not card(html, doomed.id) and "soon gone" not in html
    assert not card(html, secret_post.id) and "members only" not in html
    group_page = page(client, auth, "ben", f"/groups/{private.id}")
    assert "members only" not in group_page


def test_likes_and_comments_change_the_counts_of_a_cached_card(client, auth, make_user, make_group):
    anna, ben = make_user("anna"), make_user("ben")
    cem = make_user("cem")
    group = make_group("Team", "public", owner=anna, members=[ben, cem])
    post = services.create_post(anna, body="count me", group_id=group.id)
    assert "0 likes" in card(page(client, auth, "cem"), post.id)
    services.like_post(ben, post.id)
    services.add_comment(ben, post.id, body="me too")
    cems = card(page(client, auth, "cem"), post.id)
    assert "1 like" in cems and "1 comment" in cems
    assert 'aria-pressed="false"' in cems  # cem has not liked it: ben's liked card is another entry
    assert 'aria-pressed="true"' in card(page(client, auth, "ben"), post.id)
    services.unlike_post(ben, post.id)
    assert "0 likes" in card(page(client, auth, "cem"), post.id)


def test_controls_tokens_and_paths_are_each_viewers_own(client, auth, make_user, make_group):
    anna, ben = make_user("anna"), make_user("ben")
    cem = make_user("cem")
    group = make_group("Team", "public", owner=anna, moderators=[ben], members=[cem])
    post = services.create_post(anna, body="whose controls?", group_id=group.id)
    mine = card(page(client, auth, "anna"), post.id)
    assert f"/posts/{post.id}/edit" in mine and f"/posts/{post.id}/delete" in mine
    moderator = card(page(client, auth, "ben"), post.id)
    assert f"/posts/{post.id}/edit" not in moderator
    assert f"/posts/{post.id}/pin" in moderator and f"/posts/{post.id}/delete" in moderator
    auth.login("cem")
    html = client.get("/feed?filter=all").get_data(as_text=True)
    reader = card(html, post.id)
    assert f"/posts/{post.id}/edit" not in reader and f"/posts/{post.id}/delete" not in reader
    own_token = re.search(r'<meta name="csrf-token" content="([^"]+)"', html).group(1)
    assert set(re.findall(r'name="csrf_token" value="([^"]+)"', reader)) == {own_token}
    assert f'value="/feed?filter=all#post-{post.id}"' in reader  # the way back is this page's


def test_a_cached_card_is_the_card_a_fresh_render_makes(app, client, auth, make_user, make_group):
    anna, ben = make_user("anna"), make_user("ben")
    group = make_group("Team", "public", owner=anna, members=[ben])
    post = services.create_post(anna, body="same **twice**", group_id=group.id)

    def without_tokens(html):  # the CSRF token is signed with a time stamp: it may differ between requests
        return re.sub(r'(name="csrf_token" value=")[^"]+', r"\1", card(html, post.id))

    fresh = without_tokens(page(client, auth, "ben"))
    cached = without_tokens(page(client, auth, "ben"))
    assert fresh == cached and "<strong>twice</strong>" in cached
    app.extensions["wilma_post_cards"].clear()
    assert without_tokens(page(client, auth, "ben")) == fresh


def test_each_language_gets_its_own_card(client, auth, make_user, make_group):
    anna = make_user("anna")
    ben, cem = make_user("ben", locale="de"), make_user("cem", locale="en")
    group = make_group("Team", "public", owner=anna, members=[ben, cem])
    post = services.create_post(anna, body="hello", group_id=group.id)
    assert "Like" in card(page(client, auth, "cem"), post.id)
    german = card(page(client, auth, "ben"), post.id)
    assert ">Like<" not in german and "Gefällt mir" in german


def test_polls_in_cached_cards_show_results_to_voters_only_and_follow_the_votes(client, auth, make_user,
                                                                                make_group):
    anna, ben = make_user("anna"), make_user("ben")
    cem = make_user("cem")
    group = make_group("Team", "public", owner=anna, members=[ben, cem])
    post = services.create_post(anna, body="lunch?", group_id=group.id, poll={"options": ["pizza", "salad"]})
    for name in ("ben", "cem"):
        assert "poll-results" not in card(page(client, auth, name), post.id)
    pizza = post.poll.options[0]
    polls.vote(ben, post.poll.id, [pizza.id])
    bens = card(page(client, auth, "ben"), post.id)
    assert "poll-results" in bens and "1 person voted" in bens and 'class="poll-mine"' in bens
    cems = card(page(client, auth, "cem"), post.id)
    assert "poll-results" not in cems and "pizza" in cems  # the form, without results
    polls.vote(ben, post.poll.id, [post.poll.options[1].id])
    assert re.search(r'poll-mine">\s*<span class="poll-label">salad', card(page(client, auth, "ben"), post.id))
