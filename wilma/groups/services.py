"""Groups: every write and every permission decision about a group itself.

Who may do what (the permission matrix in ``tests/groups`` checks each cell):

- *See a group* (its page, name, description): public and private groups for every logged-in person;
  secret groups only for their members. Everyone else gets ``NotFound``, exactly like a missing id.
  Site admins get no exception on the group pages: a secret group (the staff council's, say) stays
  secret there; the admin area (``wilma.admin``) is where admins manage every group, secret ones included.
- *Read its content* (stream, members, wiki, chat): ``readable_group_ids`` from ``core.security``.
- *Moderate* (settings, invitations, requests, removing members): owners, moderators, and site admins
  for groups they can see. *Owner actions* (roles, archive, delete): owners and site admins.
- *Archived* groups are read-only: ``ensure_writable`` refuses every write in them (posts, wiki, chat,
  joining, invitations, settings); leaving and un-archiving stay possible.

Membership changes live in ``wilma.groups.membership`` and are re-exported here, so other features
import one module: ``from wilma.groups import services``.
"""

import re
import unicodedata

from flask import current_app
from flask_babel import gettext as _
from sqlalchemy import case, func, select
from sqlalchemy.orm import contains_eager

from wilma.core import uploads
from wilma.core.audit import audit
from wilma.core.database import after_commit, commit
from wilma.core.errors import NotAuthenticated, NotFound, PermissionDenied, ValidationError
from wilma.core.markdown import render_markdown
from wilma.core.models import utcnow
from wilma.core.security import (
    can_read_group,
    can_see_group,
    group_role,
    member_group_ids,
    visible_group_ids,
)
from wilma.extensions import db
from wilma.groups.models import MEMBER, MODERATOR, OWNER, VISIBILITIES, Group, GroupMembership

NAME_MAX, DESCRIPTION_MAX, CATEGORY_MAX = 120, 10_000, 80
COLOR_RE = re.compile(r"^#[0-9a-fA-F]{6}$")
IMAGE_AREA = "groups"


def plugin_hook():
    return current_app.extensions["wilma_plugins"].hook


def _logged_in(user) -> bool:
    return user is not None and getattr(user, "is_authenticated", False) and getattr(user, "active", False)


def ensure_user(user) -> None:
    if not _logged_in(user):
        raise NotAuthenticated()


# --- reading and permission decisions ----------------------------------------------------------------------


def get_group_for(user, group_id) -> Group:
    """The group ``user`` may see; ``NotFound`` for missing, deleted and (to outsiders) secret groups."""
    ensure_user(user)
    try:
        group_id = int(group_id)
    except (TypeError, ValueError):
        raise NotFound() from None
    group = db.session.get(Group, group_id)
    if group is None or group.is_deleted or not can_see_group(user, group.id):
        raise NotFound()
    return group


def can_read(user, group) -> bool:
    """May ``user`` read the group's content (stream, members, wiki, chat)?"""
    return group is not None and not group.is_deleted and can_read_group(user, group.id)


def ensure_readable(user, group) -> None:
    """403 for private content (the group's existence is already known to them)."""
    if not can_read(user, group):
        raise PermissionDenied(_("Only members can see the content of this group."))


def role_of(user, group) -> str | None:
    return group_role(user, group.id) if _logged_in(user) else None


def is_member(user, group) -> bool:
    return _logged_in(user) and group.id in member_group_ids(user)


def can_moderate(user, group) -> bool:
    """Owners, moderators, and site admins (for groups they can see) manage a group."""
    return _manages(user, group, (OWNER, MODERATOR))


def can_own(user, group) -> bool:
    """Owners and site admins: roles, archive, delete."""
    return _manages(user, group, (OWNER,))


_ASK = object()


def _manages(user, group, roles: tuple[str, ...], role=_ASK) -> bool:
    if not _logged_in(user) or group.is_deleted:
        return False
    if (role_of(user, group) if role is _ASK else role) in roles:
        return True
    return bool(user.is_admin) and can_see_group(user, group.id)


def abilities(user, group) -> dict:
    """``role``, ``can_read``, ``can_moderate`` and ``can_own`` of ``user`` in ``group``, with one role
    lookup (what every page of a group shows in its header)."""
    role = role_of(user, group)
    return {"role": role, "can_read": can_read(user, group),
            "can_moderate": _manages(user, group, (OWNER, MODERATOR), role),
            "can_own": _manages(user, group, (OWNER,), role)}


