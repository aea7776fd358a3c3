"""Socket.IO events and who receives them: members only, re-checked on every event."""

from sqlalchemy import delete, func, select

from tests.chat.conftest import events
from wilma.chat import services
from wilma.chat.models import ChatMessage
from wilma.core.database import commit
from wilma.extensions import db
from wilma.groups.models import GroupMembership


def _setup(make_user, make_group):
    anna, ben, carl = make_user("anna"), make_user("ben"), make_user("carl")
    group = make_group("Radverkehr", members=[anna, ben], visibility="private")
    channel = services.group_channel(group.id)
    commit()
    return anna, ben, carl, group, channel.id


def send(sio, channel_id, body, client_msg_id):
    return sio.emit("chat:send", {"channel_id": channel_id, "body": body, "client_msg_id": client_msg_id},
                    callback=True)


def test_members_receive_live_and_outsiders_get_nothing(app, make_user, make_group, sock):
    _anna, _ben, _carl, _group, cid = _setup(make_user, make_group)
    anna_tab1, anna_tab2, ben, carl = sock("anna"), sock("anna"), sock("ben"), sock("carl")
    ack = send(anna_tab1, cid, "Treffen um **10 Uhr**", "c-1")
    assert ack["id"] and ack["channel_id"] == cid and ack["html"].count("<strong>10 Uhr</strong>") == 1
    assert [m["id"] for m in events(ben, "chat:message")] == [ack["id"]]
    assert [m["id"] for m in events(anna_tab2, "chat:message")] == [ack["id"]]  # the sender's other tab
    assert events(carl, "chat:message") == []


def test_outsider_cannot_send_type_or_read(app, make_user, make_group, sock, login_as):
    _anna, _ben, _carl, _group, cid = _setup(make_user, make_group)
    ben, carl = sock("ben"), sock("carl")
    ack = send(carl, cid, "Hallo?", "c-1")
    assert ack["error"]["code"] == "not_found"
    assert carl.emit("chat:typing", {"channel_id": cid}, callback=True)["error"]["code"] == "not_found"
    assert carl.emit("chat:read", {"channel_id": cid, "message_id": 1}, callback=True)["error"]["code"] == "not_found"
    assert events(ben, "chat:message") == [] and events(ben, "chat:typing") == []
    assert db.session.scalar(select(func.count(ChatMessage.id))) == 0
    client, _auth = login_as("carl")
    assert client.get(f"/api/v1/channels/{cid}/messages").status_code == 404
    assert client.get(f"/chat/{cid}").status_code == 404


def test_member_removed_is_cut_off_at_once(app, make_user, make_group, sock, login_as):
    anna, ben, _carl, group, cid = _setup(make_user, make_group)
    anna_sock, ben_sock = sock("anna"), sock("ben")
    db.session.execute(delete(GroupMembership).where(GroupMembership.user_id == ben.id))
    services.member_removed(group.id, ben.id)
    commit()
    assert events(ben_sock, "chat:removed") == [{"channel_id": cid}]
    send(anna_sock, cid, "Nur noch für Mitglieder", "c-1")
    assert events(ben_sock, "chat:message") == []
    assert send(ben_sock, cid, "Ich bin noch da", "c-2")["error"]["code"] == "not_found"
    ben_client, _ = login_as("ben")
    assert ben_client.get(f"/api/v1/channels/{cid}/messages").status_code == 404


def test_removal_without_notice_is_still_checked_on_every_event(app, make_user, make_group, sock, login_as):
    anna, ben, _carl, group, cid = _setup(make_user, make_group)
    anna_sock, ben_sock = sock("anna"), sock("ben")
    ben_client, _ = login_as("ben")
    db.session.execute(delete(GroupMembership).where(GroupMembership.user_id == ben.id))
    commit()  # the groups feature forgot to call member_removed
    assert send(ben_sock, cid, "Psst", "c-1")["error"]["code"] == "not_found"
    assert ben_client.get(f"/api/v1/channels/{cid}/messages").status_code == 404
    # the refused event also took the socket out of the room: it hears nothing more
    send(anna_sock, cid, "Geheim", "c-2")
    assert events(ben_sock, "chat:message") == []


def test_member_added_joins_open_sockets(app, make_user, make_group, sock):
    anna, _ben, carl, group, cid = _setup(make_user, make_group)
    anna_sock, carl_sock = sock("anna"), sock("carl")
    db.session.add(GroupMembership(group_id=group.id, user_id=carl.id))
    services.member_added(group.id, carl.id)
    commit()
    ack = send(anna_sock, cid, "Willkommen Carl", "c-1")
    assert [m["id"] for m in events(carl_sock, "chat:message")] == [ack["id"]]


def test_logout_password_change_and_deactivation_close_the_socket(app, make_user, make_group, sock, login_as):
    from wilma.accounts import services as accounts

    _setup(make_user, make_group)
    client, auth = login_as("anna")
    anna_sock = sock("anna", client)
    auth.logout()
    assert not anna_sock.is_connected()

    _other_client, other_auth = login_as("ben")
    ben_elsewhere = sock("ben")
    response = other_auth.post("/settings/password", {"current_password": "correct horse battery",
                                                      "new_password": "a new long passphrase 42",
                                                      "confirm": "a new long passphrase 42"})
    assert response.status_code in (200, 302)
    assert not ben_elsewhere.is_connected()

    carl_sock = sock("carl")
    accounts.set_active(db.session.scalar(select(accounts.User).where(accounts.User.username == "carl")), False)
    assert not carl_sock.is_connected()


