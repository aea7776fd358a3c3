"""Who may read, write and moderate a wiki. Every wiki read and write asks these functions.

- City-wide wiki (``group_id`` None): every logged-in person reads; admins and the editors admins named
  (``WikiEditor``) write; admins delete and restore.
- A group's wiki follows the group: readers are ``readable_group_ids`` (public groups and members),
  writers are members of any role, owners, moderators and admins delete and restore. An archived group's
  wiki is read-only. A group (or page) the person may not read answers 404, exactly like a missing one;
  only a private group's wiki index says 403, because the group's existence is public.
"""

from flask_babel import gettext as _
from sqlalchemy import select

from wilma.core.errors import NotAuthenticated, NotFound, PermissionDenied
from wilma.core.security import can_read_group, can_see_group, group_role, readable_group_ids
from wilma.extensions import db
from wilma.groups.models import MODERATOR, OWNER, Group
from wilma.wiki.models import WikiEditor, WikiPage


def _active(user) -> bool:
    return user is not None and getattr(user, "is_authenticated", False) and getattr(user, "active", False)


def require_user(user) -> None:
    if not _active(user):
        raise NotAuthenticated()


def load_group(user, group_id: int) -> Group:
    """The group whose wiki ``user`` opens: 404 when missing or secret to them, 403 when private."""
    require_user(user)
    group = db.session.get(Group, group_id)
    if group is None or group.deleted_at is not None or not can_see_group(user, group_id):
        raise NotFound()
    if not can_read_group(user, group_id):
        raise PermissionDenied(_("Only members of this group can read its wiki."))
    return group


def can_read(user, group_id: int | None) -> bool:
    if not _active(user):
        return False
    if group_id is None:
        return True
    return can_read_group(user, group_id)


def is_wiki_editor(user) -> bool:
    """Admins and the people admins named editors of the city-wide wiki."""
    if not _active(user):
        return False
    return user.is_admin or db.session.get(WikiEditor, user.id) is not None


def _group(group_id: int) -> Group | None:
    return db.session.get(Group, group_id)


def can_write(user, group_id: int | None) -> bool:
    if not can_read(user, group_id):
        return False
    if group_id is None:
        return is_wiki_editor(user)
    group = _group(group_id)
    if group is None or group.archived_at is not None:
        return False
    return group_role(user, group_id) is not None


def can_moderate(user, group_id: int | None) -> bool:
    """Delete pages into the trash and restore them."""
    if not can_read(user, group_id):
        return False
    if group_id is None:
        return user.is_admin
    group = _group(group_id)
    if group is None or group.archived_at is not None:
        return False
    return user.is_admin or group_role(user, group_id) in (OWNER, MODERATOR)


def ensure_write(user, group_id: int | None) -> None:
    require_user(user)
    if not can_read(user, group_id):
        raise NotFound()
    if not can_write(user, group_id):
        group = _group(group_id) if group_id is not None else None
        if group is not None and group.archived_at is not None:
            raise PermissionDenied(_("This group is archived; its wiki can only be read."))
        raise PermissionDenied(_("You may read this wiki but not edit it."))


def ensure_moderate(user, group_id: int | None) -> None:
    require_user(user)
    if not can_read(user, group_id):
        raise NotFound()
    if not can_moderate(user, group_id):
        raise PermissionDenied(_("Only moderators and admins can delete and restore wiki pages."))


def readable_page(user, page_id: int, *, include_deleted: bool = False, for_update: bool = False) -> WikiPage:
    """The page if ``user`` may read it (404 otherwise, also for pages in the trash). ``for_update``
    locks its row (PostgreSQL), so that two saves at once are serialised and the second one merges."""
    require_user(user)
    page = db.session.get(WikiPage, page_id, with_for_update=for_update or None)
    if page is None or not can_read(user, page.group_id):
        raise NotFound()
    if page.deleted_at is not None and not (include_deleted and can_moderate(user, page.group_id)):
        raise NotFound()
    return page


def readable_wiki_scope(user):
    """A SQL condition on ``WikiPage.group_id`` for every wiki ``user`` may read."""
    readable = readable_group_ids(user)
    return WikiPage.group_id.is_(None) | WikiPage.group_id.in_(readable or {-1})


def editors() -> list:
    return list(db.session.scalars(select(WikiEditor).order_by(WikiEditor.created_at)))