def ensure_moderator(user, group) -> None:
    if not can_moderate(user, group):
        raise PermissionDenied(_("Only the group's owners and moderators can do this."))


def ensure_owner(user, group) -> None:
    if not can_own(user, group):
        raise PermissionDenied(_("Only the group's owners can do this."))


def ensure_writable(group) -> None:
    """Refuse writes in an archived group; posts, wiki and chat call this before writing."""
    if group.is_deleted:
        raise NotFound()
    if group.is_archived:
        raise PermissionDenied(_("This group is archived and read-only."))


def list_groups(user, *, query: str = "", mine: bool = False, category: str | None = None,
                after_id: int | None = None, limit: int | None = None) -> list[Group]:
    """Groups ``user`` may see (or is a member of, with ``mine``), filtered by name words and category."""
    ensure_user(user)
    ids = member_group_ids(user) if mine else visible_group_ids(user)
    stmt = select(Group).where(Group.id.in_(ids or {-1}), Group.deleted_at.is_(None))
    for word in (query or "").split()[:5]:
        stmt = stmt.where(func.lower(Group.name).contains(word.lower(), autoescape=True))
    if category:
        stmt = stmt.where(Group.category == category)
    if after_id is not None:  # the API pages by id; pages sort by name
        stmt = stmt.where(Group.id > after_id).order_by(Group.id)
    else:
        stmt = stmt.order_by(func.lower(Group.name), Group.id)
    if limit:
        stmt = stmt.limit(limit)
    return list(db.session.scalars(stmt))


def categories(user) -> list[str]:
    """The categories of the groups ``user`` may see, sorted."""
    ids = visible_group_ids(user)
    rows = db.session.scalars(select(Group.category).where(Group.id.in_(ids or {-1}), Group.category != "")
                              .distinct())
    return sorted(rows, key=str.lower)


def member_counts(group_ids) -> dict[int, int]:
    rows = db.session.execute(select(GroupMembership.group_id, func.count()).where(
        GroupMembership.group_id.in_(list(group_ids) or [-1])).group_by(GroupMembership.group_id))
    return dict(rows.all())


def members(group, limit: int | None = None) -> list[GroupMembership]:
    """Memberships (with their people loaded) ordered owners first, then moderators, then by name.

    With ``limit`` (a preview): the owners and moderators, then members read along the (group, user)
    index rather than sorted by name: sorting a city-wide group's 18,000 members for a dozen faces cost
    more than the rest of the group page. A group smaller than the preview comes out as without limit.
    """
    from wilma.accounts.models import User

    rank = case((GroupMembership.role == OWNER, 0), (GroupMembership.role == MODERATOR, 1), else_=2)
    stmt = (select(GroupMembership).join(User).options(contains_eager(GroupMembership.user))
            .where(GroupMembership.group_id == group.id))
    if not limit:
        return list(db.session.scalars(stmt.order_by(rank, User.display_name, User.id)))
    staff = list(db.session.scalars(stmt.where(GroupMembership.role != MEMBER)
                                     .order_by(rank, User.display_name, User.id).limit(limit)))
    rest = list(db.session.scalars(stmt.where(GroupMembership.role == MEMBER)
                                    .order_by(GroupMembership.user_id).limit(limit - len(staff))))
    return staff + sorted(rest, key=lambda m: (m.user.display_name, m.user.id))


# --- writing -----------------------------------------------------------------------------------------------


def clean_name(value) -> str:
    """Names without control characters or surrounding blanks, 1 to 120 characters."""
    if not isinstance(value, str):
        raise ValidationError(_("Please enter a name."), field="name")
    name = "".join(ch for ch in value if unicodedata.category(ch) != "Cc").strip()
    if not name:
        raise ValidationError(_("Please enter a name."), field="name")
    if len(name) > NAME_MAX:
        raise ValidationError(_("At most %(n)d characters.", n=NAME_MAX), field="name")
    return name


def _clean_text(value, field: str, limit: int) -> str:
    if value is None:
        return ""
    if not isinstance(value, str):
        raise ValidationError(_("'%(key)s' must be a text.", key=field), field=field)
    value = value.replace("\x00", "")
    if len(value) > limit:
        raise ValidationError(_("At most %(n)d characters.", n=limit), field=field)
    return value


