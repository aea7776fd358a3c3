"""What the chat holds about a person, for their data download: their messages, reactions and files.

Messages of the other people in a conversation are theirs and stay out; channels are named by id and
kind only.
"""

from sqlalchemy import select

from wilma.admin.export import register_exporter
from wilma.chat.attachments import AREA
from wilma.chat.models import Channel, ChannelMember, ChatAttachment, ChatMessage, Reaction
from wilma.core import uploads
from wilma.extensions import db


def export_chat(user) -> dict:
    channels = db.session.execute(select(ChannelMember, Channel).join(Channel, ChannelMember.channel_id == Channel.id)
                                  .where(ChannelMember.user_id == user.id).order_by(Channel.id))
    messages = db.session.scalars(select(ChatMessage).where(ChatMessage.author_id == user.id)
                                  .order_by(ChatMessage.id))
    reactions = db.session.scalars(select(Reaction).where(Reaction.user_id == user.id).order_by(Reaction.id))
    return {
        "channels": [{"channel_id": c.id, "kind": c.kind, "group_id": c.group_id, "joined_at": m.joined_at}
                     for m, c in channels],
        "messages": [{"id": m.id, "channel_id": m.channel_id, "body": m.body, "created_at": m.created_at,
                      "edited_at": m.edited_at, "deleted": m.deleted_at is not None} for m in messages],
        "reactions": [{"message_id": r.message_id, "emoji": r.emoji} for r in reactions],
    }


def export_chat_files(user):
    files = db.session.scalars(select(ChatAttachment).join(ChatMessage, ChatAttachment.message_id == ChatMessage.id)
                               .where(ChatMessage.author_id == user.id).order_by(ChatAttachment.id))
    for attachment in files:
        yield f"chat/{attachment.id}-{attachment.filename}", str(uploads.path_for(AREA, attachment.stored_name))


register_exporter("chat", export_chat, files=export_chat_files)
