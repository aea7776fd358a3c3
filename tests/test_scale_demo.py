"""``flask wilma demo --scale``: the generated data set is consistent, usable, and keeps visibility."""

import pytest
from sqlalchemy import func, select

from wilma.accounts.models import User
from wilma.chat.models import Channel, ChannelMember, ChatMessage
from wilma.core.models import utcnow
from wilma.demo import DEMO_PASSWORD
from wilma.extensions import db
from wilma.groups.models import Group, GroupMembership
from wilma.posts.models import Comment, Like, Post
from wilma.scale_demo import SCALES
from wilma.wiki.models import WikiPage, WikiRevision

FACTOR = 0.001  # 40 people, 2,000 chat messages: the shapes of the city set at a size a test can afford


def wilma(runner, *args):
    return runner.invoke(args=["wilma", *args])


@pytest.fixture
def scaled(app, runner):
    result = wilma(runner, "demo", "--scale", "small", "--factor", str(FACTOR))
    assert result.exit_code == 0, result.output
    return SCALES["city"].times(FACTOR), result.output


def count(model) -> int:
    return db.session.scalar(select(func.count()).select_from(model))


def test_counts_and_counters_match(scaled):
    scale, output = scaled
    assert count(User) == scale.users and count(Group) == scale.groups and count(Post) == scale.posts
    assert count(WikiPage) == scale.wiki_pages and count(ChatMessage) == scale.chat_messages
    assert 0.5 * scale.comments < count(Comment) < 1.5 * scale.comments
    assert 0.5 * scale.wiki_revisions < count(WikiRevision) < 1.5 * scale.wiki_revisions
    assert f"{scale.posts:,}" in output and "flask wilma search rebuild" in output
    # Counters on the posts match the rows, as the services keep them.
    assert db.session.scalar(select(func.sum(Post.like_count))) == db.session.scalar(
        select(func.count(Like.id)).where(Like.post_id.is_not(None)))
    assert db.session.scalar(select(func.sum(Post.comment_count))) == count(Comment)
    # Every group is visible in all three kinds' proportions, and every post's author may post there.
    outsiders = db.session.scalar(select(func.count(Post.id)).where(Post.group_id.is_not(None), ~select(
        GroupMembership.id).where(GroupMembership.group_id == Post.group_id,
                                  GroupMembership.user_id == Post.author_id).exists()))
    assert outsiders == 0
    # Each page points at its last revision; each channel at its last message.
    last = select(func.max(WikiRevision.id)).where(WikiRevision.page_id == WikiPage.id).scalar_subquery()
    assert db.session.scalar(select(func.count(WikiPage.id)).where(WikiPage.current_revision_id != last)) == 0
    newest = select(func.max(ChatMessage.id)).where(ChatMessage.channel_id == Channel.id).scalar_subquery()
    assert db.session.scalar(select(func.count(Channel.id)).where(Channel.last_message_id != newest)) == 0


def test_pages_render_for_a_generated_person(scaled, client, auth):
    membership = db.session.scalars(select(GroupMembership).join(Group).where(Group.visibility == "public")
                                    .order_by(GroupMembership.id)).first()
    user = db.session.get(User, membership.user_id)
    assert auth.login(user.username, DEMO_PASSWORD).status_code == 302
    feed = client.get("/feed")
    assert feed.status_code == 200 and "<article" in feed.get_data(as_text=True)
    group = client.get(f"/groups/{membership.group_id}")
    assert group.status_code == 200
    page = db.session.scalars(select(WikiPage).where(WikiPage.group_id.is_(None))).first()
    assert client.get(f"/wiki/{page.path}").status_code == 200
    channel = db.session.scalar(select(ChannelMember.channel_id).where(ChannelMember.user_id == user.id))
    chat = client.get(f"/chat/{channel}")
    assert chat.status_code == 200


def test_secret_groups_stay_secret(scaled, client, auth):
    secret = db.session.scalars(select(Group).where(Group.visibility == "secret")).first()
    if secret is None:  # the tiny scale may draw none: make one secret, as an admin would
        secret = db.session.scalars(select(Group).order_by(Group.id.desc())).first()
        secret.visibility = "secret"
        db.session.commit()
    members = set(db.session.scalars(select(GroupMembership.user_id).where(GroupMembership.group_id == secret.id)))
    outsider = db.session.scalars(select(User).where(User.id.not_in(members), User.is_admin.is_(False))).first()
    post = db.session.scalars(select(Post).where(Post.group_id == secret.id)).first()
    assert post is not None
    post.created_at = utcnow()  # the newest post of all: on top of every feed that may show it
    db.session.commit()
    member = db.session.get(User, min(members))
    assert auth.login(member.username, DEMO_PASSWORD).status_code == 302
    assert client.get("/api/v1/feed?limit=5").get_json()["items"][0]["id"] == post.id
    auth.logout()
    assert auth.login(outsider.username, DEMO_PASSWORD).status_code == 302
    assert client.get(f"/groups/{secret.id}").status_code == 404
    assert client.get(f"/posts/{post.id}").status_code == 404
    assert client.get(f"/api/v1/groups/{secret.id}/posts").status_code == 404
    feed = client.get("/api/v1/feed?limit=50").get_json()
    assert feed["items"] and post.id not in {item["id"] for item in feed["items"]}
    assert secret.name not in client.get("/groups").get_data(as_text=True)


def test_refuses_a_database_with_people(scaled, runner):
    again = wilma(runner, "demo", "--scale", "small", "--factor", str(FACTOR))
    assert again.exit_code != 0 and "already has" in again.output
    assert count(User) == scaled[0].users