def _apply_settings(group: Group, data: dict) -> None:
    if "name" in data:
        group.name = clean_name(data["name"])
    if "description" in data:
        group.description = _clean_text(data["description"], "description", DESCRIPTION_MAX)
        group.description_html = render_markdown(group.description)
    if "visibility" in data:
        if data["visibility"] not in VISIBILITIES:
            raise ValidationError(_("Visibility must be public, private or secret."), field="visibility")
        group.visibility = data["visibility"]
    if "category" in data:
        group.category = _clean_text(data["category"], "category", CATEGORY_MAX).strip()
    if "color" in data and data["color"]:
        if not isinstance(data["color"], str) or not COLOR_RE.match(data["color"]):
            raise ValidationError(_("Colours are written like #0b5cad."), field="color")
        group.color = data["color"].lower()


def _queue_search(group: Group) -> None:
    """Queue the group's search document (in this transaction) when the search feature is installed."""
    try:
        from wilma.search.outbox import queue_index
    except ImportError:
        return
    queue_index(f"groups:{group.id}")


def create_group(user, data: dict) -> Group:
    """Create a group with ``user`` as its owner; ``data`` has name, description, visibility, ..."""
    ensure_user(user)
    group = Group(created_by_id=user.id, description="", description_html="", category="")
    _apply_settings(group, {"visibility": "public", **data})
    db.session.add(group)
    db.session.flush()
    db.session.add(GroupMembership(group_id=group.id, user_id=user.id, role=OWNER))
    from wilma.groups import rooms

    rooms.join_after_commit(user.id, group.id)
    after_commit(lambda: plugin_hook().wilma_group_created(group=group, user=user))
    _queue_search(group)
    commit()
    from wilma.core.security import forget_group_cache

    forget_group_cache()
    return group


def update_group(user, group: Group, data: dict) -> Group:
    """Change the settings (name, description, visibility, category, colour) of a group."""
    ensure_moderator(user, group)
    ensure_writable(group)
    if "visibility" in data and data["visibility"] != group.visibility and not can_own(user, group):
        raise PermissionDenied(_("Only the group's owners can change its visibility."), field="visibility")
    _apply_settings(group, data)
    _queue_search(group)
    commit()
    from wilma.core.security import forget_group_cache

    forget_group_cache()  # the request's sets of public groups follow a visibility change
    return group


def set_image(user, group: Group, data: bytes | None) -> Group:
    """Store a new square group picture (``data`` from an upload), or remove it with ``None``."""
    ensure_moderator(user, group)
    ensure_writable(group)
    old = group.image_file
    group.image_file = uploads.save_square_png(uploads.open_image(data), IMAGE_AREA, 256) if data else None
    after_commit(lambda: uploads.delete_stored(IMAGE_AREA, old))
    commit()
    return group


def archive_group(user, group: Group, archived: bool = True) -> Group:
    """Archive (read-only) or reopen a group; owners and admins."""
    ensure_owner(user, group)
    if bool(group.archived_at) != archived:
        audit("group.archive" if archived else "group.unarchive", actor=user, target=group,
              detail={"visibility": group.visibility})
    group.archived_at = utcnow() if archived else None
    commit()
    return group


def delete_group(user, group: Group) -> None:
    """Soft-delete a group (owners and admins): it answers 404 from now on, its members lose access."""
    ensure_owner(user, group)
    from wilma.groups import rooms

    for membership in group.memberships:
        rooms.leave_after_commit(membership.user_id, group.id)
    group.deleted_at = utcnow()
    audit("group.delete", actor=user, target=group, detail={"visibility": group.visibility})
    _queue_search(group)
    commit()
    from wilma.core.security import forget_group_cache

    forget_group_cache()


def seed_default_groups(definitions: list[dict] | None = None, owner=None, members=()) -> list[Group]:
    """Create the plugins' default groups that are missing (see ``wilma.groups.defaults``)."""
    from wilma.groups.defaults import seed_default_groups as seed

    return seed(definitions, owner=owner, members=members)


from wilma.groups.membership import (  # noqa: E402,F401 - re-exported: other features import one module
    accept_invitation,
    add_or_invite,
    approve_request,
    change_role,
    decline_invitation,
    decline_request,
    invite,
    join,
    leave,
    my_invitations,
    pending_for,
    pending_requests,
    remove_member,
)
