"""The registry of personal-data exporters for the DSGVO download (Art. 15 and 20 GDPR).

Each feature says what it holds about a person::

    from wilma.admin.export import register_exporter

    def export_posts(user) -> list[dict]:
        return [{"id": p.id, "body": p.body, "created_at": p.created_at} for p in posts_by(user)]

    register_exporter("posts", export_posts)
    register_exporter("post_images", files=lambda user: [("posts/12.png", "/path/to/12.png")])

A feature puts these lines into its own ``wilma/<feature>/export.py``; ``collect_user_data`` imports that
module of every installed feature, so nothing else has to. ``fn(user)`` returns JSON-able data (dates are
written as ISO 8601); ``files(user)`` yields ``(name in the ZIP, path on disk)``. Accounts and groups are
registered below.
"""

import logging
from collections.abc import Callable, Iterable

from sqlalchemy import select

from wilma.core.models import utcnow

logger = logging.getLogger("wilma.admin")
_DATA: dict[str, Callable] = {}
_FILES: dict[str, Callable] = {}


def register_exporter(name: str, fn: Callable | None = None, *, files: Callable | None = None) -> None:
    """Register (or replace) the exporter ``name``: ``fn(user)`` for data, ``files(user)`` for files."""
    if fn is not None:
        _DATA[name] = fn
    if files is not None:
        _FILES[name] = files


def _load_feature_exporters() -> None:
    from wilma import import_feature_module, installed_features

    for feature in installed_features():
        if feature != "admin":
            import_feature_module(feature, "export")


def collect_user_data(user) -> dict:
    """Everything the registered exporters know about ``user``, by exporter name."""
    _load_feature_exporters()
    data = {"format": "wilma-personal-data/1", "generated_at": utcnow().isoformat(), "user_id": user.id}
    for name in sorted(_DATA):
        try:
            data[name] = _DATA[name](user)
        except Exception:  # one broken exporter must not hide the rest of a person's data
            logger.exception("personal data exporter %s failed", name)
            data[name] = {"error": "This part could not be exported; the administrators have been told."}
    return data


def collect_user_files(user) -> Iterable[tuple[str, str]]:
    """``(name in the ZIP, path)`` of every file the registered exporters list for ``user``."""
    _load_feature_exporters()
    for name in sorted(_FILES):
        try:
            yield from _FILES[name](user)
        except Exception:
            logger.exception("personal file exporter %s failed", name)


# --- the core's own exporters ----------------------------------------------------------------------------


def export_account(user) -> dict:
    """Profile, extra profile fields, sessions and API tokens (labels and dates, never hashes)."""
    from wilma.accounts.models import AccessToken, UserSession
    from wilma.accounts.services import extra_fields
    from wilma.extensions import db

    sessions = db.session.scalars(select(UserSession).where(UserSession.user_id == user.id))
    tokens = db.session.scalars(select(AccessToken).where(AccessToken.user_id == user.id))
    return {
        "profile": {
            "username": user.username, "email": user.email, "display_name": user.display_name,
            "job_title": user.job_title, "org_unit": user.org_unit.name if user.org_unit else None,
            "phone": user.phone, "room": user.room, "about": user.about, "locale": user.locale,
            "is_admin": user.is_admin, "active": user.active, "auth_source": user.auth_source,
            "created_at": user.created_at, "last_login_at": user.last_login_at,
        },
        "extra_fields": extra_fields(user),
        "sessions": [{"created_at": s.created_at, "last_seen_at": s.last_seen_at, "ip": s.ip,
                      "user_agent": s.user_agent} for s in sessions],
        "api_tokens": [{"name": t.name, "starts_with": t.prefix, "created_at": t.created_at,
                        "last_used_at": t.last_used_at} for t in tokens],
    }


def export_avatar(user) -> list[tuple[str, str]]:
    from wilma.core import uploads

    if not user.avatar_file:
        return []
    path = uploads.path_for("avatars", user.avatar_file)
    return [("avatar.png", str(path))] if path.exists() else []


def export_groups(user) -> dict:
    """Group memberships with role, and open requests and invitations."""
    from wilma.extensions import db
    from wilma.groups.models import Group, GroupMembership, GroupRequest

    memberships = db.session.execute(select(GroupMembership, Group).join(Group).where(
        GroupMembership.user_id == user.id).order_by(GroupMembership.joined_at))
    requests = db.session.execute(select(GroupRequest, Group).join(Group, GroupRequest.group_id == Group.id)
                                  .where(GroupRequest.user_id == user.id))
    return {
        "memberships": [{"group_id": g.id, "group": g.name, "role": m.role, "joined_at": m.joined_at}
                        for m, g in memberships],
        "requests_and_invitations": [{"group_id": g.id, "group": g.name, "kind": r.kind,
                                      "created_at": r.created_at} for r, g in requests],
    }


register_exporter("account", export_account, files=export_avatar)
register_exporter("groups", export_groups)
