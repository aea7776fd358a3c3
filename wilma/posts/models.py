"""Posts (in a group or on a profile), comments, likes, follows, polls, mentions and attachments.

Indexes serve the feed: ``ix_posts_group_feed`` (group_id, created_at, id) and ``ix_posts_profile_feed``
(profile_user_id, created_at, id) are partial indexes over live posts (``deleted_at IS NULL``), so the
first step of a feed page (pick the ids of the page) reads only the index. Like and comment counts are
kept on the post, so a page needs no per-post counting query.
"""

from datetime import datetime

from sqlalchemy import Boolean, DateTime, ForeignKey, Index, Integer, String, Text, UniqueConstraint, text
from sqlalchemy.orm import Mapped, mapped_column, relationship

from wilma.accounts.models import User
from wilma.core.models import SoftDeleteMixin, as_utc, utcnow
from wilma.extensions import db
from wilma.groups.models import Group

POST_MAX_LENGTH = 20_000
COMMENT_MAX_LENGTH = 5_000
_LIVE = text("deleted_at IS NULL")
_PINNED = text("pinned_at IS NOT NULL AND deleted_at IS NULL")


class Post(SoftDeleteMixin, db.Model):
    """A post in a group (``group_id``) or on a person's profile (``profile_user_id``, group empty)."""

    __tablename__ = "posts"
    __table_args__ = (
        Index("ix_posts_group_feed", "group_id", "created_at", "id", sqlite_where=_LIVE, postgresql_where=_LIVE),
        Index("ix_posts_profile_feed", "profile_user_id", "created_at", "id", sqlite_where=_LIVE,
              postgresql_where=_LIVE),
        Index("ix_posts_author_created", "author_id", "created_at", "id"),
        Index("ix_posts_created", "created_at", "id", sqlite_where=_LIVE, postgresql_where=_LIVE),
        # the few pinned posts of a group page, without reading the group's whole stream
        Index("ix_posts_group_pinned", "group_id", "pinned_at", sqlite_where=_PINNED, postgresql_where=_PINNED),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    group_id: Mapped[int | None] = mapped_column(ForeignKey("groups.id", ondelete="CASCADE"))
    profile_user_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"))
    author_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"))
    body: Mapped[str] = mapped_column(Text, default="")
    html: Mapped[str] = mapped_column(Text, default="")
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow)
    edited_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))
    pinned_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))
    like_count: Mapped[int] = mapped_column(Integer, default=0)
    comment_count: Mapped[int] = mapped_column(Integer, default=0)

    author: Mapped[User] = relationship(foreign_keys=[author_id])
    profile_user: Mapped[User | None] = relationship(foreign_keys=[profile_user_id])
    group: Mapped[Group | None] = relationship()
    attachments: Mapped[list["Attachment"]] = relationship(back_populates="post", order_by="Attachment.id")
    poll: Mapped["Poll | None"] = relationship(back_populates="post", uselist=False)

    @property
    def created_utc(self) -> datetime:
        return as_utc(self.created_at)


class Comment(SoftDeleteMixin, db.Model):
    """A comment on a post; ``parent_id`` makes it a reply (one level: replies to replies join the parent)."""

    __tablename__ = "comments"
    __table_args__ = (Index("ix_comments_post_created", "post_id", "created_at", "id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    post_id: Mapped[int] = mapped_column(ForeignKey("posts.id", ondelete="CASCADE"))
    parent_id: Mapped[int | None] = mapped_column(ForeignKey("comments.id", ondelete="CASCADE"), index=True)
    author_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"), index=True)
    body: Mapped[str] = mapped_column(Text, default="")
    html: Mapped[str] = mapped_column(Text, default="")
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow)
    edited_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))
    like_count: Mapped[int] = mapped_column(Integer, default=0)

    post: Mapped[Post] = relationship()
    author: Mapped[User] = relationship()


