"""Indicators switched off for the installation, the plugin hook, files in chat."""

import io
from pathlib import Path

import pytest
from PIL import Image

from tests.chat.conftest import events
from wilma.chat import services
from wilma.core.database import commit

OFF = {"WILMA_CHAT_PRESENCE": False, "WILMA_CHAT_TYPING": False, "WILMA_CHAT_READ_MARKERS": False}


def _channel(make_user, make_group):
    anna, ben = make_user("anna"), make_user("ben")
    group = make_group("Team", members=[anna, ben])
    cid = services.group_channel(group.id).id
    commit()
    return anna, ben, cid


def test_indicators_on_by_default(make_user, make_group, sock, login_as):
    anna, _ben, cid = _channel(make_user, make_group)
    ben_sock = sock("ben")
    anna_sock = sock("anna")
    assert events(ben_sock, "presence")
    msg = anna_sock.emit("chat:send", {"channel_id": cid, "body": "hi", "client_msg_id": "1"}, callback=True)
    anna_sock.emit("chat:typing", {"channel_id": cid})
    assert events(ben_sock, "chat:typing")
    ben_sock.emit("chat:read", {"channel_id": cid, "message_id": msg["id"]}, callback=True)
    assert events(anna_sock, "chat:read") == [{"channel_id": cid, "user_id": _ben.id, "message_id": msg["id"]}]
    page = login_as("ben")[0].get(f"/chat/{cid}").get_data(as_text=True)
    assert 'id="chat-typing"' in page and "presence-dot" in page and 'id="chat-seen"' in page


@pytest.mark.parametrize("app_config", [OFF])
def test_indicators_switched_off_are_neither_sent_nor_shown(make_user, make_group, sock, login_as):
    anna, _ben, cid = _channel(make_user, make_group)
    ben_sock = sock("ben")
    anna_sock = sock("anna")
    msg = anna_sock.emit("chat:send", {"channel_id": cid, "body": "hi", "client_msg_id": "1"}, callback=True)
    anna_sock.emit("chat:typing", {"channel_id": cid})
    anna_sock.emit("chat:presence", {"status": "away"}, callback=True)
    state = ben_sock.emit("chat:read", {"channel_id": cid, "message_id": msg["id"]}, callback=True)
    assert state["unread"] == 0  # one's own unread count still works
    names = [e["name"] for e in ben_sock.get_received() + anna_sock.get_received()]
    assert "chat:message" in names
    assert not {"presence", "chat:typing", "chat:read"} & set(names)
    client = login_as("ben")[0]
    page = client.get(f"/chat/{cid}").get_data(as_text=True)
    assert 'id="chat-typing"' not in page and "presence-dot" not in page and 'id="chat-seen"' not in page
    assert 'data-presence="0"' in page and 'data-typing="0"' in page and 'data-read-markers="0"' in page
    members = client.get(f"/api/v1/channels/{cid}/members").json["items"]
    assert {m["presence"] for m in members} == {None}


def test_plugin_hook_runs_once_after_commit(app, make_user, make_group, sock):
    from wilma.core.hookspecs import hookimpl
    from wilma.extensions import db

    seen = []

    class Recorder:
        @hookimpl
        def wilma_chat_message_sent(self, message, user):
            # after commit: the message is readable from a fresh query
            from wilma.chat.models import ChatMessage

            seen.append((db.session.get(ChatMessage, message.id).body, user.username))

    app.extensions["wilma_plugins"].manager.register(Recorder())
    _anna, _ben, cid = _channel(make_user, make_group)
    anna_sock = sock("anna")
    for _ in range(2):
        anna_sock.emit("chat:send", {"channel_id": cid, "body": "Hook", "client_msg_id": "h1"}, callback=True)
    assert seen == [("Hook", "anna")]


def _png() -> bytes:
    out = io.BytesIO()
    Image.new("RGB", (8, 8), "red").save(out, "PNG")
    return out.getvalue()


def test_files_in_chat_follow_the_upload_rules(make_user, make_group, login_as):
    anna, _ben, cid = _channel(make_user, make_group)
    make_user("carl")
    client, auth = login_as("anna")
    token = auth.csrf("/settings/profile")
    sent = client.post(f"/chat/{cid}/upload", headers={"X-CSRFToken": token, "Accept": "application/json"},
                       data={"file": (io.BytesIO(_png()), "plan.png"), "body": "Der Plan", "client_msg_id": "f1"})
    assert sent.status_code == 201, sent.json
    file = sent.json["attachments"][0]
    assert file["is_image"] and file["filename"] == "plan.png"
    ben_client, _ = login_as("ben")
    image = ben_client.get(file["url"])
    assert image.status_code == 200 and image.mimetype == "image/png"
    assert login_as("carl")[0].get(file["url"]).status_code == 404
    fake = client.post(f"/chat/{cid}/upload", headers={"X-CSRFToken": token, "Accept": "application/json"},
                       data={"file": (io.BytesIO(b"<script>alert(1)</script>"), "evil.html")})
    assert fake.status_code == 400
    pdf = client.post(f"/chat/{cid}/upload", headers={"X-CSRFToken": token, "Accept": "application/json"},
                      data={"file": (io.BytesIO(b"%PDF-1.4 test"), "a.pdf")})
    assert pdf.status_code == 201
    download = ben_client.get(pdf.json["attachments"][0]["url"])
    assert download.headers["Content-Disposition"].startswith("attachment")
    stored = list((Path(auth.client.application.config["WILMA_UPLOAD_DIR"]) / "chat").iterdir())
    assert len(stored) == 2
    deleted = auth.api("DELETE", f"/api/v1/channels/{cid}/messages/{sent.json['id']}")
    assert deleted.status_code == 200 and deleted.json["attachments"] == []
    assert ben_client.get(file["url"]).status_code == 404
    assert len(list((Path(auth.client.application.config["WILMA_UPLOAD_DIR"]) / "chat").iterdir())) == 1


@pytest.mark.parametrize("app_config", [{"WILMA_CHAT_PRESENCE_MAX_MEMBERS": 2}])
def test_presence_is_not_broadcast_into_large_channels(make_user, make_group, sock, login_as):
    anna, ben, carl = make_user("anna"), make_user("ben"), make_user("carl")
    big = make_group("Alle", members=[anna, ben, carl])
    small = make_group("Zwei", members=[anna, ben])
    big_id, small_id = services.group_channel(big.id).id, services.group_channel(small.id).id
    commit()
    ben_sock = sock("ben")
    sock("anna")
    received = events(ben_sock, "presence")
    assert received == [{"user_id": anna.id, "status": "online"}]  # once, through the small channel only
    members = login_as("carl")[0].get(f"/api/v1/channels/{big_id}/members").json["items"]
    assert {m["username"]: m["presence"] for m in members}["anna"] == "online"  # still shown on load
    assert small_id != big_id


@pytest.mark.parametrize("app_config", [{"WILMA_PLUGINS": ["example"]}])
def test_example_plugin_hears_of_each_stored_message_once(make_user, make_group, sock):
    from plugins.example.services import latest_greetings

    _anna, _ben, cid = _channel(make_user, make_group)
    anna_sock = sock("anna")
    for _ in range(2):  # the same client_msg_id twice: stored and announced once
        anna_sock.emit("chat:send", {"channel_id": cid, "body": "Hallo", "client_msg_id": "x"}, callback=True)
    kinds = [g.kind for g in latest_greetings()]
    assert kinds.count("chat_message_sent") == 1
