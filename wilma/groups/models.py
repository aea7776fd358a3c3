"""Groups (workspaces), their members and roles, and requests and invitations to join."""

from datetime import datetime

from sqlalchemy import DateTime, ForeignKey, Index, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from wilma.accounts.models import User
from wilma.core.models import SoftDeleteMixin, TimestampMixin, utcnow
from wilma.extensions import db

PUBLIC, PRIVATE, SECRET = "public", "private", "secret"
VISIBILITIES = (PUBLIC, PRIVATE, SECRET)
OWNER, MODERATOR, MEMBER = "owner", "moderator", "member"
ROLES = (OWNER, MODERATOR, MEMBER)
ROLE_RANK = {MEMBER: 1, MODERATOR: 2, OWNER: 3}


class Group(TimestampMixin, SoftDeleteMixin, db.Model):
    """A workspace. Public: anyone sees and joins. Private: anyone sees name and description, members
    see content. Secret: invisible to non-members (answers like a group that does not exist)."""

    __tablename__ = "groups"

    id: Mapped[int] = mapped_column(primary_key=True)
    name: Mapped[str] = mapped_column(String(120))
    description: Mapped[str] = mapped_column(Text, default="")
    description_html: Mapped[str] = mapped_column(Text, default="")
    visibility: Mapped[str] = mapped_column(String(10), default=PUBLIC, index=True)
    category: Mapped[str] = mapped_column(String(80), default="", index=True)
    color: Mapped[str] = mapped_column(String(7), default="#0b5cad")
    image_file: Mapped[str | None] = mapped_column(String(80))
    archived_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))
    created_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))

    memberships: Mapped[list["GroupMembership"]] = relationship(back_populates="group",
                                                                cascade="all, delete-orphan")

    @property
    def is_archived(self) -> bool:
        return self.archived_at is not None


class GroupMembership(db.Model):
    """A member of a group with a role: owner, moderator or member."""

    __tablename__ = "group_memberships"
    __table_args__ = (
        UniqueConstraint("group_id", "user_id"),
        Index("ix_group_memberships_group_role", "group_id", "role"),  # a big group's owners and moderators
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    group_id: Mapped[int] = mapped_column(ForeignKey("groups.id", ondelete="CASCADE"), index=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"), index=True)
    role: Mapped[str] = mapped_column(String(10), default=MEMBER)
    joined_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow)

    group: Mapped[Group] = relationship(back_populates="memberships")
    user: Mapped[User] = relationship()


class GroupRequest(db.Model):
    """A pending request to join a private group (``kind="request"``) or an invitation (``"invite"``)."""

    __tablename__ = "group_requests"
    __table_args__ = (UniqueConstraint("group_id", "user_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    group_id: Mapped[int] = mapped_column(ForeignKey("groups.id", ondelete="CASCADE"), index=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"), index=True)
    kind: Mapped[str] = mapped_column(String(10), default="request")
    invited_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow)

    group: Mapped[Group] = relationship()
    user: Mapped[User] = relationship(foreign_keys=[user_id])
    invited_by: Mapped[User | None] = relationship(foreign_keys=[invited_by_id])
