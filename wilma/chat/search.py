"""Chat messages in search (imported by ``wilma.search`` when that feature is installed).

A message is one document. Messages of a group channel are for the group's MEMBERS only, even in a
public group (``member_group_id``); messages of a direct conversation for its members (``owner_ids``).
Deleted messages are deleted documents. The URL is the message's permalink, which opens the channel
around it. ``messages`` queues every send, edit and delete (``queue_search``).
"""

from sqlalchemy import func, select
from sqlalchemy.orm import selectinload

from wilma.chat.models import GROUP, Channel, ChatMessage
from wilma.extensions import db
from wilma.search.registry import Document, Provider, endpoint_url, register_provider


def message_document(message: ChatMessage, channel: Channel) -> Document:
    """One message with the visibility of its channel."""
    group_channel = channel.kind == GROUP
    return Document(
        type="chat", object_id=message.id, body=message.body or "",
        url=endpoint_url("chat.permalink", message_id=message.id),
        member_group_id=channel.group_id if group_channel else None,
        owner_ids=() if group_channel else tuple(sorted(m.user_id for m in channel.members)),
        created_at=message.created_at,
        # A group channel without a group, or a conversation without members, shows to nobody.
        deleted=message.deleted_at is not None or (channel.group_id is None if group_channel else not channel.members),
    )


def _channels(channel_ids) -> dict[int, Channel]:
    query = select(Channel).options(selectinload(Channel.members)).where(Channel.id.in_(set(channel_ids)))
    return {c.id: c for c in db.session.scalars(query)}


def _iter_messages():
    query = (select(ChatMessage).where(ChatMessage.deleted_at.is_(None)).order_by(ChatMessage.id)
             .execution_options(yield_per=500))
    channels = {c.id: c for c in db.session.scalars(select(Channel).options(selectinload(Channel.members)))}
    for message in db.session.scalars(query):
        yield message_document(message, channels[message.channel_id])


def _load_messages(message_ids: list[int]) -> dict[int, Document]:
    rows = list(db.session.scalars(select(ChatMessage).where(ChatMessage.id.in_(message_ids))))
    channels = _channels(m.channel_id for m in rows)
    return {m.id: message_document(m, channels[m.channel_id]) for m in rows}


def _count() -> int:
    return db.session.scalar(select(func.count(ChatMessage.id)).where(ChatMessage.deleted_at.is_(None))) or 0


register_provider(Provider(type="chat", iter_documents=_iter_messages,
                           load=lambda i: _load_messages([i]).get(i), load_many=_load_messages, count=_count))
