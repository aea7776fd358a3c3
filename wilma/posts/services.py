"""Every write on posts, comments, likes and follows: check, do, commit, then notify.

After the commit: plugin hooks (``wilma_post_created``, ``wilma_comment_created``), notifications
(mention, comment, reply, like) and the live ``feed:new_post`` announcement, which carries only
``{group_id, post_id}`` and goes to the group's room (or to the followers of a profile).
"""

import re

from flask import current_app, has_app_context, url_for
from flask_babel import gettext as _
from sqlalchemy import delete, select, update
from sqlalchemy.orm import joinedload

from wilma.accounts.models import User
from wilma.core.audit import audit
from wilma.core.database import after_commit, commit
from wilma.core.errors import Conflict, NotFound, PermissionDenied, ValidationError
from wilma.core.markdown import render_markdown
from wilma.core.models import utcnow
from wilma.core.realtime import emit_after_commit, user_room
from wilma.extensions import db, socketio
from wilma.groups.models import PUBLIC
from wilma.notifications.services import notify
from wilma.posts import access, mentions
from wilma.posts.limits import check_rate
from wilma.posts.models import COMMENT_MAX_LENGTH, POST_MAX_LENGTH, Attachment, Comment, Follow, Like, Post


def _hook():
    if not has_app_context():
        return None
    registry = current_app.extensions.get("wilma_plugins")
    return registry.hook if registry else None


def _after_commit_hook(name: str, **kwargs) -> None:
    def run():
        hook = _hook()
        if hook is not None:
            getattr(hook, name)(**kwargs)

    after_commit(run)


def clean_body(body, *, max_length: int, what: str) -> str:
    """The text of a post or comment, or a ValidationError that says what is wrong."""
    if not isinstance(body, str) or not body.strip():
        raise ValidationError(_("Please write something."), field="body")
    if len(body) > max_length:
        message = (_("A post can be at most %(n)d characters long.", n=max_length) if what == "post"
                   else _("A comment can be at most %(n)d characters long.", n=max_length))
        raise ValidationError(message, field="body")
    if "\x00" in body:
        raise ValidationError(_("Text must not contain NUL characters."), field="body")
    return body


def _subject(body: str) -> str:
    """The first words of a post or comment, which a notification quotes after its sentence
    ("Anna commented on your post: …"); the sentence itself is made in the reader's language."""
    words = " ".join(re.sub(r"[*_`#>\[\]]", "", body or "").split())
    return words if len(words) <= 80 else words[:79].rsplit(" ", 1)[0] + "…"


def post_url(post: Post) -> str:
    try:
        return url_for("posts.detail", post_id=post.id)
    except RuntimeError:
        return f"/posts/{post.id}"


def queue_search(key: str, *, delete: bool = False) -> None:
    """Queue ``key`` ("posts:12") for the search index in this transaction, when search is installed."""
    try:
        from wilma.search.outbox import queue_delete, queue_index
    except ImportError:
        return
    (queue_delete if delete else queue_index)(key)


def _notify_mentions(actor, people, post: Post, *, comment: Comment | None = None) -> None:
    text = _subject(comment.body if comment else post.body)
    subject_type, subject_id = ("comment", comment.id) if comment else ("post", post.id)
    notify(recipients=people, kind="mention", actor=actor, subject_type=subject_type, subject_id=subject_id,
           group_id=post.group_id, text=text, url=post_url(post))


def _announce(post: Post) -> None:
    payload = {"group_id": post.group_id, "post_id": post.id}
    if post.group_id is not None:
        rooms = [f"group:{post.group_id}"]
        if post.group is not None and post.group.visibility == PUBLIC:
            rooms.append(f"group:{post.group_id}:readers")
        after_commit(lambda: socketio.emit("feed:new_post", payload, to=rooms))
        return
    followers = db.session.scalars(select(Follow.follower_id).where(Follow.followed_id == post.author_id))
    for follower_id in followers:
        emit_after_commit("feed:new_post", payload, to=user_room(follower_id))


def create_post(user, *, body: str, group_id: int | None = None, attachment_ids=(), poll: dict | None = None) -> Post:
    """Post into a group (members only) or, without ``group_id``, onto one's own profile."""
    access.ensure_user(user)
    group = None
    if group_id is not None:
        group = access.readable_group(user, group_id)
        access.ensure_writable(group)
        if not access.can_post_in(user, group):
            raise PermissionDenied(_("Join the group to post in it."))
    body = clean_body(body, max_length=POST_MAX_LENGTH, what="post")
    check_rate("posts", user)
    post = Post(group_id=group_id, profile_user_id=None if group_id is not None else user.id,
                author_id=user.id, body=body, html=render_markdown(body))
    db.session.add(post)
    db.session.flush()
    _attach(user, post, attachment_ids)
    if poll:
        from wilma.posts.polls import add_poll

        add_poll(post, poll)
    people = mentions.mentioned_users(body, group_id)
    mentions.record_mentions(people, post_id=post.id)
    _notify_mentions(user, people, post)
    _announce(post)
    _after_commit_hook("wilma_post_created", post=post, user=user)
    queue_search(f"posts:{post.id}")
    commit()
    return post


