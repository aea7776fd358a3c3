"""Chat messages in search (imported by ``wilma.search`` when that feature is installed).

A message is one document. Messages of a group channel are for the group's MEMBERS only, even in a
public group (``member_group_id``); messages of a direct conversation for its members (``owner_ids``).
Deleted messages are deleted documents. The URL is the message's permalink, which opens the channel
around it. ``messages`` queues every send, edit and delete (``queue_search``).
"""

from sqlalchemy import func, select
from sqlalchemy.orm import lazyload

from wilma.chat.models import GROUP, Channel, ChannelMember, ChatMessage
from wilma.extensions import db
from wilma.search.registry import Document, Provider, endpoint_url, register_provider


def message_document(message: ChatMessage, channel: Channel, members: tuple[int, ...] = ()) -> Document:
    """One message with the visibility of its channel (``members``: the people of a direct conversation)."""
    group_channel = channel.kind == GROUP
    return Document(
        type="chat", object_id=message.id, body=message.body or "",
        url=endpoint_url("chat.permalink", message_id=message.id),
        member_group_id=channel.group_id if group_channel else None,
        owner_ids=() if group_channel else members,
        created_at=message.created_at,
        # A group channel without a group, or a conversation without members, shows to nobody.
        deleted=message.deleted_at is not None or (channel.group_id is None if group_channel else not members),
    )


def _direct_members(channels) -> dict[int, tuple[int, ...]]:
    """The people of each direct conversation among ``channels``. A group channel's member rows (one read
    marker per person, 18,800 in a city's largest group) are not needed: its group decides."""
    direct = [c.id for c in channels if c.kind != GROUP]
    members: dict[int, list[int]] = {}
    for start in range(0, len(direct), 1000):
        rows = db.session.execute(select(ChannelMember.channel_id, ChannelMember.user_id).where(
            ChannelMember.channel_id.in_(direct[start:start + 1000])))
        for channel_id, user_id in rows:
            members.setdefault(channel_id, []).append(user_id)
    return {channel_id: tuple(sorted(ids)) for channel_id, ids in members.items()}


def _iter_messages():
    query = (select(ChatMessage).where(ChatMessage.deleted_at.is_(None)).order_by(ChatMessage.id)
             .execution_options(yield_per=500))
    channels = {c.id: c for c in db.session.scalars(select(Channel))}
    members = _direct_members(channels.values())
    for message in db.session.scalars(query):
        yield message_document(message, channels[message.channel_id], members.get(message.channel_id, ()))


def _load_messages(message_ids: list[int]) -> dict[int, Document]:
    rows = list(db.session.scalars(select(ChatMessage).where(ChatMessage.id.in_(message_ids)).options(
        lazyload(ChatMessage.author), lazyload(ChatMessage.reactions), lazyload(ChatMessage.attachments))))
    ids = {m.channel_id for m in rows}
    channels = {c.id: c for c in db.session.scalars(select(Channel).where(Channel.id.in_(ids)))} if ids else {}
    members = _direct_members(channels.values())
    return {m.id: message_document(m, channels[m.channel_id], members.get(m.channel_id, ())) for m in rows}


def _count() -> int:
    return db.session.scalar(select(func.count(ChatMessage.id)).where(ChatMessage.deleted_at.is_(None))) or 0


register_provider(Provider(type="chat", iter_documents=_iter_messages,
                           load=lambda i: _load_messages([i]).get(i), load_many=_load_messages, count=_count))
