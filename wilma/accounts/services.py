"""Every write and permission decision about accounts: create, log in, sessions, passwords, profiles.

Sessions live on the server (``UserSession``): the cookie only names one. Ending a session deletes its
row and cuts off its open sockets, so logout everywhere, a password change and deactivation take effect
on the next request of every other browser, and at once for open sockets.
"""

import hashlib
import hmac
import logging
import re
import secrets
from datetime import UTC, timedelta
from functools import cache

from flask import current_app, request, session
from flask_babel import gettext as _
from sqlalchemy import bindparam, or_, select
from sqlalchemy.exc import SQLAlchemyError
from sqlalchemy.orm import joinedload
from werkzeug.security import check_password_hash, generate_password_hash

from wilma.accounts.models import AccessToken, OrgUnit, ProfileExtra, User, UserSession
from wilma.accounts.people_search import search_people  # noqa: F401 - part of the services API
from wilma.core import realtime, uploads
from wilma.core.database import after_commit, commit
from wilma.core.errors import NotFound, PermissionDenied, ValidationError
from wilma.core.markdown import render_markdown
from wilma.core.models import utcnow
from wilma.extensions import db

USERNAME_RE = re.compile(r"^[a-z0-9][a-z0-9._-]{1,79}$")
EMAIL_RE = re.compile(r"^[^@\s]+@[^@\s]+$")
MIN_PASSWORD = 10
SESSION_KEY = "wilma_sid"
TOKEN_PREFIX = "wilma_"  # noqa: S105 - a prefix, not a secret
AVATAR_SIZE = 256
TOKEN_USE_PRECISION = timedelta(minutes=1)
logger = logging.getLogger("wilma.accounts")
LIMITS = {"display_name": 120, "job_title": 200, "phone": 80, "room": 80, "about": 10_000, "email": 254}

# Checked when the username is unknown, so that both failures take the same time.
_DUMMY_HASH = generate_password_hash("never-the-password-" + secrets.token_hex(8))


def sha256(value: str) -> str:
    return hashlib.sha256(value.encode()).hexdigest()


def hash_password(password: str) -> str:
    """scrypt, werkzeug's current default."""
    return generate_password_hash(password)


def check_password_rules(password: str) -> None:
    if len(password or "") < MIN_PASSWORD:
        raise ValidationError(_("The password must have at least %(n)d characters.", n=MIN_PASSWORD),
                              field="password")
    if len(password) > 1024:
        raise ValidationError(_("The password is too long."), field="password")


def _plugin_hook():
    return current_app.extensions["wilma_plugins"].hook


def _queue_search(user: User) -> None:
    """Queue the person's search entry for re-indexing in the current transaction."""
    from wilma.search.outbox import queue_index

    queue_index(f"people:{user.id}")


# --- creating and finding people -------------------------------------------------------------------------


def normalise_username(username: str) -> str:
    return (username or "").strip().lower()


def normalise_email(email: str | None) -> str | None:
    """The address in lower case, ``None`` when empty; refused when it is not an e-mail address.

    Deliberately lenient (one @, no spaces): city directories use internal domains such as
    ``stadt.local`` that strict validators refuse, and a login must never fail over the address.
    """
    email = (email or "").strip().lower()
    if not email:
        return None
    if not EMAIL_RE.match(email):
        raise ValidationError(_("Please enter a valid e-mail address."), field="email")
    return email


def create_user(username: str, password: str | None, *, email: str | None = None,
                display_name: str | None = None, is_admin: bool = False, auth_source: str = "local",
                **profile) -> User:
    """Create an account; ``password`` may be ``None`` for accounts of a login provider."""
    username = normalise_username(username)
    if not USERNAME_RE.match(username):
        raise ValidationError(
            _("Usernames use 2 to 80 lower-case letters, digits, dots, hyphens or underscores."),
            field="username")
    if password is not None:
        check_password_rules(password)
    email = normalise_email(email)
    if db.session.scalar(select(User.id).where(User.username == username)):
        raise ValidationError(_("The username %(u)s is taken.", u=username), field="username")
    if email and db.session.scalar(select(User.id).where(User.email == email)):
        raise ValidationError(_("The e-mail address is already in use."), field="email")
    user = User(username=username, email=email, display_name=(display_name or username).strip()[:120],
                password_hash=hash_password(password) if password else None, is_admin=is_admin,
                auth_source=auth_source)
    for key, value in profile.items():
        setattr(user, key, value)
    db.session.add(user)
    db.session.flush()
    _queue_search(user)
    after_commit(lambda: _plugin_hook().wilma_user_created(user=user))
    return user


def find_login(identifier: str) -> User | None:
    """The account of a username or e-mail address (case-insensitive)."""
    ident = (identifier or "").strip().lower()
    if not ident:
        return None
    return db.session.scalar(select(User).where(or_(User.username == ident, User.email == ident)))


