"""The chat badge in the navigation (on every page) counts what the channel list counts.

The badge asks only the channels whose newest message is past the reader's marker; these cases check
that it still agrees with ``/api/v1/channels`` when messages are deleted, when someone joins a group
after its chat began (no marker yet) and when someone leaves.
"""

import re

from wilma.chat import services
from wilma.core.database import commit
from wilma.extensions import db
from wilma.groups.models import MEMBER, GroupMembership


def badge(client, user) -> int:
    html = client.get(f"/people/{user.id}").get_data(as_text=True)
    return int(re.search(r'data-nav-badge="chat" data-count="(\d+)"', html).group(1))


def listed(client) -> int:
    return client.get("/api/v1/channels").json["unread_total"]


def send(auth, cid, body):
    response = auth.api("POST", f"/api/v1/channels/{cid}/messages", {"body": body, "client_msg_id": body})
    assert response.status_code == 201
    return response.json["id"]


def test_badge_follows_messages_deletions_joins_and_leaving(make_user, make_group, login_as):
    anna, ben, carl = make_user("anna"), make_user("ben"), make_user("carl")
    group = make_group("Stadtbücherei", members=[anna, ben])
    cid = services.group_channel(group.id).id
    commit()
    anna_client, anna_auth = login_as("anna")
    ben_client, ben_auth = login_as("ben")
    carl_client, _carl_auth = login_as("carl")
    assert badge(ben_client, ben) == listed(ben_client) == 0

    sent = [send(anna_auth, cid, f"Ausleihe {i}") for i in range(3)]
    direct = anna_auth.api("POST", "/api/v1/channels", {"member_ids": [ben.id]}).json["id"]
    send(anna_auth, direct, "Unter vier Augen")
    assert badge(ben_client, ben) == listed(ben_client) == 4
    assert badge(anna_client, anna) == listed(anna_client) == 0  # her own messages

    assert anna_auth.api("DELETE", f"/api/v1/channels/{cid}/messages/{sent[1]}").status_code == 200
    assert badge(ben_client, ben) == listed(ben_client) == 3

    # carl joins after the chat began: what was written before he joined is not unread for him
    db.session.add(GroupMembership(group_id=group.id, user_id=carl.id, role=MEMBER))
    commit()
    assert badge(carl_client, carl) == listed(carl_client) == 0
    send(anna_auth, cid, "Neu im Team")
    assert badge(carl_client, carl) == listed(carl_client) == 1
    assert badge(ben_client, ben) == listed(ben_client) == 4

    ben_auth.api("POST", f"/api/v1/channels/{cid}/read", {"message_id": sent[0]})
    assert badge(ben_client, ben) == listed(ben_client) == 3  # a read marker in the middle

    assert ben_auth.api("POST", f"/api/v1/groups/{group.id}/leave").status_code in (200, 204)
    assert badge(ben_client, ben) == listed(ben_client) == 1  # only the direct conversation is left
    send(ben_auth, direct, "Danke")
    assert badge(anna_client, anna) == listed(anna_client) == 1