def _attach(user, post: Post, attachment_ids) -> None:
    ids = [i for i in attachment_ids or () if isinstance(i, int)]
    if not ids:
        return
    if len(ids) > 10:
        raise ValidationError(_("At most 10 files per post."), field="attachment_ids")
    found = db.session.scalars(select(Attachment).where(
        Attachment.id.in_(ids), Attachment.uploader_id == user.id, Attachment.post_id.is_(None))).all()
    if len(found) != len(set(ids)):
        raise ValidationError(_("One of the files is unknown or already used."), field="attachment_ids")
    for attachment in found:
        attachment.post_id = post.id


def edit_post(user, post_id: int, *, body: str) -> Post:
    """Change the text (author only); the post is marked as edited."""
    post = access.readable_post(user, post_id)
    if post.author_id != user.id:
        raise PermissionDenied(_("Only the author can edit a post."))
    access.ensure_writable(post.group)
    body = clean_body(body, max_length=POST_MAX_LENGTH, what="post")
    before = set(mentions.mentioned_usernames(post.body))
    post.body, post.html, post.edited_at = body, render_markdown(body), utcnow()
    fresh = [p for p in mentions.mentioned_users(body, post.group_id) if p.username not in before]
    mentions.record_mentions(fresh, post_id=post.id)
    _notify_mentions(user, fresh, post)
    queue_search(f"posts:{post.id}")
    commit()
    return post


def delete_post(user, post_id: int) -> None:
    """Hide a post: its author, the group's moderators and owners, or an admin."""
    post = access.readable_post(user, post_id)
    if not access.can_delete(user, post, post.group_id):
        raise PermissionDenied(_("Only the author, the group's moderators or an admin can delete this post."))
    access.ensure_writable(post.group)
    post.deleted_at = utcnow()
    audit("post.delete", actor=user, target=post, detail=_deletion_detail(user, post, post.group_id))
    queue_search(f"posts:{post.id}", delete=True)
    for comment_id in db.session.scalars(select(Comment.id).where(Comment.post_id == post.id,
                                                                   Comment.deleted_at.is_(None))):
        queue_search(f"comments:{comment_id}", delete=True)  # they go with their post
    commit()


def _deletion_detail(user, item, group_id) -> dict:
    """What the audit log keeps of a deletion: where, whose, and whether the author did it (no text)."""
    return {"group_id": group_id, "author_id": item.author_id, "by_author": item.author_id == user.id}


def set_pinned(user, post_id: int, pinned: bool) -> Post:
    """Pin or unpin a group post (group moderators and owners, admins)."""
    post = access.readable_post(user, post_id)
    if not access.can_pin(user, post):
        raise PermissionDenied(_("Only the group's moderators can pin posts."))
    access.ensure_writable(post.group)
    post.pinned_at = utcnow() if pinned else None
    commit()
    return post


# --- comments ------------------------------------------------------------------------------------------


def add_comment(user, post_id: int, *, body: str, parent_id: int | None = None) -> Comment:
    """Comment on a post, or reply to a comment (a reply to a reply joins its top-level comment)."""
    post = access.readable_post(user, post_id)
    access.ensure_writable(post.group)
    body = clean_body(body, max_length=COMMENT_MAX_LENGTH, what="comment")
    parent = None
    if parent_id is not None:
        parent = db.session.get(Comment, parent_id) if isinstance(parent_id, int) else None
        if parent is None or parent.post_id != post.id or parent.deleted_at is not None:
            raise ValidationError(_("The comment you reply to does not exist."), field="parent_id")
        if parent.parent_id is not None:
            parent = db.session.get(Comment, parent.parent_id)
    check_rate("comments", user)
    comment = Comment(post_id=post.id, parent_id=parent.id if parent else None, author_id=user.id,
                      body=body, html=render_markdown(body))
    db.session.add(comment)
    db.session.execute(update(Post).where(Post.id == post.id).values(comment_count=Post.comment_count + 1))
    db.session.flush()
    url = post_url(post)
    if parent is not None:
        notify(recipients=[parent.author], kind="reply", actor=user, subject_type="comment",
               subject_id=parent.id, group_id=post.group_id, url=url,
               text=_subject(body))
    if parent is None or parent.author_id != post.author_id:
        notify(recipients=[post.author], kind="comment", actor=user, subject_type="post", subject_id=post.id,
               group_id=post.group_id, url=url, text=_subject(body))
    people = mentions.mentioned_users(body, post.group_id)
    mentions.record_mentions(people, post_id=post.id, comment_id=comment.id)
    _notify_mentions(user, people, post, comment=comment)
    _after_commit_hook("wilma_comment_created", comment=comment, user=user)
    queue_search(f"comments:{comment.id}")
    commit()
    db.session.refresh(post)
    return comment