def get_user(user_id: int) -> User:
    user = db.session.get(User, user_id)
    if user is None:
        raise NotFound()
    return user


# --- logging in and sessions -----------------------------------------------------------------------------


def authenticate(identifier: str, password: str) -> User | None:
    """The person these credentials belong to, or ``None``; the same work is done for unknown users."""
    result = _plugin_hook().wilma_authenticate(username=(identifier or "").strip(), password=password or "")
    if result and not result.get("denied"):
        return _user_from_provider(result)
    user = find_login(identifier)
    if user is None or not user.password_hash or result:
        check_password_hash(_DUMMY_HASH, password or "")
        return None
    if not check_password_hash(user.password_hash, password or ""):
        return None
    return user if user.active else None


def _user_from_provider(identity: dict) -> User | None:
    """The local account of a person a login provider vouched for, created or updated from it.

    The directory's values are cut to the field lengths, and an address that is malformed or belongs to
    another account is left out: the login itself must not fail over profile data.
    """
    user = find_login(identity["username"])
    fields = {k: str(identity[k])[: LIMITS[k]] for k in ("display_name", "job_title", "phone", "room")
              if identity.get(k)}
    try:
        email = normalise_email(identity.get("email"))
    except ValidationError:
        email = None
    if email and db.session.scalar(select(User.id).where(User.email == email,
                                                         User.id != (user.id if user else None))):
        email = None
    if user is None:
        user = create_user(identity["username"], None, email=email,
                           auth_source=identity.get("source", "directory"), **fields)
    else:
        for key, value in fields.items():
            setattr(user, key, value)
        _queue_search(user)
    commit()
    return user if user.active else None


def start_session(user: User) -> UserSession:
    """A fresh session for ``user``: the old cookie's contents are dropped (no session fixation)."""
    _clear_session_keeping_language()
    raw = secrets.token_urlsafe(32)
    record = UserSession(token_hash=sha256(raw), user_id=user.id, ip=(request.remote_addr or "")[:64],
                         user_agent=(request.user_agent.string or "")[:255])
    db.session.add(record)
    user.last_login_at = utcnow()
    commit()
    session[SESSION_KEY] = raw
    session.permanent = True
    return record


@cache
def _session_select():
    """With its user in the same query: every page asks for both. Built once, like every statement each
    page runs (building it cost about as much as running it)."""
    return select(UserSession).options(joinedload(UserSession.user)).where(
        UserSession.token_hash == bindparam("token_hash"))


def current_session() -> UserSession | None:
    """The live server-side session the cookie names, or ``None``."""
    raw = session.get(SESSION_KEY)
    if not raw:
        return None
    return db.session.scalar(_session_select(), {"token_hash": sha256(raw)})


def end_sessions(user: User, *, keep: UserSession | None = None) -> int:
    """End every session of ``user`` except ``keep``; their open sockets are cut off after commit."""
    query = select(UserSession).where(UserSession.user_id == user.id)
    if keep is not None:
        query = query.where(UserSession.id != keep.id)
    records = list(db.session.scalars(query))
    sids = realtime.socket_ids(user_id=user.id, session_ids=[r.id for r in records])
    for record in records:
        db.session.delete(record)
    after_commit(lambda: realtime.disconnect_sockets(sids))
    return len(records)


def logout(everywhere: bool = False) -> None:
    record = current_session()
    if record is not None:
        if everywhere:
            end_sessions(record.user)
        else:
            sids = realtime.socket_ids(user_id=record.user_id, session_ids=[record.id])
            db.session.delete(record)
            after_commit(lambda: realtime.disconnect_sockets(sids))
        commit()
    _clear_session_keeping_language()


def _clear_session_keeping_language() -> None:
    """Empty the browser session, but keep the language chosen on the login page."""
    locale = session.get("locale")
    session.clear()
    if locale:
        session["locale"] = locale


def change_password(user: User, current_password: str, new_password: str) -> None:
    """Change the password; every other session of the user ends."""
    if user.auth_source != "local":
        raise PermissionDenied(_("Your password is managed by your city's directory."))
    if not user.password_hash or not check_password_hash(user.password_hash, current_password or ""):
        raise ValidationError(_("The current password is not correct."), field="current_password")
    check_password_rules(new_password)
    user.password_hash = hash_password(new_password)
    end_sessions(user, keep=current_session())
    commit()


def set_active(user: User, active: bool) -> None:
    """Deactivate (ending every session and socket at once) or reactivate an account."""
    user.active = active
    _queue_search(user)
    if not active:
        end_sessions(user)
        for token in db.session.scalars(select(AccessToken).where(AccessToken.user_id == user.id)):
            db.session.delete(token)
    commit()


# --- API tokens ------------------------------------------------------------------------------------------


