"""Demo chat: a conversation in the channel of each demo group that exists, and a direct conversation.

Messages are written straight into the tables (no live delivery during ``flask wilma demo``); each
member has read all but the last few, so the unread badges have something to show.
"""

from datetime import timedelta

from sqlalchemy import inspect, select

from wilma.chat.models import DIRECT, Channel, ChannelMember, ChatMessage
from wilma.chat.services import group_channel
from wilma.core.markdown import render_inline_markdown
from wilma.core.models import utcnow
from wilma.extensions import db
from wilma.groups.models import Group, GroupMembership

CONVERSATIONS = {
    "Intranet-Redaktion": [
        ("anna", "Guten Morgen! Der **Newsletter** geht heute um 14 Uhr raus."),
        ("dora", "Ich habe die Meldung zum Stadtlauf noch ergänzt, bitte kurz drüberschauen."),
        ("katrin", "Passt von meiner Seite. Foto ist freigegeben."),
        ("ben", "Die neue Startseite ist auf der Testumgebung: https://intranet.example/test"),
        ("anna", "Super, danke @ben! Dann stellen wir sie am Montag live."),
    ],
    "Radverkehr": [
        ("noah", "Die Zählstelle an der Ludwigsbrücke meldet einen neuen Rekord: 14.000 Räder gestern."),
        ("mia", "Wahnsinn. Können wir die Zahlen für die Präsentation im Ausschuss nutzen?"),
        ("noah", "Klar, ich lege die Tabelle in die Gruppe."),
        ("carlos", "Kurze Frage zum Dienstradleasing: Wer ist da Ansprechpartner?"),
    ],
    "Azubis": [
        ("felix", "Willkommen an alle Neuen! Fragen gern hier im Chat."),
        ("greta", "Wo finde ich den Plan für die Berufsschulwochen?"),
        ("ursula", "Im Wiki unter *Ausbildung → Berufsschule*."),
        ("hannes", "Wer kommt am Freitag mit zum Azubi-Stammtisch? 🍕"),
    ],
    "Digitalisierungsboard": [
        ("emma", "Agenda für Donnerstag steht, bitte Ergänzungen bis morgen."),
        ("tim", "Ich bringe den Stand zur E-Akte mit."),
        ("clara", "Bürgerportal: Release 2.3 ist durch den Abnahmetest."),
    ],
}
DIRECT_MESSAGES = [
    ("ben", "Hast du kurz Zeit für das Layout der Startseite?"),
    ("anna", "Gleich nach dem Jour fixe, ca. 11 Uhr?"),
    ("ben", "Perfekt, bis dann!"),
]


def _write(channel: Channel, lines, people, start) -> int:
    last = 0
    for n, (username, body) in enumerate(lines):
        author = people.get(username)
        if author is None:
            continue
        message = ChatMessage(channel_id=channel.id, author_id=author.id, body=body,
                              html=render_inline_markdown(body), created_at=start + timedelta(minutes=7 * n))
        db.session.add(message)
        db.session.flush()
        last = message.id
        channel.last_message_id, channel.last_message_at = message.id, message.created_at
    return last


def load(people, echo) -> None:
    """Chat in the demo groups (those that exist) and between anna and ben."""
    if not inspect(db.session.connection()).has_table(ChatMessage.__tablename__):
        echo("Demo chat skipped: the database has no chat tables yet (flask db upgrade).")
        return
    start = utcnow() - timedelta(hours=3)
    count = 0
    for name, lines in CONVERSATIONS.items():
        group = db.session.scalar(select(Group).where(Group.name == name))
        if group is None:
            continue
        channel = group_channel(group.id)
        last = _write(channel, lines, people, start)
        count += len(lines)
        for user_id in db.session.scalars(select(GroupMembership.user_id).where(GroupMembership.group_id == group.id)):
            db.session.add(ChannelMember(channel_id=channel.id, user_id=user_id, last_read_message_id=max(0, last - 2)))
    if "anna" in people and "ben" in people:
        ids = sorted([people["anna"].id, people["ben"].id])
        channel = Channel(kind=DIRECT, direct_key=",".join(map(str, ids)))
        channel.members = [ChannelMember(user_id=i) for i in ids]
        db.session.add(channel)
        db.session.flush()
        _write(channel, DIRECT_MESSAGES, people, start + timedelta(hours=2))
        count += len(DIRECT_MESSAGES)
    echo(f"Demo chat: {count} messages.")
