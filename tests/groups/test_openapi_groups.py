"""The OpenAPI document describes the group and notification answers exactly as the server gives them."""

from tests.core.test_openapi import _check, _property_names, _response_schema, document  # noqa: F401
from wilma.core.database import commit
from wilma.notifications import services as notifications


def test_group_and_notification_answers_match_the_document(world, auth, browser, document):  # noqa: F811
    group = world.groups["private"]
    auth.login("owner")
    listed = browser.api("GET", "/api/v1/groups").get_json()
    _check(document, "/groups", listed)
    assert _property_names(document, _response_schema(document, "/groups")["properties"]["items"]["items"]) == set(
        listed["items"][0])
    _check(document, "/groups/{id}", browser.api("GET", f"/api/v1/groups/{group.id}").get_json())
    members = browser.api("GET", f"/api/v1/groups/{group.id}/members").get_json()
    _check(document, "/groups/{id}/members", members)
    member_schema = _response_schema(document, "/groups/{id}/members")["properties"]["items"]["items"]
    assert _property_names(document, member_schema) == set(members["items"][0])
    requests = browser.api("GET", f"/api/v1/groups/{group.id}/requests").get_json()
    _check(document, "/groups/{id}/requests", requests)
    _check(document, "/groups/{id}", browser.api("GET", "/api/v1/groups/999999").get_json(), "404")

    notifications.notify(recipients=[world.people["owner"]], kind="like", actor=world.people["member"],
                         subject_type="post", subject_id=1, text="Hallo", url="/posts/1", group_by_subject=True)
    commit()
    page = browser.api("GET", "/api/v1/notifications").get_json()
    _check(document, "/notifications", page)
    item_schema = document["components"]["schemas"]["Notification"]
    assert set(item_schema["properties"]) == set(page["items"][0])