class Like(db.Model):
    """A person likes a post or a comment (exactly one of the two)."""

    __tablename__ = "likes"
    __table_args__ = (
        UniqueConstraint("post_id", "user_id"),
        UniqueConstraint("comment_id", "user_id"),
        Index("ix_likes_user_post", "user_id", "post_id"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"))
    post_id: Mapped[int | None] = mapped_column(ForeignKey("posts.id", ondelete="CASCADE"))
    comment_id: Mapped[int | None] = mapped_column(ForeignKey("comments.id", ondelete="CASCADE"))
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow)

    user: Mapped[User] = relationship()


class Follow(db.Model):
    """``follower`` sees the profile posts of ``followed`` in the feed."""

    __tablename__ = "follows"
    __table_args__ = (UniqueConstraint("follower_id", "followed_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    follower_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"))
    followed_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"), index=True)
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow)


class Mention(db.Model):
    """``user`` was mentioned in a post (or in a comment on it): the feed's "mentions" filter."""

    __tablename__ = "post_mentions"
    __table_args__ = (UniqueConstraint("user_id", "post_id", "comment_id"),
                      Index("ix_post_mentions_user_post", "user_id", "post_id"))

    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"))
    post_id: Mapped[int] = mapped_column(ForeignKey("posts.id", ondelete="CASCADE"), index=True)
    comment_id: Mapped[int | None] = mapped_column(ForeignKey("comments.id", ondelete="CASCADE"))


class Poll(db.Model):
    """A poll attached to a post: single or multiple choice, optionally closing at a time."""

    __tablename__ = "polls"

    id: Mapped[int] = mapped_column(primary_key=True)
    post_id: Mapped[int] = mapped_column(ForeignKey("posts.id", ondelete="CASCADE"), unique=True)
    multiple: Mapped[bool] = mapped_column(Boolean, default=False)
    closes_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))
    voter_count: Mapped[int] = mapped_column(Integer, default=0)

    post: Mapped[Post] = relationship(back_populates="poll")
    options: Mapped[list["PollOption"]] = relationship(order_by="PollOption.position", lazy="selectin",
                                                        cascade="all, delete-orphan")

    def is_closed(self, now: datetime | None = None) -> bool:
        return self.closes_at is not None and as_utc(self.closes_at) <= (now or utcnow())


class PollOption(db.Model):
    __tablename__ = "poll_options"

    id: Mapped[int] = mapped_column(primary_key=True)
    poll_id: Mapped[int] = mapped_column(ForeignKey("polls.id", ondelete="CASCADE"), index=True)
    label: Mapped[str] = mapped_column(String(200))
    position: Mapped[int] = mapped_column(Integer, default=0)
    vote_count: Mapped[int] = mapped_column(Integer, default=0)


class PollVote(db.Model):
    __tablename__ = "poll_votes"
    __table_args__ = (UniqueConstraint("option_id", "user_id"), Index("ix_poll_votes_poll_user", "poll_id", "user_id"))

    id: Mapped[int] = mapped_column(primary_key=True)
    poll_id: Mapped[int] = mapped_column(ForeignKey("polls.id", ondelete="CASCADE"))
    option_id: Mapped[int] = mapped_column(ForeignKey("poll_options.id", ondelete="CASCADE"))
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"))


class Attachment(db.Model):
    """An uploaded file: stored under a server-made name, its type sniffed from the content.

    ``post_id`` is empty between the upload and the post that uses it (only the uploader sees it then).
    """

    __tablename__ = "attachments"

    id: Mapped[int] = mapped_column(primary_key=True)
    post_id: Mapped[int | None] = mapped_column(ForeignKey("posts.id", ondelete="CASCADE"), index=True)
    uploader_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"), index=True)
    stored_name: Mapped[str] = mapped_column(String(80))
    original_name: Mapped[str] = mapped_column(String(255))
    content_type: Mapped[str] = mapped_column(String(100))
    size: Mapped[int] = mapped_column(Integer)
    thumbnail_name: Mapped[str | None] = mapped_column(String(80))
    width: Mapped[int | None] = mapped_column(Integer)
    height: Mapped[int | None] = mapped_column(Integer)
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow)

    post: Mapped[Post | None] = relationship(back_populates="attachments")

    @property
    def is_image(self) -> bool:
        return self.thumbnail_name is not None