def test_same_client_msg_id_is_stored_and_delivered_once(app, make_user, make_group, sock, login_as):
    _anna, _ben, _carl, _group, cid = _setup(make_user, make_group)
    anna_sock, ben_sock = sock("anna"), sock("ben")
    first = send(anna_sock, cid, "Einmal", "same-id")
    again = send(anna_sock, cid, "Einmal", "same-id")
    assert first["id"] == again["id"]
    assert len(events(ben_sock, "chat:message")) == 1
    _client, auth = login_as("anna")
    response = auth.api("POST", f"/api/v1/channels/{cid}/messages", {"body": "Einmal", "client_msg_id": "same-id"})
    assert response.status_code == 200 and response.json["id"] == first["id"]
    assert db.session.scalar(select(func.count(ChatMessage.id))) == 1


def test_edit_and_delete_own_messages_live(app, make_user, make_group, sock):
    _anna, _ben, _carl, _group, cid = _setup(make_user, make_group)
    anna_sock, ben_sock = sock("anna"), sock("ben")
    mine = send(anna_sock, cid, "Tippfeler", "c-1")
    events(ben_sock, "chat:message")
    refused = ben_sock.emit("chat:edit", {"message_id": mine["id"], "body": "x"}, callback=True)
    assert refused["error"]["code"] == "forbidden"
    edited = anna_sock.emit("chat:edit", {"message_id": mine["id"], "body": "Tippfehler"}, callback=True)
    assert edited["body"] == "Tippfehler" and edited["edited_at"]
    assert [m["body"] for m in events(ben_sock, "chat:edited")] == ["Tippfehler"]
    anna_sock.emit("chat:delete", {"message_id": mine["id"]}, callback=True)
    gone = events(ben_sock, "chat:deleted")
    assert gone[0]["id"] == mine["id"] and gone[0]["deleted"] and gone[0]["body"] == ""


def test_reactions_toggle_and_reach_the_channel(app, make_user, make_group, sock):
    _anna, ben, _carl, _group, cid = _setup(make_user, make_group)
    anna_sock, ben_sock = sock("anna"), sock("ben")
    msg = send(anna_sock, cid, "Kuchen im 3. Stock", "c-1")
    reacted = ben_sock.emit("chat:react", {"message_id": msg["id"], "emoji": "🎉"}, callback=True)
    assert reacted["reactions"] == [{"emoji": "🎉", "count": 1, "user_ids": [ben.id]}]
    assert events(anna_sock, "chat:reaction")[0]["reactions"][0]["count"] == 1
    undone = ben_sock.emit("chat:react", {"message_id": msg["id"], "emoji": "🎉"}, callback=True)
    assert undone["reactions"] == []
    assert ben_sock.emit("chat:react", {"message_id": msg["id"], "emoji": "<b>"}, callback=True)["error"]


def test_typing_reaches_others_not_the_typist(app, make_user, make_group, sock):
    _anna, _ben, _carl, _group, cid = _setup(make_user, make_group)
    anna_sock, ben_sock, carl_sock = sock("anna"), sock("ben"), sock("carl")
    anna_sock.emit("chat:typing", {"channel_id": cid})
    assert [t["user"]["display_name"] for t in events(ben_sock, "chat:typing")] == ["Anna"]
    assert events(anna_sock, "chat:typing") == [] and events(carl_sock, "chat:typing") == []


def test_presence_online_away_offline(app, make_user, make_group, sock, login_as):
    anna, _ben, _carl, _group, cid = _setup(make_user, make_group)
    ben_sock = sock("ben")
    anna_sock = sock("anna")
    assert {"user_id": anna.id, "status": "online"} in events(ben_sock, "presence")
    anna_sock.emit("chat:presence", {"status": "away"}, callback=True)
    assert {"user_id": anna.id, "status": "away"} in events(ben_sock, "presence")
    client, _ = login_as("ben")
    people = {p["username"]: p["presence"] for p in client.get(f"/api/v1/channels/{cid}/members").json["items"]}
    assert people["anna"] == "away"
    anna_sock.disconnect()
    assert {"user_id": anna.id, "status": "offline"} in events(ben_sock, "presence")
    people = {p["username"]: p["presence"] for p in client.get(f"/api/v1/channels/{cid}/members").json["items"]}
    assert people["anna"] == "offline"


def test_typing_floods_are_thinned_out(app, make_user, make_group, sock):
    _anna, _ben, _carl, _group, cid = _setup(make_user, make_group)
    anna_sock, ben_sock = sock("anna"), sock("ben")
    for _ in range(20):
        anna_sock.emit("chat:typing", {"channel_id": cid})
    assert len(events(ben_sock, "chat:typing")) == 1
    send(anna_sock, cid, "Fertig", "c-1")  # after a message, the next keystroke shows at once
    anna_sock.emit("chat:typing", {"channel_id": cid})
    assert len(events(ben_sock, "chat:typing")) == 1


def test_leaving_through_the_groups_feature_cuts_the_channel_off(app, make_user, make_group, sock):
    from wilma.groups import membership

    anna, ben, carl, group, cid = _setup(make_user, make_group)
    group.visibility = "public"
    commit()
    anna_sock, ben_sock, carl_sock = sock("anna"), sock("ben"), sock("carl")
    membership.leave(ben, group.id)
    assert events(ben_sock, "chat:removed") == [{"channel_id": cid}]
    membership.join(carl, group.id)
    assert events(carl_sock, "chat:channel") == [{"channel_id": cid}]
    ack = send(anna_sock, cid, "Hallo Carl", "c-1")
    assert [m["id"] for m in events(carl_sock, "chat:message")] == [ack["id"]]
    assert events(ben_sock, "chat:message") == []
