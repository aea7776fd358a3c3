"""Reading streams: the feed, a group's stream and a person's profile posts.

Every page is built in two steps so that its cost does not grow with the number of posts:

1. pick the ids of the page from an index, newest first, with a keyset cursor ``(created_at, id)``
   (no OFFSET: a page costs the same on page 1 and page 500, and new posts cause no duplicates);
2. load those posts with eager loading (author, group, attachments, poll) plus one query for the
   viewer's likes and one for their poll votes.

HTML pages (``cards=True``) load, in step 2, only a narrow row per post: what a card shows and whether the
viewer likes it (``card_rows``). ``cards.py`` renders those rows from its cache and loads full posts only
for the cards it has to render (see there).

The number of SQL queries per page is therefore the same for 10 and for 50 posts (an HTML page whose
cards all come from the cache needs one query less).
"""

from dataclasses import dataclass, field
from datetime import datetime
from functools import cache

from flask_babel import gettext as _
from sqlalchemy import Integer, bindparam, exists, or_, select, tuple_
from sqlalchemy.orm import joinedload

from wilma.accounts.models import User
from wilma.core.api import decode_cursor, encode_cursor
from wilma.core.errors import ValidationError
from wilma.core.models import as_utc
from wilma.core.security import member_group_ids, readable_group_ids
from wilma.extensions import db
from wilma.groups.models import Group
from wilma.posts import access
from wilma.posts.models import Follow, Like, Mention, Poll, PollVote, Post

FILTERS = ("all", "groups", "mentions")
PAGE_SIZE = 20


@dataclass
class StreamPage:
    """Posts of one page, what the viewer liked and voted, and the cursor of the next page.

    With ``cards=True`` the posts (and pinned) are ``card_rows`` rows, not ``Post`` objects, and ``votes``
    stays empty (``cards.py`` loads the votes of the polls it renders).
    """

    posts: list
    next_cursor: str | None
    liked: set[int] = field(default_factory=set)
    votes: dict[int, set[int]] = field(default_factory=dict)
    pinned: list = field(default_factory=list)


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


@cache
def _ids_select(kind: str, after_cursor: bool):
    """The ids of a page, built once per kind of stream (building this statement per request cost 0.3 ms,
    as much as running it). Parameters: ``user_id``, ``groups`` (a list), ``subject_id`` (the group or
    profile), ``limit`` and, after a cursor, ``t`` and ``i``."""
    user_id = bindparam("user_id", type_=Integer())
    groups = Post.group_id.in_(bindparam("groups", expanding=True))
    if kind == "groups":
        where = groups
    elif kind == "mentions":  # mentions of me, in groups I may read or on profiles
        where = Post.id.in_(select(Mention.post_id).where(Mention.user_id == user_id)) & or_(
            groups, Post.group_id.is_(None))
    elif kind == "all":  # my groups, my profile and the profiles of people I follow
        followed = select(Follow.followed_id).where(Follow.follower_id == user_id)
        where = or_(groups, Post.profile_user_id == user_id, Post.profile_user_id.in_(followed))
    elif kind == "group":
        where = Post.group_id == bindparam("subject_id", type_=Integer())
    elif kind == "profile":
        where = Post.profile_user_id == bindparam("subject_id", type_=Integer())
    else:
        raise ValueError(f"unknown stream {kind!r}")
    stmt = select(Post.id, Post.created_at).where(Post.deleted_at.is_(None), where)
    if after_cursor:
        bound = tuple_(bindparam("t", type_=Post.created_at.type), bindparam("i", type_=Integer()))
        stmt = stmt.where(tuple_(Post.created_at, Post.id) < bound)
    return stmt.order_by(Post.created_at.desc(), Post.id.desc()).limit(bindparam("limit", type_=Integer()))


def _page_ids(kind: str, params: dict, cursor, limit: int) -> list[tuple[int, datetime]]:
    values = {"user_id": None, "groups": [], "subject_id": None, **params, "limit": limit + 1}
    if cursor is not None:
        values["t"], values["i"] = cursor
    return list(db.session.execute(_ids_select(kind, cursor is not None), values).all())


@cache
def _cards_select():
    """Built once: a statement built per request cost more than its query (this one takes ids)."""
    liked = exists().where(Like.user_id == bindparam("user_id"), Like.post_id == Post.id).label("liked")
    return (select(Post.id, Post.created_at, Post.edited_at, Post.pinned_at, Post.like_count, Post.comment_count,
                   Post.group_id, Post.author_id, User.display_name, User.avatar_file,
                   Group.name.label("group_name"), Poll.id.label("poll_id"), liked)
            .join(User, User.id == Post.author_id).outerjoin(Group, Group.id == Post.group_id)
            .outerjoin(Poll, Poll.post_id == Post.id).where(Post.id.in_(bindparam("ids", expanding=True))))


def card_rows(user, ids: list[int]) -> list:
    """What the cards of the posts ``ids`` show, in that order, in one query: the post's card columns, its
    author's name and avatar, its group's name, its poll id and whether ``user`` likes it."""
    rows = {r.id: r for r in db.session.execute(_cards_select(), {"user_id": user.id, "ids": list(ids)})}
    return [rows[i] for i in ids if i in rows]


