"""Who may do what with posts. Every decision reads group visibility from ``core.security``.

Rules (documented decisions):

- read: a group post needs the group in ``readable_group_ids`` (public, or member); a profile post is
  readable by every logged-in, active person. Secret groups answer 404 to outsiders, private ones 403.
- post: members (any role) of the group; on a profile only its owner.
- comment, like, vote: whoever may read the post.
- edit: the author only. delete: the author, the group's moderators and owners, and admins.
- pin: the group's moderators and owners, and admins.
- archived groups are read-only for everyone.
"""

from flask_babel import gettext as _

from wilma.core.errors import NotAuthenticated, NotFound, PermissionDenied
from wilma.core.security import can_read_group, can_see_group, group_role, member_roles
from wilma.extensions import db
from wilma.groups.models import MODERATOR, OWNER, Group
from wilma.posts.models import Post


def ensure_user(user) -> None:
    """Only logged-in, active people act or read."""
    if user is None or not getattr(user, "is_authenticated", False) or not getattr(user, "active", False):
        raise NotAuthenticated()


def readable_group(user, group_id) -> Group:
    """The group when ``user`` may read its content; 404 for missing or secret, 403 for private."""
    ensure_user(user)
    group = db.session.get(Group, group_id) if isinstance(group_id, int) else None
    if group is None or group.deleted_at is not None:
        raise NotFound()
    if can_read_group(user, group.id):
        return group
    if not can_see_group(user, group.id):
        raise NotFound()
    raise PermissionDenied(_("Only members of this group can see its posts."))


def ensure_writable(group: Group | None) -> None:
    """Archived groups are read-only."""
    if group is not None and group.archived_at is not None:
        raise PermissionDenied(_("This group is archived and read-only."))


def can_read_post(user, post: Post) -> bool:
    if post.deleted_at is not None:
        return False
    if post.group_id is None:
        return True
    return can_read_group(user, post.group_id)


def readable_post(user, post_id) -> Post:
    """The post when ``user`` may read it, else the error its group would answer with."""
    ensure_user(user)
    post = db.session.get(Post, post_id) if isinstance(post_id, int) else None
    if post is None or post.deleted_at is not None:
        raise NotFound()
    if post.group_id is not None:
        readable_group(user, post.group_id)
    return post


def is_group_moderator(user, group_id: int | None) -> bool:
    if group_id is None:
        return False
    return member_roles(user).get(group_id) in (MODERATOR, OWNER)


def may_post(group: Group, role: str | None) -> bool:
    """Members (any role) of a group that is not archived post in it."""
    return group.archived_at is None and role is not None


def can_post_in(user, group: Group) -> bool:
    return may_post(group, group_role(user, group.id))


def can_delete(user, post_or_comment, group_id: int | None) -> bool:
    return (post_or_comment.author_id == user.id or user.is_admin or is_group_moderator(user, group_id))


def can_pin(user, post: Post) -> bool:
    return post.group_id is not None and (user.is_admin or is_group_moderator(user, post.group_id))
