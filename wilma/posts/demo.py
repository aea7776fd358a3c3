"""Demo posts: a few in the demo groups (when the groups feature made some), comments, likes, a poll."""

from datetime import timedelta

from sqlalchemy import select

from wilma.core.database import commit
from wilma.core.models import utcnow
from wilma.extensions import db
from wilma.groups.models import Group
from wilma.posts import polls, services
from wilma.posts.models import Post

POSTS = [
    ("anna", "Willkommen in **WILMA**! Hier teilen wir Neuigkeiten aus der Verwaltung. @ben, magst du das "
             "neue Intranet-Team vorstellen?"),
    ("ben", "Das Intranet-Team: @anna, @dora und ich. Fragen gern hier in den Kommentaren."),
    ("noah", "Neue Fahrradabstellanlage am Rathaus ist fertig 🚲 – Rückmeldungen willkommen."),
    ("felix", "Die Azubis des neuen Jahrgangs sind da. Sagt hallo!"),
    ("katrin", "Pressemitteilung zum Bürgerfest ist raus: https://example.org/presse"),
]
COMMENTS = [("clara", "Super, danke!"), ("emma", "Sehr schön 👍"), ("ida", "Gern mehr davon.")]
LIKERS = ["clara", "deniz", "emma", "greta", "hannes"]


def _groups() -> list[Group]:
    return list(db.session.scalars(select(Group).where(Group.deleted_at.is_(None), Group.archived_at.is_(None))
                                   .order_by(Group.id).limit(len(POSTS))))


def _ensure_member(group: Group, user) -> None:
    from wilma.groups.models import GroupMembership

    exists = db.session.scalar(select(GroupMembership.id).where(GroupMembership.group_id == group.id,
                                                                 GroupMembership.user_id == user.id))
    if exists is None:
        db.session.add(GroupMembership(group_id=group.id, user_id=user.id, role="member"))
        db.session.flush()
        from wilma.core.security import forget_group_cache

        forget_group_cache()


def load(people: dict, echo) -> None:
    """Posts in the demo groups (or on profiles when there are no groups), comments, likes and a poll."""
    if db.session.scalar(select(Post.id).limit(1)):
        return
    groups = _groups()
    created = []
    for index, (username, body) in enumerate(POSTS):
        author = people.get(username)
        if author is None:
            continue
        group = groups[index % len(groups)] if groups else None
        if group is not None:
            _ensure_member(group, author)
            commit()
        post = services.create_post(author, body=body, group_id=group.id if group else None)
        post.created_at = utcnow() - timedelta(hours=len(POSTS) - index)
        created.append(post)
    commit()
    for post in created[:3]:
        for username, text in COMMENTS:
            if username in people and (post.group is None or post.group.visibility == "public"):
                services.add_comment(people[username], post.id, body=text)
        for username in LIKERS:
            if username in people and (post.group is None or post.group.visibility == "public"):
                services.like_post(people[username], post.id)
    author = people.get("anna")
    if author is not None:
        group = groups[0] if groups else None
        poll_post = services.create_post(
            author, body="Wann sollen wir das nächste Team-Frühstück machen?",
            group_id=group.id if group else None,
            poll={"options": ["Montag", "Mittwoch", "Freitag"], "multiple": False,
                  "closes_at": (utcnow() + timedelta(days=7)).isoformat()})
        for username, choice in (("ben", 0), ("dora", 2), ("clara", 2)):
            if username in people and (group is None or group.visibility == "public"):
                polls.vote(people[username], poll_post.poll.id, [poll_post.poll.options[choice].id])
    echo(f"Demo posts: {len(created) + 1} posts with comments, likes and a poll.")
