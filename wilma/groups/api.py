"""``/api/v1/groups``: thin JSON routes over ``groups.services``.

Secret groups answer 404 to outsiders on every route, exactly like a missing id; content-only routes
(the member list) answer 403 to non-members of private groups.
"""

from flask import request, url_for
from flask_login import current_user

from wilma.accounts.api import user_json
from wilma.core.api import api_bp, decode_cursor, encode_cursor, json_body, page, page_limit
from wilma.core.errors import ValidationError
from wilma.core.security import require_login
from wilma.groups import services
from wilma.groups.limits import limit_create, limit_join

SETTINGS = ("name", "description", "visibility", "category", "color")


def group_json(group, *, count: int | None = None) -> dict:
    """A group as the API shows it, with the caller's role in it."""
    if count is None:
        count = services.member_counts([group.id]).get(group.id, 0)
    return {
        "id": group.id,
        "name": group.name,
        "description": group.description,
        "html": group.description_html,
        "visibility": group.visibility,
        "category": group.category,
        "color": group.color,
        "image_url": url_for("groups.image", group_id=group.id) if group.image_file else None,
        "archived": group.is_archived,
        "member_count": count,
        "role": services.role_of(current_user, group),
        "can_read": services.can_read(current_user, group),
        "url": url_for("groups.show", group_id=group.id),
        "created_at": group.created_at.isoformat() if group.created_at else None,
    }


def membership_json(membership) -> dict:
    return {**user_json(membership.user), "user_id": membership.user_id, "role": membership.role,
            "joined_at": membership.joined_at.isoformat() if membership.joined_at else None}


@api_bp.get("/groups")
@require_login
def list_groups():
    cursor = decode_cursor(request.args.get("cursor"))
    limit = page_limit()
    after = cursor.get("after") if cursor else None
    if after is not None and not isinstance(after, int):
        raise ValidationError("The cursor is not valid.", field="cursor")
    groups = services.list_groups(current_user, query=request.args.get("q", "")[:120],
                                  mine=request.args.get("mine") in ("1", "true"),
                                  category=request.args.get("category") or None,
                                  after_id=after or 0, limit=limit + 1)
    more = len(groups) > limit
    groups = groups[:limit]
    counts = services.member_counts([g.id for g in groups])
    next_cursor = encode_cursor({"after": groups[-1].id}) if more and groups else None
    return page([group_json(g, count=counts.get(g.id, 0)) for g in groups], next_cursor)


@api_bp.post("/groups")
@require_login
@limit_create
def create_group():
    data = json_body()
    group = services.create_group(current_user, {k: data[k] for k in SETTINGS if k in data})
    return group_json(group), 201


@api_bp.get("/groups/<int:group_id>")
@require_login
def get_group(group_id: int):
    return group_json(services.get_group_for(current_user, group_id))


@api_bp.patch("/groups/<int:group_id>")
@require_login
def update_group(group_id: int):
    """Settings; ``{"archived": true|false}`` archives or reopens (owners and admins)."""
    group = services.get_group_for(current_user, group_id)
    data = json_body()
    if "archived" in data:
        if not isinstance(data["archived"], bool):
            raise ValidationError("'archived' must be true or false.", field="archived")
        services.archive_group(current_user, group, data["archived"])
    settings = {k: data[k] for k in SETTINGS if k in data}
    if settings or "archived" not in data:
        services.update_group(current_user, group, settings)
    return group_json(group)


@api_bp.delete("/groups/<int:group_id>")
@require_login
def delete_group(group_id: int):
    services.delete_group(current_user, services.get_group_for(current_user, group_id))
    return "", 204


@api_bp.get("/groups/<int:group_id>/members")
@require_login
def list_members(group_id: int):
    group = services.get_group_for(current_user, group_id)
    services.ensure_readable(current_user, group)
    return page([membership_json(m) for m in services.members(group)], None)


@api_bp.get("/groups/<int:group_id>/requests")
@require_login
def list_requests(group_id: int):
    """Open requests to join and open invitations (owners, moderators and admins)."""
    group = services.get_group_for(current_user, group_id)
    services.ensure_moderator(current_user, group)
    items = services.pending_requests(group) + services.pending_requests(group, "invite")
    return page([{**user_json(r.user), "user_id": r.user_id, "kind": r.kind,
                  "created_at": r.created_at.isoformat()} for r in items], None)


@api_bp.post("/groups/<int:group_id>/members")
@require_login
def add_member(group_id: int):
    """``{user_id}``: approve that person's request, or invite them (moderators)."""
    group = services.get_group_for(current_user, group_id)
    data = json_body()
    state = services.add_or_invite(current_user, group, data.get("user_id"))
    return {"user_id": data.get("user_id"), "status": state}, 201


@api_bp.patch("/groups/<int:group_id>/members/<int:user_id>")
@require_login
def change_role(group_id: int, user_id: int):
    """``{role}``: owner, moderator or member (owners and admins)."""
    group = services.get_group_for(current_user, group_id)
    role = json_body().get("role")
    membership = services.change_role(current_user, group, user_id, role)
    return membership_json(membership)


@api_bp.delete("/groups/<int:group_id>/members/<int:user_id>")
@require_login
def remove_member(group_id: int, user_id: int):
    """Remove a member, decline a request or withdraw an invitation; one's own id means leaving."""
    if user_id == current_user.id:
        services.leave(current_user, group_id)
        return "", 204
    services.remove_member(current_user, services.get_group_for(current_user, group_id), user_id)
    return "", 204


@api_bp.post("/groups/<int:group_id>/join")
@require_login
@limit_join
def join_group(group_id: int):
    """Join a public group, accept an invitation, or request to join a private group."""
    state = services.join(current_user, group_id)
    return {"status": state}, 200 if state == "member" else 202


@api_bp.post("/groups/<int:group_id>/leave")
@require_login
def leave_group(group_id: int):
    services.leave(current_user, group_id)
    return "", 204
