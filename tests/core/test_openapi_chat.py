"""The chat routes answer exactly what the OpenAPI document says."""

import pytest

from tests.core.openapi_checks import check, check_items


def test_channels_and_messages_match_the_document(app, client, auth, make_user, bert, document):
    make_user("anna")
    auth.login("anna")
    gid = auth.api("POST", "/api/v1/groups", {"name": "Hausmeisterei"}).get_json()["id"]

    start = {"member_ids": [bert.user.id]}
    opened = auth.api("POST", "/api/v1/channels", start)
    assert opened.status_code == 201
    direct = check(document, "post", "/channels", opened, sent=start)
    assert direct["kind"] == "direct" and {m["display_name"] for m in direct["members"]} == {"Anna", "Bert"}
    again = auth.api("POST", "/api/v1/channels", start)
    assert again.status_code == 200 and check(document, "post", "/channels", again)["id"] == direct["id"]

    channels = check(document, "get", "/channels", client.get("/api/v1/channels"))
    assert {c["kind"] for c in channels["items"]} == {"group", "direct"}
    check_items(document, "get", "/channels", channels)
    group_channel = next(c for c in channels["items"] if c["group_id"] == gid)
    cid = group_channel["id"]
    check(document, "get", "/channels/{id}", client.get(f"/api/v1/channels/{cid}"))
    members = check(document, "get", "/channels/{id}/members", client.get(f"/api/v1/channels/{cid}/members"))
    assert [m["username"] for m in members["items"]] == ["anna"]
    check_items(document, "get", "/channels/{id}/members", members)

    sent = {"body": "Hallo **alle** <script>x</script>", "client_msg_id": "m-1"}
    created = auth.api("POST", f"/api/v1/channels/{cid}/messages", sent)
    assert created.status_code == 201
    message = check(document, "post", "/channels/{id}/messages", created, sent=sent)
    assert message["body"] == sent["body"]
    assert "<strong>alle</strong>" in message["html"] and "<script" not in message["html"]
    retry = auth.api("POST", f"/api/v1/channels/{cid}/messages", sent)
    assert retry.status_code == 200
    assert check(document, "post", "/channels/{id}/messages", retry)["id"] == message["id"]
    elsewhere = auth.api("POST", f"/api/v1/channels/{direct['id']}/messages", sent)
    assert elsewhere.status_code == 409
    check(document, "post", "/channels/{id}/messages", elsewhere)
    for n in range(3):
        auth.api("POST", f"/api/v1/channels/{cid}/messages", {"body": f"Nachricht {n}"})

    history = check(document, "get", "/channels/{id}/messages",
                    client.get(f"/api/v1/channels/{cid}/messages?limit=2"))
    assert history["has_more"] and history["next_cursor"] and "has_older" not in history
    check_items(document, "get", "/channels/{id}/messages", history)
    around = check(document, "get", "/channels/{id}/messages",
                   client.get(f"/api/v1/channels/{cid}/messages?around={message['id']}&limit=2"))
    assert around["has_older"] is False

    mid = message["id"]
    path = "/channels/{id}/messages/{message_id}"
    edit = {"body": "Hallo _alle_"}
    edited = check(document, "patch", path, auth.api("PATCH", f"/api/v1/channels/{cid}/messages/{mid}", edit),
                   sent=edit)
    assert edited["edited_at"] and "<em>alle</em>" in edited["html"]
    reaction = {"emoji": "👍"}
    reacted = auth.api("POST", f"/api/v1/channels/{cid}/messages/{mid}/reactions", reaction)
    assert check(document, "post", path + "/reactions", reacted, sent=reaction)["reactions"][0]["count"] == 1
    read = {"message_id": mid}
    state = check(document, "post", "/channels/{id}/read",
                  auth.api("POST", f"/api/v1/channels/{cid}/read", read), sent=read)
    assert state["channel_id"] == cid and state["message_id"] > mid  # my own later messages are read
    deleted = check(document, "delete", path, auth.api("DELETE", f"/api/v1/channels/{cid}/messages/{mid}"))
    assert deleted["deleted"] is True and deleted["body"] == "" and deleted["html"] == ""


def test_chat_refusals_match_the_document(app, client, auth, make_user, bert, document):
    make_user("anna")
    auth.login("anna")
    gid = auth.api("POST", "/api/v1/groups", {"name": "Poststelle"}).get_json()["id"]
    cid = next(c["id"] for c in client.get("/api/v1/channels").get_json()["items"] if c["group_id"] == gid)
    mid = auth.api("POST", f"/api/v1/channels/{cid}/messages", {"body": "Hallo"}).get_json()["id"]

    outsider = bert.api("GET", f"/api/v1/channels/{cid}/messages")
    assert outsider.status_code == 404
    check(document, "get", "/channels/{id}/messages", outsider)
    assert bert.api("POST", f"/api/v1/groups/{gid}/join").status_code == 200
    not_mine = bert.api("PATCH", f"/api/v1/channels/{cid}/messages/{mid}", {"body": "Meins"})
    assert not_mine.status_code == 403
    check(document, "patch", "/channels/{id}/messages/{message_id}", not_mine)

    for method, path, payload, documented in (
            ("POST", "/api/v1/channels", {"member_ids": "bert"}, "/channels"),
            ("POST", f"/api/v1/channels/{cid}/messages", {"body": " "}, "/channels/{id}/messages"),
            ("POST", f"/api/v1/channels/{cid}/messages/{mid}/reactions", {"emoji": "x"},
             "/channels/{id}/messages/{message_id}/reactions"),
            ("POST", f"/api/v1/channels/{cid}/read", {"message_id": "neu"}, "/channels/{id}/read")):
        refused = auth.api(method, path, payload)
        assert refused.status_code == 400, path
        check(document, method.lower(), documented, refused)
    bad_anchor = client.get(f"/api/v1/channels/{cid}/messages?after=gestern")
    assert bad_anchor.status_code == 400
    check(document, "get", "/channels/{id}/messages", bad_anchor)

    auth.api("PATCH", f"/api/v1/groups/{gid}", {"archived": True})
    archived = auth.api("POST", f"/api/v1/channels/{cid}/messages", {"body": "Noch da?"})
    assert archived.status_code == 403
    check(document, "post", "/channels/{id}/messages", archived)

    anonymous = app.test_client().get("/api/v1/channels")
    assert anonymous.status_code == 401
    check(document, "get", "/channels", anonymous)


@pytest.mark.parametrize("app_config", [{"WILMA_CHAT_RATE_LIMIT": (2, 60)}])
def test_sending_too_fast_matches_the_document(app, client, auth, make_user, document):
    make_user("anna")
    bert = make_user("bert")
    auth.login("anna")
    cid = auth.api("POST", "/api/v1/channels", {"member_ids": [bert.id]}).get_json()["id"]
    statuses = [auth.api("POST", f"/api/v1/channels/{cid}/messages", {"body": f"{n}"}).status_code
                for n in range(3)]
    assert statuses == [201, 201, 429]
    check(document, "post", "/channels/{id}/messages",
          auth.api("POST", f"/api/v1/channels/{cid}/messages", {"body": "noch mal"}))
