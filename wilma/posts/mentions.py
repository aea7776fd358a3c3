"""@mentions: find them in text, decide who may be notified, and suggest people to mention.

A mention of someone who cannot read the group notifies no one and is not stored. Suggestions only
name people who can read the group; for a secret group a non-member gets the same 404 as for a group
that does not exist.
"""

import re

from sqlalchemy import func, or_, select

from wilma.accounts.models import User
from wilma.extensions import db
from wilma.groups.models import PUBLIC, GroupMembership
from wilma.posts.access import ensure_user, readable_group
from wilma.posts.models import Mention

MENTION_RE = re.compile(r"(?<![\w@./])@([a-z0-9][a-z0-9._-]{1,79})", re.IGNORECASE)
MAX_MENTIONS = 50


def mentioned_usernames(text: str) -> list[str]:
    """Usernames written as ``@name`` (lower-case, in order, without repeats; trailing dots dropped)."""
    seen: list[str] = []
    for match in MENTION_RE.finditer(text or ""):
        name = match.group(1).lower().rstrip(".-_")
        if name and name not in seen:
            seen.append(name)
    return seen[:MAX_MENTIONS]


def mentioned_users(text: str, group_id: int | None) -> list[User]:
    """Active people mentioned in ``text`` who may read ``group_id`` (everyone for profile posts)."""
    from wilma.core.security import can_read_group

    names = mentioned_usernames(text)
    if not names:
        return []
    people = db.session.scalars(select(User).where(User.username.in_(names), User.active.is_(True)))
    return [p for p in people if group_id is None or can_read_group(p, group_id)]


def record_mentions(people: list[User], *, post_id: int, comment_id: int | None = None) -> None:
    for person in people:
        db.session.add(Mention(user_id=person.id, post_id=post_id, comment_id=comment_id))


def suggest(user, *, group_id: int | None, query: str, limit: int = 8) -> list[User]:
    """People whose name or username starts a word with ``query`` and who can read the group."""
    ensure_user(user)
    stmt = select(User).where(User.active.is_(True))
    if group_id is not None:
        group = readable_group(user, group_id)
        if group.visibility != PUBLIC:
            members = select(GroupMembership.user_id).where(GroupMembership.group_id == group.id)
            stmt = stmt.where(User.id.in_(members))
    word = (query or "").strip().lower().lstrip("@")[:80]
    if word:
        like = f"{word}%"
        stmt = stmt.where(or_(func.lower(User.username).like(like), func.lower(User.display_name).like(like),
                              func.lower(User.display_name).like(f"% {word}%")))
    return list(db.session.scalars(stmt.order_by(User.display_name, User.id).limit(limit)))
