"""What the posts feature holds about a person, for their data download (see ``wilma.admin.export``).

Everything they wrote (deleted items too, marked, while the rows exist), what they liked and voted,
whom they follow, and the files they uploaded. Other people's text is not theirs and stays out.
"""

from sqlalchemy import select

from wilma.admin.export import register_exporter
from wilma.core import uploads
from wilma.extensions import db
from wilma.posts.attachments import AREA
from wilma.posts.models import Attachment, Comment, Follow, Like, PollOption, PollVote, Post


def export_posts(user) -> dict:
    posts = db.session.scalars(select(Post).where(Post.author_id == user.id).order_by(Post.id))
    comments = db.session.scalars(select(Comment).where(Comment.author_id == user.id).order_by(Comment.id))
    likes = db.session.scalars(select(Like).where(Like.user_id == user.id).order_by(Like.id))
    votes = db.session.execute(select(PollVote, PollOption).join(PollOption, PollVote.option_id == PollOption.id)
                               .where(PollVote.user_id == user.id).order_by(PollVote.id))
    follows = db.session.scalars(select(Follow).where(Follow.follower_id == user.id).order_by(Follow.id))
    return {
        "posts": [{"id": p.id, "group_id": p.group_id, "profile_user_id": p.profile_user_id, "body": p.body,
                   "created_at": p.created_at, "edited_at": p.edited_at, "deleted": p.deleted_at is not None}
                  for p in posts],
        "comments": [{"id": c.id, "post_id": c.post_id, "parent_id": c.parent_id, "body": c.body,
                      "created_at": c.created_at, "edited_at": c.edited_at, "deleted": c.deleted_at is not None}
                     for c in comments],
        "likes": [{"post_id": like.post_id, "comment_id": like.comment_id, "created_at": like.created_at}
                  for like in likes],
        "poll_votes": [{"poll_id": vote.poll_id, "option": option.label} for vote, option in votes],
        "following": [{"user_id": f.followed_id, "since": f.created_at} for f in follows],
        "attachments": [{"id": a.id, "post_id": a.post_id, "file_name": a.original_name,
                         "content_type": a.content_type, "size": a.size, "created_at": a.created_at}
                        for a in _attachments(user)],
    }


def _attachments(user):
    return db.session.scalars(select(Attachment).where(Attachment.uploader_id == user.id).order_by(Attachment.id))


def export_post_files(user):
    for attachment in _attachments(user):
        yield (f"posts/{attachment.id}-{attachment.original_name}",
               str(uploads.path_for(AREA, attachment.stored_name)))


register_exporter("posts", export_posts, files=export_post_files)
