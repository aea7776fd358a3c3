"""``/api/v1/me`` and the people directory."""

from flask import url_for
from flask_babel import gettext as _
from flask_login import current_user

from wilma.accounts import services
from wilma.accounts.models import User
from wilma.accounts.people_search import sort_key
from wilma.core.api import api_bp, decode_cursor, encode_cursor, page, page_limit
from wilma.core.errors import ValidationError
from wilma.core.security import require_login


def user_json(user: User, *, full: bool = False) -> dict:
    data = {
        "id": user.id,
        "username": user.username,
        "display_name": user.display_name,
        "job_title": user.job_title,
        "org_unit": {"id": user.org_unit.id, "name": user.org_unit.name} if user.org_unit else None,
        "avatar_url": url_for("accounts.avatar", user_id=user.id) if user.avatar_file else None,
        "active": user.active,
    }
    if full:
        data.update({"email": user.email, "phone": user.phone, "room": user.room,
                     "about": user.about, "about_html": user.about_html,
                     "extra": services.extra_fields(user)})
    return data


@api_bp.get("/me")
@require_login
def me():
    data = user_json(current_user, full=True)
    data.update({"is_admin": current_user.is_admin, "locale": current_user.locale})
    return data


@api_bp.get("/users")
@require_login
def list_users():
    from flask import request

    cursor = decode_cursor(request.args.get("cursor"))
    limit = page_limit()
    after = None
    if cursor is not None:
        after = cursor.get("after")
        if not (isinstance(after, list) and len(after) == 2 and isinstance(after[0], str)
                and isinstance(after[1], int)):
            raise ValidationError(_("The cursor is not valid."), field="cursor")
    people = services.search_people(request.args.get("q", "")[:200], limit=limit + 1, after=after)
    more = len(people) > limit
    people = people[:limit]
    next_cursor = encode_cursor({"after": list(sort_key(people[-1]))}) if more and people else None
    return page([user_json(p) for p in people], next_cursor)


@api_bp.get("/users/<int:user_id>")
@require_login
def get_user(user_id: int):
    return user_json(services.get_user(user_id), full=True)
