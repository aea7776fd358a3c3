"""Default groups that enabled plugins ask for (``wilma_default_groups``), created when missing."""

from flask import current_app
from sqlalchemy import select

from wilma.core.database import commit
from wilma.core.markdown import render_markdown
from wilma.extensions import db
from wilma.groups.models import MEMBER, OWNER, VISIBILITIES, Group, GroupMembership
from wilma.groups.services import clean_name


def default_group_specs() -> list[dict]:
    """Every group the enabled plugins declare, in plugin order."""
    specs = []
    for answer in current_app.extensions["wilma_plugins"].hook.wilma_default_groups():
        specs.extend(answer or [])
    return specs


def seed_default_groups(definitions: list[dict] | None = None, owner=None, members=()) -> list[Group]:
    """Create the groups of ``definitions`` (default: every enabled plugin's ``wilma_default_groups``)
    that do not exist yet, matched by name; returns the new ones.

    ``owner`` (optional) becomes their owner and ``members`` their members; without an owner the
    groups are managed by site admins. Runs at start-up (``core.seeding``), in the demo and in
    ``flask wilma groups seed-defaults``.
    """
    created = []
    for spec in default_group_specs() if definitions is None else definitions:
        name = clean_name(spec.get("name", ""))
        if db.session.scalar(select(Group.id).where(Group.name == name, Group.deleted_at.is_(None))):
            continue
        visibility = spec.get("visibility", "public")
        description = spec.get("description", "") or ""
        group = Group(name=name, description=description, description_html=render_markdown(description),
                      visibility=visibility if visibility in VISIBILITIES else "public",
                      category=(spec.get("category") or "")[:80], created_by_id=owner.id if owner else None)
        db.session.add(group)
        db.session.flush()
        if owner is not None:
            db.session.add(GroupMembership(group_id=group.id, user_id=owner.id, role=OWNER))
        for person in members:
            if owner is None or person.id != owner.id:
                db.session.add(GroupMembership(group_id=group.id, user_id=person.id, role=MEMBER))
        created.append(group)
    commit()
    return created
