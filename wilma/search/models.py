"""The search outbox: index changes queued in the same transaction as the change itself."""

from datetime import datetime

from sqlalchemy import DateTime, Index, String
from sqlalchemy.orm import Mapped, mapped_column

from wilma.core.models import utcnow
from wilma.extensions import db


class SearchOutbox(db.Model):
    """One queued change of a document (``key``). ``op`` is ``index`` or ``delete``.

    The worker treats a row as "look at this key again": it loads the object's current state and
    indexes or deletes accordingly, so the order in which rows are applied does not matter. Processed
    rows are kept for a while (``processed_at``), so that a rebuild can replay what changed while it ran.
    """

    __tablename__ = "search_outbox"
    __table_args__ = (Index("ix_search_outbox_pending", "processed_at", "id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    key: Mapped[str] = mapped_column(String(120))
    op: Mapped[str] = mapped_column(String(10), default="index")
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow, index=True)
    processed_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True), default=None)