def create_token(user: User, name: str) -> tuple[AccessToken, str]:
    """A new personal access token; the plain value is returned once and never stored."""
    name = (name or "").strip()[:100] or _("API token")
    raw = TOKEN_PREFIX + secrets.token_urlsafe(32)
    token = AccessToken(user_id=user.id, name=name, token_hash=sha256(raw), prefix=raw[:12])
    db.session.add(token)
    commit()
    return token, raw


def revoke_token(user: User, token_id: int) -> None:
    token = db.session.get(AccessToken, token_id)
    if token is None or token.user_id != user.id:
        raise NotFound()
    db.session.delete(token)
    commit()


def user_for_token(raw: str) -> User | None:
    if not raw or not raw.startswith(TOKEN_PREFIX):
        return None
    token = db.session.scalar(select(AccessToken).where(AccessToken.token_hash == sha256(raw)))
    if token is None or not hmac.compare_digest(token.token_hash, sha256(raw)) or not token.user.active:
        return None
    _note_token_use(token)
    return token.user


def _note_token_use(token: AccessToken) -> None:
    """Keep "last used" (shown on the tokens page) to the minute, without making reads write much.

    Writes carry the change in their own commit; a read commits it here, at the start of the request,
    where nothing else is pending. A read that loses the race for the database lock just skips it.
    """
    now = utcnow()
    last = token.last_used_at
    if last is not None and last.tzinfo is None:
        last = last.replace(tzinfo=UTC)  # SQLite returns naive datetimes
    if last is not None and now - last < TOKEN_USE_PRECISION:
        return
    token.last_used_at = now
    if request.method in ("GET", "HEAD", "OPTIONS"):
        try:
            db.session.commit()
        except SQLAlchemyError:
            db.session.rollback()
            logger.warning("could not record the use of API token %s", token.prefix)


# --- profiles --------------------------------------------------------------------------------------------


def update_profile(user: User, data: dict, extra: dict | None = None) -> User:
    """Save the editable profile fields; ``extra`` holds plugin-defined fields by key."""
    for key in ("display_name", "job_title", "phone", "room", "about"):
        if key in data:
            value = data[key] if data[key] is not None else ""
            if len(value) > LIMITS[key]:
                raise ValidationError(_("At most %(n)d characters.", n=LIMITS[key]), field=key)
            if "\x00" in value:  # PostgreSQL cannot store it; say so instead of failing with a 500
                raise ValidationError(_("This text contains a character that cannot be saved."), field=key)
            setattr(user, key, value)
    if not (user.display_name or "").strip():
        raise ValidationError(_("Please enter a name."), field="display_name")
    if "email" in data:
        email = normalise_email(data["email"])
        if email and db.session.scalar(select(User.id).where(User.email == email, User.id != user.id)):
            raise ValidationError(_("The e-mail address is already in use."), field="email")
        user.email = email
    if "org_unit_id" in data:
        unit_id = data["org_unit_id"] or None
        if unit_id is not None and db.session.get(OrgUnit, unit_id) is None:
            raise ValidationError(_("Unknown organisation unit."), field="org_unit_id")
        user.org_unit_id = unit_id
    if "locale" in data:
        user.locale = data["locale"] if data["locale"] in ("de", "en") else None
    user.about_html = render_markdown(user.about)
    if extra:
        save_extra_fields(user, extra)
    _queue_search(user)
    commit()
    return user


def set_avatar(user: User, data: bytes) -> None:
    """Store ``data`` (a PNG, JPEG, GIF or WebP image) as the user's square picture, replacing the old one."""
    name = uploads.save_square_png(uploads.open_image(data), "avatars", AVATAR_SIZE)
    old = user.avatar_file
    user.avatar_file = name
    commit()
    uploads.delete_stored("avatars", old)


def remove_avatar(user: User) -> None:
    """Remove the picture: the generated initials are shown again."""
    old = user.avatar_file
    user.avatar_file = None
    commit()
    uploads.delete_stored("avatars", old)


def profile_field_definitions() -> list[dict]:
    """The extra profile fields of all enabled plugins."""
    fields = []
    for group in _plugin_hook().wilma_profile_fields():
        fields.extend(group or [])
    return fields


def extra_fields(user: User) -> dict[str, str]:
    rows = db.session.scalars(select(ProfileExtra).where(ProfileExtra.user_id == user.id))
    return {row.key: row.value for row in rows}


def save_extra_fields(user: User, values: dict) -> None:
    known = {f["key"]: f for f in profile_field_definitions()}
    current = {row.key: row for row in db.session.scalars(
        select(ProfileExtra).where(ProfileExtra.user_id == user.id))}
    for key, value in values.items():
        if key not in known:
            continue
        limit = known[key].get("max_length", 500)
        if len(value or "") > limit:
            raise ValidationError(_("At most %(n)d characters.", n=limit), field=key)
        if key in current:
            current[key].value = value or ""
        else:
            db.session.add(ProfileExtra(user_id=user.id, key=key, value=value or ""))
