"""Data protection: a person's data as a ZIP, and pseudonymising a person who has left.

Pseudonymising keeps the row (so posts, comments and wiki revisions keep an author) but removes the
person: the name becomes "Former employee" (in the installation's language), the username
``former-<id>``; e-mail, phone, room, about text, picture, extra profile fields, tokens, sessions,
memberships and notifications are removed, and the account is inactive, so it no longer appears in the
directory, in search, in mentions or in the organisation tree. Features with other personal data that is
not content register an eraser::

    from wilma.admin.privacy import register_eraser
    register_eraser("chat_presence", lambda user: ChatPresence.query.filter_by(user_id=user.id).delete())

The audit log keeps its username snapshots: it is the security record of who did what (kept for the
installation's retention period), not a place where the person is shown to colleagues.
"""

import io
import json
import logging
import zipfile
from collections.abc import Callable

from flask import current_app
from flask_babel import force_locale
from flask_babel import gettext as _
from sqlalchemy import delete

from wilma.accounts import services as accounts
from wilma.accounts.models import AccessToken, ProfileExtra, User
from wilma.admin.audit import record_audit
from wilma.admin.export import collect_user_data, collect_user_files
from wilma.admin.services import queue_search_update
from wilma.core import uploads
from wilma.core.database import after_commit, commit
from wilma.core.errors import ValidationError
from wilma.core.security import ensure_admin
from wilma.extensions import db

logger = logging.getLogger("wilma.admin")
FORMER_SOURCE = "former"
_ERASERS: dict[str, Callable] = {}


def register_eraser(name: str, fn: Callable) -> None:
    """``fn(user)`` deletes a feature's personal (non-content) data of ``user`` in the open transaction."""
    _ERASERS[name] = fn


def is_former(user: User) -> bool:
    return user.auth_source == FORMER_SOURCE


# Used only while a catalogue lacks the entry: the stored name must be right from the first day.
FORMER_NAME_FALLBACK = {"de": "Ehemalige/r Mitarbeiter/in"}


def former_employee_name() -> str:
    """"Former employee" in the installation's default language (the name is stored, not rendered)."""
    locale = current_app.config.get("WILMA_DEFAULT_LOCALE", "de")
    with force_locale(locale):
        name = _("Former employee")
    if name == "Former employee":
        name = FORMER_NAME_FALLBACK.get(locale, name)
    return name


def _erase_core_data(user: User) -> None:
    from wilma.groups.models import GroupMembership, GroupRequest
    from wilma.notifications.models import DigestPreference, Notification, NotificationSetting

    for model, column in ((ProfileExtra, ProfileExtra.user_id), (AccessToken, AccessToken.user_id),
                          (GroupMembership, GroupMembership.user_id), (GroupRequest, GroupRequest.user_id),
                          (Notification, Notification.recipient_id),
                          (NotificationSetting, NotificationSetting.user_id),
                          (DigestPreference, DigestPreference.user_id)):
        db.session.execute(delete(model).where(column == user.id))


def _free_former_username(user: User) -> str:
    from secrets import token_hex

    from sqlalchemy import select

    name = f"former-{user.id}"
    if db.session.scalar(select(User.id).where(User.username == name, User.id != user.id)):
        name = f"former-{user.id}-{token_hex(3)}"  # someone really is called former-<id>
    return name


def pseudonymise_user(admin, user: User, *, confirm: str) -> None:
    """Turn ``user`` into "Former employee"; ``confirm`` must repeat the username (a typed confirmation)."""
    ensure_admin(admin)
    if user.id == admin.id:
        raise ValidationError(_("You cannot do this to your own account."))
    if is_former(user):
        raise ValidationError(_("This account has already been pseudonymised."))
    if (confirm or "").strip().lower() != user.username:
        raise ValidationError(_("Type the username to confirm."), field="confirm")
    record_audit("user.delete", target=user, actor=admin, commit=False, detail={"mode": "pseudonymise"})
    avatar = user.avatar_file
    accounts.end_sessions(user)
    _erase_core_data(user)
    for name, eraser in _ERASERS.items():
        logger.info("erasing %s of user %s", name, user.id)
        eraser(user)
    user.username = _free_former_username(user)
    user.display_name = former_employee_name()
    user.email = None
    user.password_hash = None
    for field in ("job_title", "phone", "room", "about", "about_html"):
        setattr(user, field, "")
    user.avatar_file = None
    user.org_unit_id = None
    user.locale = None
    user.is_admin = False
    user.active = False
    user.auth_source = FORMER_SOURCE
    user.last_login_at = None
    queue_search_update(f"people:{user.id}")
    after_commit(lambda: uploads.delete_stored("avatars", avatar))
    commit()


def _json_default(value):
    if hasattr(value, "isoformat"):
        return value.isoformat()
    return str(value)


def export_archive(user: User) -> bytes:
    """The person's data as a ZIP: ``wilma-data.json`` plus their files; recorded as ``data.export``."""
    data = collect_user_data(user)
    buffer = io.BytesIO()
    names = []
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("wilma-data.json", json.dumps(data, default=_json_default, ensure_ascii=False,
                                                       indent=2))
        for arcname, path in collect_user_files(user):
            safe = "files/" + arcname.replace("\\", "/").lstrip("/").replace("../", "")
            try:
                archive.write(path, safe)
            except OSError:
                logger.warning("file %s for the export of user %s is missing", arcname, user.id)
                continue
            names.append(safe)
    record_audit("data.export", target=user, actor=user, detail={"parts": sorted(k for k in data
                                                                               if isinstance(data[k], dict | list)),
                                                                 "files": len(names)})
    return buffer.getvalue()