@cache
def _full_select():
    """Built once (statements are immutable), like the two below."""
    # One statement: the author's unit (joined by default) is not shown on a card, so it is left out;
    # collections are joined too (few posts have files or polls), which measured faster than selectin.
    return select(Post).where(Post.id.in_(bindparam("ids", expanding=True))).options(
        joinedload(Post.author).lazyload(User.org_unit), joinedload(Post.group),
        joinedload(Post.poll).joinedload(Poll.options), joinedload(Post.attachments))


@cache
def _votes_select():
    return select(PollVote.poll_id, PollVote.option_id).where(
        PollVote.user_id == bindparam("user_id"), PollVote.poll_id.in_(bindparam("poll_ids", expanding=True)))


@cache
def _polls_select():
    return select(Poll).where(Poll.id.in_(bindparam("ids", expanding=True))).options(joinedload(Poll.options))


def load_polls(poll_ids: list[int]) -> dict[int, Poll]:
    """Polls with their options by id, in one query (none for a page without polls, the usual page)."""
    if not poll_ids:
        return {}
    return {poll.id: poll for poll in db.session.scalars(_polls_select(), {"ids": list(poll_ids)}).unique()}


def load_full(ids: list[int]) -> list[Post]:
    """Posts by id (in that order) with everything a card shows, in one query."""
    rows = db.session.scalars(_full_select(), {"ids": list(ids)}).unique().all()
    by_id = {p.id: p for p in rows}
    return [by_id[i] for i in ids if i in by_id]


def load_votes(user, poll_ids: list[int]) -> dict[int, set[int]]:
    """The options ``user`` voted for, per poll (one query; none without polls)."""
    votes: dict[int, set[int]] = {}
    if not poll_ids:
        return votes
    for poll_id, option_id in db.session.execute(_votes_select(), {"user_id": user.id, "poll_ids": list(poll_ids)}):
        votes.setdefault(poll_id, set()).add(option_id)
    return votes


def load_posts(user, ids: list[int]) -> tuple[list[Post], set[int], dict[int, set[int]]]:
    """Load posts by id (in that order) with everything a card shows, in a fixed number of queries."""
    posts = load_full(ids)
    liked = set(db.session.scalars(select(Like.post_id).where(Like.user_id == user.id, Like.post_id.in_(ids))))
    votes = load_votes(user, [p.poll.id for p in posts if p.poll is not None])
    return posts, liked, votes


def _stream(user, kind: str, params: dict, cursor_raw: str | None, limit: int, cards: bool = False) -> StreamPage:
    """A page of the stream ``kind`` (see ``_ids_select``) with ``params``."""
    rows = _page_ids(kind, params, parse_cursor(cursor_raw), limit)
    ids = [r[0] for r in rows[:limit]]
    if cards:
        posts = card_rows(user, ids)
        liked, votes = {r.id for r in posts if r.liked}, {}
    else:
        posts, liked, votes = load_posts(user, ids)
    next_cursor = make_cursor(posts[-1]) if len(rows) > limit and posts else None
    return StreamPage(posts=posts, next_cursor=next_cursor, liked=liked, votes=votes)


def feed(user, *, filter: str = "all", cursor: str | None = None, limit: int = PAGE_SIZE,
         cards: bool = False) -> StreamPage:
    """The start page: posts of my groups, profile posts of people I follow and my own.

    Filters: ``all``, ``groups`` (only my groups), ``mentions`` (posts that mention me, in any group I
    may read). Public groups I have not joined stay on their own pages: in a city of tens of thousands
    they would drown the start page (and their ids would make its query slow).
    """
    access.ensure_user(user)
    if filter not in FILTERS:
        raise ValidationError(_("Unknown filter."), field="filter")
    groups = readable_group_ids(user) if filter == "mentions" else member_group_ids(user)
    return _stream(user, filter, {"user_id": user.id, "groups": sorted(groups) or [-1]}, cursor, limit, cards)


def group_stream(user, group_id: int, *, cursor: str | None = None, limit: int = PAGE_SIZE,
                 cards: bool = False) -> StreamPage:
    """A group's posts, newest first; on the first page the pinned posts come separately, on top."""
    group = access.readable_group(user, group_id)
    page = _stream(user, "group", {"subject_id": group.id}, cursor, limit, cards)
    if cursor is None:
        pinned_ids = list(db.session.scalars(select(Post.id).where(
            Post.group_id == group.id, Post.deleted_at.is_(None), Post.pinned_at.is_not(None))
            .order_by(Post.pinned_at.desc(), Post.id.desc()).limit(5)))
        if pinned_ids and cards:
            page.pinned = card_rows(user, pinned_ids)
            page.liked |= {r.id for r in page.pinned if r.liked}
        elif pinned_ids:
            page.pinned, liked, votes = load_posts(user, pinned_ids)
            page.liked |= liked
            page.votes.update(votes)
        page.posts = [p for p in page.posts if p.id not in set(pinned_ids)]
    return page


def profile_stream(user, person_id: int, *, cursor: str | None = None, limit: int = PAGE_SIZE,
                   cards: bool = False) -> StreamPage:
    """The posts on a person's profile."""
    access.ensure_user(user)
    return _stream(user, "profile", {"subject_id": person_id}, cursor, limit, cards)
