"""The demo content of posts: loaded by ``flask wilma demo`` beside the people."""

from wilma.extensions import db
from wilma.posts.models import Comment, Like, Poll, Post


def test_demo_loads_posts_comments_likes_and_a_poll(app, runner):
    result = runner.invoke(args=["wilma", "demo"])
    assert result.exit_code == 0, result.output
    assert "Demo posts" in result.output
    assert db.session.query(Post).count() >= 5
    assert db.session.query(Comment).count() > 0 and db.session.query(Like).count() > 0
    poll = db.session.query(Poll).one()
    assert poll.voter_count == 3
