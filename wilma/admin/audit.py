"""Writing and reading the audit log.

``record_audit`` stores structured fields only: the action, who acted (id plus a username snapshot, so the
entry survives renames and pseudonymisation), the target (type, id, label), a JSON ``detail`` and the
address. Text that came from users passes ``clean_text``: line breaks, control characters, Unicode line
separators and bidi overrides are replaced by visible escapes (``\\n``, ``\\u2028``), so a username like
``"x\\n2026-01-01 admin login"`` stays inside its one entry and its one log line. Keys that name secrets
(password, token, secret, ...) are dropped from ``detail`` before anything is stored or logged.
"""

import json
import logging
import re
from datetime import UTC, datetime, time, timedelta

from flask import has_request_context, request
from flask_login import current_user
from sqlalchemy import or_, select

from wilma.admin.models import AuditEntry
from wilma.core.database import after_commit
from wilma.core.database import commit as commit_session
from wilma.extensions import db

logger = logging.getLogger("wilma.audit")

# C0 and C1 controls, DEL, line/paragraph separators, bidi embeddings/overrides/isolates and marks,
# zero-width characters and the BOM: none of them may reach a stored or logged text field unescaped.
_UNSAFE = re.compile("[\x00-\x1f\x7f-\x9f\u061c\u200b-\u200f\u2028-\u202e\u2060-\u2069\ufeff]")
_NAMED = {"\n": "\\n", "\r": "\\r", "\t": "\\t"}
_SECRET_KEY = re.compile(
    r"pass|pwd|token|secret|credential|api_?key|authori[sz]ation|cookie|csrf|session_?(id|key)\b|\bsid\b",
    re.IGNORECASE)
MAX_TEXT = 200
MAX_DETAIL_ITEMS = 50
ACTIONS = ("login", "login.failed", "user.create", "user.deactivate", "user.reactivate", "user.role",
           "user.password_reset", "user.delete", "group.archive", "group.unarchive", "group.delete",
           "group.member.role", "group.member.remove", "post.delete", "comment.delete", "wiki.page.delete",
           "wiki.attachment.delete", "chat.message.delete", "org.create", "org.rename", "org.move",
           "org.delete", "plugin.enable", "plugin.disable", "search.rebuild", "data.export")


def clean_text(value, max_length: int = MAX_TEXT) -> str:
    """``value`` as a single-line text: unsafe characters become visible escapes, then it is cut."""
    text = "" if value is None else str(value)
    text = _UNSAFE.sub(lambda m: _NAMED.get(m.group(), f"\\u{ord(m.group()):04x}"), text)
    return text[:max_length]


def clean_detail(value, depth: int = 0):
    """A copy of ``value`` without secret-named keys, with every string cleaned (recursively)."""
    if depth > 4:
        return None
    if isinstance(value, dict):
        return {clean_text(k, 60): clean_detail(v, depth + 1) for k, v in list(value.items())[:MAX_DETAIL_ITEMS]
                if not _SECRET_KEY.search(str(k))}
    if isinstance(value, list | tuple | set):
        return [clean_detail(v, depth + 1) for v in list(value)[:MAX_DETAIL_ITEMS]]
    if value is None or isinstance(value, bool | int | float):
        return value
    return clean_text(value, 500)


def _snake(name: str) -> str:
    return re.sub(r"(?<!^)(?=[A-Z])", "_", name).lower()


def describe_target(action: str, target) -> tuple[str, str, str]:
    """``(type, id, label)`` of a model instance, a ``{"type","id","label"}`` dict, or a plain text."""
    if target is None:
        return "", "", ""
    if isinstance(target, dict):
        return (clean_text(target.get("type", ""), 40), clean_text(target.get("id", ""), 64),
                clean_text(target.get("label", "")))
    if isinstance(target, str | int):
        return clean_text(action.split(".")[0], 40), "", clean_text(target)
    label = next((getattr(target, a) for a in ("username", "name", "title", "display_name")
                  if isinstance(getattr(target, a, None), str)), "")
    return (clean_text(_snake(type(target).__name__), 40), clean_text(getattr(target, "id", ""), 64),
            clean_text(label))


def _request_actor():
    if has_request_context() and current_user and current_user.is_authenticated:
        return current_user._get_current_object()
    return None


def record_audit(action: str, *, target=None, actor=None, detail: dict | None = None, ip: str | None = None,
                 commit: bool = True) -> AuditEntry:
    """Store one audit entry and log it to ``wilma.audit`` as one line of JSON once it is committed.

    ``actor`` defaults to the logged-in user of the current request (none for the CLI and for failed
    logins). Services that write call this with ``commit=False`` before their own ``commit()``, so the
    action and its entry are stored together or not at all; other callers (the CLI, signal receivers)
    let it commit.
    """
    actor = actor if actor is not None else _request_actor()
    if ip is None and has_request_context():
        ip = request.remote_addr
    target_type, target_id, target_label = describe_target(action, target)
    entry = AuditEntry(
        action=clean_text(action, 60), actor_id=getattr(actor, "id", None),
        actor_name=clean_text(getattr(actor, "username", ""), 80),
        target_type=target_type, target_id=target_id, target_label=target_label,
        detail=json.dumps(clean_detail(detail or {}), ensure_ascii=False, sort_keys=True),
        ip=clean_text(ip or "", 64),
    )
    db.session.add(entry)
    db.session.flush()
    # ensure_ascii: the log line is pure ASCII, so no separator of any kind can split it.
    after_commit(lambda: logger.info(json.dumps(entry.as_dict(), ensure_ascii=True, sort_keys=True)))
    if commit:
        commit_session()
    return entry


# --- reading --------------------------------------------------------------------------------------------


def parse_day(value: str | None):
    """A ``YYYY-MM-DD`` date, or ``None`` for empty or malformed input."""
    try:
        return datetime.strptime((value or "").strip(), "%Y-%m-%d").date()
    except ValueError:
        return None


def audit_page(*, action: str = "", user: str = "", day_from=None, day_to=None, before_id: int | None = None,
               limit: int = 50) -> tuple[list[AuditEntry], int | None]:
    """Entries newest first, filtered; returns the page and the id to continue before (or ``None``).

    ``action`` matches exactly or as a prefix (``user`` finds ``user.role``); ``user`` matches the acting
    username or a user who was the target; days are UTC and inclusive.
    """
    stmt = select(AuditEntry)
    action = (action or "").strip()
    if action:
        stmt = stmt.where(or_(AuditEntry.action == action, AuditEntry.action.like(f"{_like(action)}.%",
                                                                                  escape="\\")))
    user = (user or "").strip().lower()
    if user:
        stmt = stmt.where(or_(AuditEntry.actor_name == user,
                              (AuditEntry.target_type == "user") & (AuditEntry.target_label == user)))
    if day_from:
        stmt = stmt.where(AuditEntry.created_at >= datetime.combine(day_from, time.min, UTC))
    if day_to:
        stmt = stmt.where(AuditEntry.created_at < datetime.combine(day_to + timedelta(days=1), time.min, UTC))
    if before_id:
        stmt = stmt.where(AuditEntry.id < before_id)
    rows = list(db.session.scalars(stmt.order_by(AuditEntry.id.desc()).limit(limit + 1)))
    more = len(rows) > limit
    rows = rows[:limit]
    return rows, (rows[-1].id if more and rows else None)


def _like(value: str) -> str:
    return value.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")
