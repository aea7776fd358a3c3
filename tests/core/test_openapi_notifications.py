"""The notification routes answer exactly what the OpenAPI document says."""


from tests.conftest import Auth
from tests.core.openapi_checks import check, check_items


def test_notifications_match_the_document(app, client, auth, make_user, document):
    make_user("anna")
    make_user("bert")
    auth.login("anna")
    gid = auth.api("POST", "/api/v1/groups", {"name": "Personalrat", "visibility": "private"}).get_json()["id"]
    bert = Auth(app.test_client())
    bert.login("bert")
    assert bert.api("POST", f"/api/v1/groups/{gid}/join").status_code == 202  # anna is notified

    listed = check(document, "get", "/notifications", client.get("/api/v1/notifications"))
    assert listed["unread_count"] == 1
    check_items(document, "get", "/notifications", listed)
    item = listed["items"][0]
    assert item["kind"] == "join_request" and item["actor"]["display_name"] == "Bert"
    assert item["read"] is False and "Personalrat" in item["text"]

    sent = {"ids": [item["id"]]}
    marked = check(document, "post", "/notifications/read", auth.api("POST", "/api/v1/notifications/read", sent),
                   sent=sent)
    assert marked == {"marked": 1, "unread_count": 0}
    unread = check(document, "get", "/notifications", client.get("/api/v1/notifications?unread=1"))
    assert unread["items"] == [] and unread["unread_count"] == 0
    everything = {"all": True}
    again = auth.api("POST", "/api/v1/notifications/read", everything)
    assert check(document, "post", "/notifications/read", again, sent=everything) == {"marked": 0,
                                                                                       "unread_count": 0}


def test_notification_refusals_match_the_document(app, client, auth, make_user, document):
    make_user("anna")
    auth.login("anna")
    for payload in ({}, {"ids": ["eins"]}, {"all": "yes"}):
        refused = auth.api("POST", "/api/v1/notifications/read", payload)
        assert refused.status_code == 400, payload
        check(document, "post", "/notifications/read", refused)
    bad_cursor = client.get("/api/v1/notifications?cursor=bm9wZQ")
    assert bad_cursor.status_code == 400
    check(document, "get", "/notifications", bad_cursor)
    too_large = auth.api("POST", "/api/v1/notifications/read", {"ids": [1] * (8 * 1024 * 1024)})
    assert too_large.status_code == 413
    check(document, "post", "/notifications/read", too_large)

    anonymous = app.test_client()
    for method, path in (("get", "/notifications"), ("post", "/notifications/read")):
        response = anonymous.open("/api/v1" + path, method=method.upper(), json={"all": True},
                                  headers={"Authorization": "Bearer not-a-token"})
        assert response.status_code == 401
        check(document, method, path, response)
