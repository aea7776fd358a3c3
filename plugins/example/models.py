"""The example plugin's one table: ``example_greetings`` (its prefix is the plugin's name).

Created by the plugin's own Alembic branch (``migrations/versions``), never by the core's migration.
"""

from datetime import datetime

from sqlalchemy import DateTime, ForeignKey, String
from sqlalchemy.orm import Mapped, mapped_column

from wilma.core.models import utcnow
from wilma.extensions import db


class ExampleGreeting(db.Model):
    """Something the plugin noticed: an account created, a login, a greeting from the CLI."""

    __tablename__ = "example_greetings"

    id: Mapped[int] = mapped_column(primary_key=True)
    kind: Mapped[str] = mapped_column(String(40))
    user_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"), index=True)
    message: Mapped[str] = mapped_column(String(200), default="")
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow)
