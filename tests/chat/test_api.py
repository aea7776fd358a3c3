"""The chat API: history with cursors, permalinks, unread counts, direct conversations, limits."""

import pytest

from wilma.chat import services
from wilma.core.database import commit


@pytest.fixture
def team(make_user, make_group):
    anna, ben, carl = make_user("anna"), make_user("ben"), make_user("carl")
    group = make_group("Bürgerbüro", members=[anna, ben])
    channel = services.group_channel(group.id)
    commit()
    return {"anna": anna, "ben": ben, "carl": carl, "group": group, "cid": channel.id}


def post(auth, cid, body, client_id=None):
    return auth.api("POST", f"/api/v1/channels/{cid}/messages", {"body": body, "client_msg_id": client_id})


@pytest.mark.parametrize("app_config", [{"WILMA_CHAT_RATE_LIMIT": (1000, 10)}])
def test_history_pages_before_and_after_without_gaps(team, login_as):
    client, auth = login_as("anna")
    cid = team["cid"]
    ids = [post(auth, cid, f"Nachricht {i}", f"m{i}").json["id"] for i in range(75)]
    newest = client.get(f"/api/v1/channels/{cid}/messages?limit=30").json
    assert [m["id"] for m in newest["items"]] == ids[-30:] and newest["has_more"]
    older = client.get(f"/api/v1/channels/{cid}/messages?limit=30&before={ids[-30]}").json
    assert [m["id"] for m in older["items"]] == ids[-60:-30]
    rest = client.get(f"/api/v1/channels/{cid}/messages?limit=30&cursor={older['next_cursor']}").json
    assert [m["id"] for m in rest["items"]] == ids[:15] and not rest["has_more"]
    after = client.get(f"/api/v1/channels/{cid}/messages?after={ids[9]}&limit=50").json
    assert [m["id"] for m in after["items"]] == ids[10:60] and after["has_more"]
    tail = client.get(f"/api/v1/channels/{cid}/messages?cursor={after['next_cursor']}&limit=50").json
    assert [m["id"] for m in tail["items"]] == ids[60:] and not tail["has_more"]
    assert client.get(f"/api/v1/channels/{cid}/messages?after=abc").status_code == 400


def test_permalink_opens_the_message_in_context(team, login_as):
    client, auth = login_as("anna")
    ids = [post(auth, team["cid"], f"Punkt {i}", f"p{i}").json["id"] for i in range(5)]
    response = client.get(f"/chat/messages/{ids[2]}")
    assert response.status_code == 302 and f"around={ids[2]}" in response.location
    page = client.get(response.location).get_data(as_text=True)
    assert f'id="message-{ids[2]}"' in page and "is-target" in page and "Punkt 4" in page
    outsider, _ = login_as("carl")
    assert outsider.get(f"/chat/messages/{ids[2]}").status_code == 404


def test_unread_counts_per_channel_and_in_the_navigation(team, login_as):
    _anna_client, anna = login_as("anna")
    ben_client, ben = login_as("ben")
    direct = anna.api("POST", "/api/v1/channels", {"member_ids": [team["ben"].id]}).json["id"]
    for i in range(3):
        post(anna, team["cid"], f"Gruppe {i}", f"g{i}")
    last = post(anna, direct, "Direkt", "d1").json["id"]
    listing = ben_client.get("/api/v1/channels").json
    assert {c["id"]: c["unread"] for c in listing["items"]} == {team["cid"]: 3, direct: 1}
    assert listing["unread_total"] == 4
    page = ben_client.get("/api/v1/me")  # any page: the badge next to "Chat"
    html = ben_client.get(f"/people/{team['ben'].id}").get_data(as_text=True)
    assert 'data-nav-badge="chat" data-count="4"' in html and page.status_code == 200
    assert ben.api("POST", f"/api/v1/channels/{direct}/read", {"message_id": last}).json["unread_total"] == 3
    assert ben_client.get("/api/v1/channels").json["unread_total"] == 3
    assert _anna_client.get("/api/v1/channels").json["unread_total"] == 0  # own messages are read


def test_direct_conversation_is_reused_and_private(team, login_as):
    carl_client, carl = login_as("carl")
    _c, anna = login_as("anna")
    first = anna.api("POST", "/api/v1/channels", {"member_ids": [team["ben"].id, team["carl"].id]})
    again = carl.api("POST", "/api/v1/channels", {"member_ids": [team["anna"].id, team["ben"].id]})
    assert first.status_code == 201 and again.status_code == 200 and again.json["id"] == first.json["id"]
    pair = anna.api("POST", "/api/v1/channels", {"member_ids": [team["ben"].id]})
    assert pair.status_code == 201 and pair.json["id"] != first.json["id"]
    assert carl_client.get(f"/api/v1/channels/{pair.json['id']}/messages").status_code == 404
    assert anna.api("POST", "/api/v1/channels", {"member_ids": []}).status_code == 400
    assert anna.api("POST", "/api/v1/channels", {"member_ids": [9999]}).status_code == 400
    assert anna.api("POST", "/api/v1/channels", {"member_ids": "2"}).status_code == 400


def test_length_and_empty_bodies_are_refused(team, login_as):
    _client, auth = login_as("anna")
    assert post(auth, team["cid"], "x" * 4000, "ok").status_code == 201
    too_long = post(auth, team["cid"], "x" * 4001, "long")
    assert too_long.status_code == 400 and too_long.json["error"]["field"] == "body"
    assert post(auth, team["cid"], "   ", "blank").status_code == 400
    assert post(auth, team["cid"], "hi", "x" * 65).status_code == 400


@pytest.mark.parametrize("app_config", [{"WILMA_CHAT_RATE_LIMIT": (5, 60)}])
def test_sending_too_fast_is_limited_per_person(team, login_as):
    _c, anna = login_as("anna")
    _c2, ben = login_as("ben")
    codes = [post(anna, team["cid"], f"spam {i}", f"s{i}").status_code for i in range(7)]
    assert codes == [201] * 5 + [429, 429]
    assert post(ben, team["cid"], "Ich darf noch", "b1").status_code == 201
    assert post(anna, team["cid"], "spam 0", "s0").status_code == 200  # a retry of a stored one still answers


def test_mentions_notify_members_only(team, login_as, make_user):
    from sqlalchemy import select

    from wilma.extensions import db
    from wilma.notifications.models import Notification

    _c, anna = login_as("anna")
    post(anna, team["cid"], "@ben und @carl, bitte schauen", "m1")
    recipients = set(db.session.scalars(select(Notification.recipient_id).where(Notification.kind == "mention")))
    assert recipients == {team["ben"].id}
