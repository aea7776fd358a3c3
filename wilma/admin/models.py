"""The audit log: one row per action worth answering "who did what, when" for."""

from datetime import datetime

from sqlalchemy import DateTime, ForeignKey, Index, String, Text
from sqlalchemy.orm import Mapped, mapped_column

from wilma.core.models import as_utc, utcnow
from wilma.extensions import db


class AuditEntry(db.Model):
    """Who (user id and a snapshot of the username), what (``action``), on what (``target_*``), when (UTC).

    Every text field holds structured, already-escaped values (see ``wilma.admin.audit.clean_text``):
    no line break or control character from user input ever reaches the table or the log.
    """

    __tablename__ = "audit_entries"
    __table_args__ = (Index("ix_audit_entries_action_id", "action", "id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow, index=True)
    actor_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"), index=True)
    actor_name: Mapped[str] = mapped_column(String(80), default="")
    action: Mapped[str] = mapped_column(String(60))
    target_type: Mapped[str] = mapped_column(String(40), default="")
    target_id: Mapped[str] = mapped_column(String(64), default="")
    target_label: Mapped[str] = mapped_column(String(200), default="")
    detail: Mapped[str] = mapped_column(Text, default="{}")
    ip: Mapped[str] = mapped_column(String(64), default="")

    def detail_items(self) -> list[tuple[str, str]]:
        """``detail`` as ``(key, text)`` pairs for the admin page (nested values as compact JSON)."""
        import json

        try:
            data = json.loads(self.detail or "{}")
        except ValueError:
            return [("detail", self.detail)]
        if not isinstance(data, dict):
            return [("detail", json.dumps(data, ensure_ascii=False))]
        return [(key, value if isinstance(value, str) else json.dumps(value, ensure_ascii=False))
                for key, value in data.items()]

    def as_dict(self) -> dict:
        """The entry as the one-line JSON the ``wilma.audit`` logger writes."""
        import json

        return {
            "id": self.id, "at": as_utc(self.created_at).isoformat() if self.created_at else None,
            "actor_id": self.actor_id, "actor": self.actor_name, "action": self.action,
            "target_type": self.target_type, "target_id": self.target_id, "target": self.target_label,
            "detail": json.loads(self.detail or "{}"), "ip": self.ip,
        }
