"""Socket.IO for posts: which rooms a connecting socket joins for live feed announcements.

Members' sockets are in ``group:<id>`` (the groups feature joins and leaves them on membership
changes). People who read a *public* group without being members join ``group:<id>:readers`` here, so
that their feed hears about new posts there too. Announcements carry only ``{group_id, post_id}``;
the browser loads the post through the API, which checks permission again.
"""

from flask_socketio import join_room
from sqlalchemy import select

from wilma.core.realtime import on_socket_connect
from wilma.core.security import member_group_ids
from wilma.extensions import db
from wilma.groups.models import PUBLIC, Group


def readers_room(group_id: int) -> str:
    return f"group:{group_id}:readers"


def public_group_ids() -> set[int]:
    return set(db.session.scalars(select(Group.id).where(Group.visibility == PUBLIC, Group.deleted_at.is_(None))))


@on_socket_connect
def join_reader_rooms(user) -> None:
    """Join the members' rooms and, for public groups one is not a member of, their readers' rooms."""
    members = member_group_ids(user)
    for group_id in members:
        join_room(f"group:{group_id}")
    for group_id in public_group_ids() - members:
        join_room(readers_room(group_id))
