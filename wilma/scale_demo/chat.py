"""Chat of the scale data set: a channel per group, direct conversations, and their messages.

Seven messages in ten go to group channels (busier in bigger groups), the rest to direct conversations
between two people who share a group. Messages are in time order, each channel knows its last message,
and everyone has a read marker: most have read everything, some have a few unread messages.
"""

from itertools import accumulate

from wilma.chat.models import DIRECT, GROUP, Channel, ChannelMember, ChatMessage

MESSAGE_COLUMNS = ("id", "channel_id", "author_id", "body", "html", "created_at")
CHANNEL_COLUMNS = ("id", "kind", "group_id", "direct_key", "created_at")


def _channels(world, first_id: int) -> list[dict]:
    """Group channels, then direct conversations: ``{"id", "members", "weight", ...}``."""
    rng = world.rng
    channels = [{"id": first_id + n, "kind": GROUP, "group_id": g["id"], "key": None, "members": g["members"],
                 "weight": g["weight"], "created": g["created"]} for n, g in enumerate(world.groups)]
    group_share = sum(c["weight"] for c in channels)
    pairs: set[tuple[int, int]] = set()
    attempts = 0
    while len(pairs) < world.scale.direct_channels and attempts < world.scale.direct_channels * 20:
        attempts += 1
        members = rng.choice(world.groups)["members"] if world.groups else world.user_ids
        a, b = rng.choice(members), rng.choice(members)
        if a != b:
            pairs.add((min(a, b), max(a, b)))
    weight = group_share * 3 / 7 / max(len(pairs), 1)
    for a, b in sorted(pairs):
        channels.append({"id": first_id + len(channels), "kind": DIRECT, "group_id": None, "key": f"{a},{b}",
                         "members": [a, b], "weight": weight * rng.uniform(0.2, 1.8),
                         "created": world.moment(rng.uniform(0.2, 0.9))})
    return channels


def _messages(world, channels: list[dict], first_id: int):
    rng, pool, total = world.rng, world.pools.chat, world.scale.chat_messages
    cumulative = list(accumulate(c["weight"] for c in channels))
    for n in range(total):
        channel = rng.choices(channels, cum_weights=cumulative)[0]
        at = max(channel["created"], world.moment(0.25 + 0.75 * n / total))
        text = rng.choice(pool)
        channel["last"], channel["last_at"] = first_id + n, at
        yield first_id + n, channel["id"], rng.choice(channel["members"]), text.body, text.html, at


def _read_markers(world, channels: list[dict]):
    rng = world.rng
    for channel in channels:
        last = channel.get("last", 0)
        for user_id in channel["members"]:
            marker = last if rng.random() < 0.7 else max(0, last - rng.randint(1, 40))
            yield channel["id"], user_id, marker, channel["created"]


def generate(world) -> list:
    writer = world.writer
    channels = _channels(world, writer.next_id(Channel.__table__))
    writer.write(Channel.__table__, CHANNEL_COLUMNS,
                 ((c["id"], c["kind"], c["group_id"], c["key"], c["created"]) for c in channels), "Chat channels")
    if channels:
        writer.write(ChatMessage.__table__, MESSAGE_COLUMNS,
                     _messages(world, channels, writer.next_id(ChatMessage.__table__)), "Chat messages")
    writer.write(ChannelMember.__table__, ("channel_id", "user_id", "last_read_message_id", "joined_at"),
                 _read_markers(world, channels), "Chat readers")
    writer.update(Channel.__table__, "id", [{"b_id": c["id"], "v_last_message_id": c["last"],
                                             "v_last_message_at": c["last_at"]} for c in channels if "last" in c])
    return [Channel.__table__, ChatMessage.__table__]
