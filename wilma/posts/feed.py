"""Reading streams: the feed, a group's stream and a person's profile posts.

Every page is built in two steps so that its cost does not grow with the number of posts:

1. pick the ids of the page from an index, newest first, with a keyset cursor ``(created_at, id)``
   (no OFFSET: a page costs the same on page 1 and page 500, and new posts cause no duplicates);
2. load those posts with eager loading (author, group, attachments, poll) plus one query for the
   viewer's likes and one for their poll votes.

The number of SQL queries per page is therefore the same for 10 and for 50 posts.
"""

from dataclasses import dataclass, field
from datetime import datetime

from flask_babel import gettext as _
from sqlalchemy import Integer, literal, or_, select, tuple_
from sqlalchemy.orm import joinedload

from wilma.accounts.models import User
from wilma.core.api import decode_cursor, encode_cursor
from wilma.core.errors import ValidationError
from wilma.core.models import as_utc
from wilma.core.security import member_group_ids, readable_group_ids
from wilma.extensions import db
from wilma.posts import access
from wilma.posts.models import Follow, Like, Mention, Poll, PollVote, Post

FILTERS = ("all", "groups", "mentions")
PAGE_SIZE = 20


@dataclass
class StreamPage:
    """Posts of one page, what the viewer liked and voted, and the cursor of the next page."""

    posts: list[Post]
    next_cursor: str | None
    liked: set[int] = field(default_factory=set)
    votes: dict[int, set[int]] = field(default_factory=dict)
    pinned: list[Post] = field(default_factory=list)


def parse_cursor(raw: str | None) -> tuple[datetime, int] | None:
    value = decode_cursor(raw)
    if value is None:
        return None
    try:
        return as_utc(datetime.fromisoformat(value["t"])), int(value["i"])
    except (KeyError, TypeError, ValueError):
        raise ValidationError(_("The cursor is not valid."), field="cursor") from None


def make_cursor(post: Post) -> str:
    return encode_cursor({"t": as_utc(post.created_at).isoformat(), "i": post.id})


def _page_ids(where, cursor, limit: int) -> list[tuple[int, datetime]]:
    stmt = select(Post.id, Post.created_at).where(Post.deleted_at.is_(None), *where)
    if cursor is not None:
        bound = tuple_(literal(cursor[0], Post.created_at.type), literal(cursor[1], Integer()))
        stmt = stmt.where(tuple_(Post.created_at, Post.id) < bound)
    stmt = stmt.order_by(Post.created_at.desc(), Post.id.desc()).limit(limit + 1)
    return list(db.session.execute(stmt).all())


def load_posts(user, ids: list[int]) -> tuple[list[Post], set[int], dict[int, set[int]]]:
    """Load posts by id (in that order) with everything a card shows, in a fixed number of queries."""
    rows = db.session.scalars(
        select(Post).where(Post.id.in_(ids or [-1])).options(
            # One statement: the author's unit (joined by default) is not shown on a card, so it is left out;
            # collections are joined too (few posts have files or polls), which measured faster than
            # selectin loading here.
            joinedload(Post.author).lazyload(User.org_unit), joinedload(Post.group),
            joinedload(Post.poll).joinedload(Poll.options), joinedload(Post.attachments))).unique().all()
    by_id = {p.id: p for p in rows}
    posts = [by_id[i] for i in ids if i in by_id]
    liked = set(db.session.scalars(select(Like.post_id).where(Like.user_id == user.id,
                                                              Like.post_id.in_(ids or [-1]))))
    poll_ids = [p.poll.id for p in posts if p.poll is not None]
    votes: dict[int, set[int]] = {}
    for poll_id, option_id in db.session.execute(select(PollVote.poll_id, PollVote.option_id).where(
            PollVote.user_id == user.id, PollVote.poll_id.in_(poll_ids or [-1]))):
        votes.setdefault(poll_id, set()).add(option_id)
    return posts, liked, votes


def _stream(user, where, cursor_raw: str | None, limit: int) -> StreamPage:
    rows = _page_ids(where, parse_cursor(cursor_raw), limit)
    more = len(rows) > limit
    ids = [r[0] for r in rows[:limit]]
    posts, liked, votes = load_posts(user, ids)
    next_cursor = make_cursor(posts[-1]) if more and posts else None
    return StreamPage(posts=posts, next_cursor=next_cursor, liked=liked, votes=votes)


def feed(user, *, filter: str = "all", cursor: str | None = None, limit: int = PAGE_SIZE) -> StreamPage:
    """The start page: posts of readable groups, profile posts of people I follow and my own.

    Filters: ``all``, ``groups`` (only groups I am a member of), ``mentions`` (posts that mention me).
    """
    access.ensure_user(user)
    if filter not in FILTERS:
        raise ValidationError(_("Unknown filter."), field="filter")
    readable = readable_group_ids(user)
    if filter == "groups":
        where = [Post.group_id.in_(member_group_ids(user) or {-1})]
    else:
        followed = select(Follow.followed_id).where(Follow.follower_id == user.id)
        profiles = or_(Post.profile_user_id == user.id, Post.profile_user_id.in_(followed))
        where = [or_(Post.group_id.in_(readable or {-1}), profiles)]
        if filter == "mentions":
            mentioned = select(Mention.post_id).where(Mention.user_id == user.id)
            where = [Post.id.in_(mentioned), or_(Post.group_id.in_(readable or {-1}), Post.group_id.is_(None))]
    return _stream(user, where, cursor, limit)


def group_stream(user, group_id: int, *, cursor: str | None = None, limit: int = PAGE_SIZE) -> StreamPage:
    """A group's posts, newest first; on the first page the pinned posts come separately, on top."""
    group = access.readable_group(user, group_id)
    page = _stream(user, [Post.group_id == group.id], cursor, limit)
    if cursor is None:
        pinned_ids = list(db.session.scalars(select(Post.id).where(
            Post.group_id == group.id, Post.deleted_at.is_(None), Post.pinned_at.is_not(None))
            .order_by(Post.pinned_at.desc()).limit(5)))
        if pinned_ids:
            page.pinned, liked, votes = load_posts(user, pinned_ids)
            page.liked |= liked
            page.votes.update(votes)
            page.posts = [p for p in page.posts if p.id not in set(pinned_ids)]
    return page


def profile_stream(user, person_id: int, *, cursor: str | None = None, limit: int = PAGE_SIZE) -> StreamPage:
    """The posts on a person's profile."""
    access.ensure_user(user)
    return _stream(user, [Post.profile_user_id == person_id], cursor, limit)
