"""Posts and comments in search (imported by ``wilma.search`` when that feature is installed).

A post is one document (its text), visible to the readers of its group, or to everyone logged in for a
profile post. A comment is one document with its post's visibility; it links to the post with an
anchor to the comment. Deleted posts and comments, and the comments of a deleted post, are deleted
documents. ``services`` queues every change (``queue_search``).
"""

from sqlalchemy import func, select
from sqlalchemy.orm import joinedload

from wilma.extensions import db
from wilma.posts.models import Comment, Post
from wilma.search.registry import Document, Provider, endpoint_url, register_provider


def post_document(post: Post) -> Document:
    """A post: visible to the readers of its group, or to everyone for a profile post."""
    return Document(type="posts", object_id=post.id, body=post.body or "",
                    url=endpoint_url("posts.detail", post_id=post.id), group_id=post.group_id,
                    created_at=post.created_at, deleted=post.deleted_at is not None)


def comment_document(comment: Comment, post: Post) -> Document:
    """A comment: its post's visibility; gone with its post."""
    url = endpoint_url("posts.detail", post_id=post.id, _anchor=f"comment-{comment.id}")
    return Document(type="comments", object_id=comment.id, body=comment.body or "", url=url,
                    group_id=post.group_id, created_at=comment.created_at,
                    deleted=comment.deleted_at is not None or post.deleted_at is not None)


def _iter_posts():
    query = select(Post).where(Post.deleted_at.is_(None)).order_by(Post.id).execution_options(yield_per=500)
    for post in db.session.scalars(query):
        yield post_document(post)


def _load_posts(post_ids: list[int]) -> dict[int, Document]:
    return {p.id: post_document(p) for p in db.session.scalars(select(Post).where(Post.id.in_(post_ids)))}


def _count_posts() -> int:
    return db.session.scalar(select(func.count(Post.id)).where(Post.deleted_at.is_(None))) or 0


def _iter_comments():
    query = (select(Comment, Post).join(Post, Post.id == Comment.post_id)
             .where(Comment.deleted_at.is_(None), Post.deleted_at.is_(None))
             .order_by(Comment.id).execution_options(yield_per=500))
    for comment, post in db.session.execute(query):
        yield comment_document(comment, post)


def _load_comments(comment_ids: list[int]) -> dict[int, Document]:
    rows = db.session.scalars(select(Comment).options(joinedload(Comment.post)).where(Comment.id.in_(comment_ids)))
    return {c.id: comment_document(c, c.post) for c in rows}


def _count_comments() -> int:
    return db.session.scalar(select(func.count(Comment.id)).join(Post, Post.id == Comment.post_id).where(
        Comment.deleted_at.is_(None), Post.deleted_at.is_(None))) or 0


register_provider(Provider(type="posts", iter_documents=_iter_posts, load=lambda i: _load_posts([i]).get(i),
                           load_many=_load_posts, count=_count_posts))
register_provider(Provider(type="comments", iter_documents=_iter_comments,
                           load=lambda i: _load_comments([i]).get(i), load_many=_load_comments,
                           count=_count_comments))