def delete_comment(user, comment_id: int) -> None:
    comment = db.session.get(Comment, comment_id) if isinstance(comment_id, int) else None
    if comment is None or comment.deleted_at is not None:
        raise NotFound()
    post = access.readable_post(user, comment.post_id)
    if not access.can_delete(user, comment, post.group_id):
        raise PermissionDenied(_("Only the author, the group's moderators or an admin can delete this comment."))
    access.ensure_writable(post.group)
    comment.deleted_at = utcnow()
    audit("comment.delete", actor=user, target=comment,
          detail=_deletion_detail(user, comment, post.group_id) | {"post_id": post.id})
    db.session.execute(update(Post).where(Post.id == post.id).values(comment_count=Post.comment_count - 1))
    queue_search(f"comments:{comment.id}", delete=True)
    commit()


def list_comments(user, post_id: int) -> list[Comment]:
    """Live comments of a post, oldest first, replies right after their parent."""
    post = access.readable_post(user, post_id)
    rows = db.session.scalars(select(Comment).where(Comment.post_id == post.id, Comment.deleted_at.is_(None))
                              .options(joinedload(Comment.author))
                              .order_by(Comment.created_at, Comment.id)).all()
    top = [c for c in rows if c.parent_id is None]
    replies: dict[int, list[Comment]] = {}
    for c in rows:
        if c.parent_id is not None:
            replies.setdefault(c.parent_id, []).append(c)
    ordered = []
    for c in top:
        ordered.append(c)
        ordered.extend(replies.get(c.id, []))
    return ordered


# --- likes ---------------------------------------------------------------------------------------------


def like_post(user, post_id: int) -> Post:
    """Like a post (once); its author is notified, grouped ("Anna and 4 others")."""
    post = access.readable_post(user, post_id)
    access.ensure_writable(post.group)
    exists = db.session.scalar(select(Like.id).where(Like.post_id == post.id, Like.user_id == user.id))
    if exists is None:
        db.session.add(Like(user_id=user.id, post_id=post.id))
        db.session.execute(update(Post).where(Post.id == post.id).values(like_count=Post.like_count + 1))
        notify(recipients=[post.author], kind="like", actor=user, subject_type="post", subject_id=post.id,
               group_id=post.group_id, url=post_url(post), group_by_subject=True,
               text=_subject(post.body))
        commit()
        db.session.refresh(post)
    return post


def unlike_post(user, post_id: int) -> Post:
    post = access.readable_post(user, post_id)
    access.ensure_writable(post.group)
    result = db.session.execute(delete(Like).where(Like.post_id == post.id, Like.user_id == user.id))
    if result.rowcount:
        db.session.execute(update(Post).where(Post.id == post.id).values(like_count=Post.like_count - 1))
        commit()
        db.session.refresh(post)
    return post


def like_comment(user, comment_id: int, liked: bool = True) -> Comment:
    comment = db.session.get(Comment, comment_id) if isinstance(comment_id, int) else None
    if comment is None or comment.deleted_at is not None:
        raise NotFound()
    post = access.readable_post(user, comment.post_id)
    access.ensure_writable(post.group)
    exists = db.session.scalar(select(Like.id).where(Like.comment_id == comment.id, Like.user_id == user.id))
    if liked and exists is None:
        db.session.add(Like(user_id=user.id, comment_id=comment.id))
        comment.like_count += 1
        notify(recipients=[comment.author], kind="like", actor=user, subject_type="comment",
               subject_id=comment.id, group_id=post.group_id, url=post_url(post), group_by_subject=True,
               text=_subject(comment.body))
    elif not liked and exists is not None:
        db.session.execute(delete(Like).where(Like.id == exists))
        comment.like_count -= 1
    commit()
    return comment


def likers(user, post_id: int, limit: int = 200) -> list[User]:
    """Who liked a post, most recent first."""
    post = access.readable_post(user, post_id)
    return list(db.session.scalars(select(User).join(Like, Like.user_id == User.id)
                                   .where(Like.post_id == post.id).order_by(Like.id.desc()).limit(limit)))


# --- follows -------------------------------------------------------------------------------------------


def follow(user, person_id: int, following: bool = True) -> None:
    """Follow (or stop following) a person: their profile posts appear in the feed."""
    access.ensure_user(user)
    person = db.session.get(User, person_id) if isinstance(person_id, int) else None
    if person is None:
        raise NotFound()
    if person.id == user.id:
        raise Conflict(_("You cannot follow yourself."))
    existing = db.session.scalar(select(Follow).where(Follow.follower_id == user.id,
                                                       Follow.followed_id == person.id))
    if following and existing is None:
        db.session.add(Follow(follower_id=user.id, followed_id=person.id))
    elif not following and existing is not None:
        db.session.delete(existing)
    commit()


def is_following(user, person_id: int) -> bool:
    return db.session.scalar(select(Follow.id).where(Follow.follower_id == user.id,
                                                      Follow.followed_id == person_id)) is not None
