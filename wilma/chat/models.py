"""Chat channels, their members' read state, messages, reactions and attachments.

A group channel belongs to one group and its members are the group's members (checked against
``group_memberships`` on every read and event). A direct conversation has a fixed set of two or more
people, stored as ``ChannelMember`` rows and as a sorted ``direct_key`` so that the same set of people
always finds the same conversation. ``ChannelMember`` also holds each person's read marker in group
channels (created when they join or first read).
"""

from datetime import datetime

from sqlalchemy import DateTime, ForeignKey, Index, Integer, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from wilma.accounts.models import User
from wilma.core.models import utcnow
from wilma.extensions import db

GROUP, DIRECT = "group", "direct"
ONLINE, AWAY, OFFLINE = "online", "away", "offline"


class Channel(db.Model):
    """A place to chat: ``kind`` is ``group`` (one per group) or ``direct`` (a fixed set of people)."""

    __tablename__ = "chat_channels"

    id: Mapped[int] = mapped_column(primary_key=True)
    kind: Mapped[str] = mapped_column(String(10), default=GROUP)
    group_id: Mapped[int | None] = mapped_column(ForeignKey("groups.id", ondelete="CASCADE"), unique=True)
    direct_key: Mapped[str | None] = mapped_column(String(400), unique=True)
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow)
    last_message_id: Mapped[int | None] = mapped_column(Integer)
    last_message_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))

    group = relationship("Group")
    members: Mapped[list["ChannelMember"]] = relationship(back_populates="channel", cascade="all, delete-orphan")

    @property
    def room(self) -> str:
        return f"channel:{self.id}"


class ChannelMember(db.Model):
    """A person in a direct conversation, or a group member's read state in a group channel."""

    __tablename__ = "chat_channel_members"
    __table_args__ = (UniqueConstraint("channel_id", "user_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    channel_id: Mapped[int] = mapped_column(ForeignKey("chat_channels.id", ondelete="CASCADE"))
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"), index=True)
    last_read_message_id: Mapped[int] = mapped_column(Integer, default=0)
    joined_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow)

    channel: Mapped[Channel] = relationship(back_populates="members")
    user: Mapped[User] = relationship()


class ChatMessage(db.Model):
    """One message; stored once per ``(author_id, client_msg_id)``, so a resent message is not doubled."""

    __tablename__ = "chat_messages"
    __table_args__ = (
        UniqueConstraint("author_id", "client_msg_id"),
        Index("ix_chat_messages_channel_id_id", "channel_id", "id"),
        Index("ix_chat_messages_author_created", "author_id", "created_at"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    channel_id: Mapped[int] = mapped_column(ForeignKey("chat_channels.id", ondelete="CASCADE"))
    author_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))
    body: Mapped[str] = mapped_column(Text, default="")
    html: Mapped[str] = mapped_column(Text, default="")
    client_msg_id: Mapped[str | None] = mapped_column(String(64))
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow)
    edited_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))
    deleted_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))

    channel: Mapped[Channel] = relationship()
    author: Mapped[User | None] = relationship(lazy="joined")
    reactions: Mapped[list["Reaction"]] = relationship(cascade="all, delete-orphan", lazy="selectin",
                                                       order_by="Reaction.id")
    attachments: Mapped[list["ChatAttachment"]] = relationship(cascade="all, delete-orphan", lazy="selectin",
                                                               order_by="ChatAttachment.id")

    @property
    def is_deleted(self) -> bool:
        return self.deleted_at is not None


class Reaction(db.Model):
    """One person's emoji on a message (each emoji at most once per person)."""

    __tablename__ = "chat_reactions"
    __table_args__ = (UniqueConstraint("message_id", "user_id", "emoji"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    message_id: Mapped[int] = mapped_column(ForeignKey("chat_messages.id", ondelete="CASCADE"), index=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"))
    emoji: Mapped[str] = mapped_column(String(16))


class ChatAttachment(db.Model):
    """A file sent with a message, stored under ``uploads/chat/`` with a server-made name."""

    __tablename__ = "chat_attachments"

    id: Mapped[int] = mapped_column(primary_key=True)
    message_id: Mapped[int] = mapped_column(ForeignKey("chat_messages.id", ondelete="CASCADE"), index=True)
    stored_name: Mapped[str] = mapped_column(String(80))
    filename: Mapped[str] = mapped_column(String(200))
    content_type: Mapped[str] = mapped_column(String(100))
    size: Mapped[int] = mapped_column(Integer)
    is_image: Mapped[bool] = mapped_column(default=False)


class ChatPresence(db.Model):
    """What a person last said about themselves (``online`` or ``away``); offline = no open socket."""

    __tablename__ = "chat_presence"

    user_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"), primary_key=True)
    status: Mapped[str] = mapped_column(String(10), default=ONLINE)
    updated_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow, onupdate=utcnow)
