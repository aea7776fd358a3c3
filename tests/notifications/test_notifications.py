"""Notifications a person notices: who is told about requests and approvals, the unread count,
marking read, settings per kind, grouped likes, and the live ``notification`` socket event."""

from tests.notifications.conftest import events
from wilma.notifications import services
from wilma.notifications.models import Notification


def _api_items(browser):
    return browser.api("GET", "/api/v1/notifications").get_json()


def test_join_request_notifies_owners_and_moderators_only(world, connect):
    group = world.groups["private"]
    outsider, _ = connect("outsider")
    owner, owner_socket = connect("owner")
    member, member_socket = connect("member")
    assert outsider.api("POST", f"/api/v1/groups/{group.id}/join").status_code == 202
    for browser in (owner, connect("moderator")[0]):
        data = _api_items(browser)
        assert data["unread_count"] == 1
        assert data["items"][0]["text"] == "Outsider Person asks to join Private Gruppe"
        assert data["items"][0]["url"] == f"/groups/{group.id}/requests"
    assert _api_items(member)["unread_count"] == 0
    assert events(owner_socket, "notification") == [{"kind": "join_request", "unread": 1}]
    assert events(member_socket, "notification") == []


def test_approval_notifies_the_requester(world, connect):
    group = world.groups["private"]
    requester, requester_socket = connect("requester")
    owner, _ = connect("owner")
    approved = owner.api("POST", f"/api/v1/groups/{group.id}/members", {"user_id": world.people["requester"].id})
    assert approved.get_json()["status"] == "member"
    data = _api_items(requester)
    assert [item["text"] for item in data["items"]] == ["You are now a member of Private Gruppe"]
    assert events(requester_socket, "notification") == [{"kind": "approval", "unread": 1}]
    page = requester.client.get("/notifications").get_data(as_text=True)
    assert 'id="notification-badge" data-count="1"' in page


def test_invitation_notifies_the_invitee(world, connect):
    group = world.groups["secret"]
    target, _ = connect("target")
    owner, _ = connect("owner")
    owner.api("POST", f"/api/v1/groups/{group.id}/members", {"user_id": world.people["target"].id})
    items = _api_items(target)["items"]
    assert items[0]["text"] == "Owner Person invited you to the group Secret Gruppe"
    assert items[0]["url"] == "/groups/invitations"


def test_people_who_cannot_read_the_group_are_never_notified(world, connect):
    group = world.groups["secret"]
    people = world.people
    _outsider, outsider_socket = connect("outsider")
    count = services.notify(recipients=[people["outsider"], people["admin"], people["member"]], kind="mention",
                            actor=people["owner"], subject_type="post", subject_id=1, group_id=group.id,
                            text="geheim", url="/posts/1")
    from wilma.core.database import commit

    commit()
    assert count == 1
    recipients = {n.recipient_id for n in Notification.query.all()}
    assert recipients == {people["member"].id}
    assert events(outsider_socket, "notification") == []


def test_notifications_of_a_group_one_left_disappear(world, connect):
    group = world.groups["private"]
    member, _ = connect("member")
    services.notify(recipients=[world.people["member"]], kind="mention", actor=world.people["owner"],
                    subject_type="post", subject_id=7, group_id=group.id, text="Hallo")
    from wilma.core.database import commit

    commit()
    assert _api_items(member)["unread_count"] == 1
    member.api("POST", f"/api/v1/groups/{group.id}/leave")
    assert _api_items(member) == {"items": [], "next_cursor": None, "unread_count": 0}


def _mention(world, who, n):
    from wilma.core.database import commit

    services.notify(recipients=[world.people[who]], kind="mention", actor=world.people["owner"],
                    subject_type="post", subject_id=n, text=f"Beitrag {n}", url=f"/posts/{n}")
    commit()


def test_mark_read_one_and_all_through_api_and_page(world, connect):
    member, member_socket = connect("member")
    for n in range(3):
        _mention(world, "member", n)
    items = _api_items(member)["items"]
    assert [i["text"] for i in items] == [f"Owner Person mentioned you: Beitrag {n}" for n in (2, 1, 0)]
    member_socket.get_received()
    marked = member.api("POST", "/api/v1/notifications/read", {"ids": [items[0]["id"]]}).get_json()
    assert marked == {"marked": 1, "unread_count": 2}
    assert events(member_socket, "notification") == [{"kind": None, "unread": 2}]
    assert member.api("POST", "/api/v1/notifications/read", {"ids": "x"}).status_code == 400
    page = member.post("/notifications/read", {"id": str(items[1]["id"])})
    assert page.status_code == 302 and _api_items(member)["unread_count"] == 1
    member.post("/notifications/read", {"all": "1"})
    assert _api_items(member)["unread_count"] == 0
    assert all(i["read"] for i in _api_items(member)["items"])


def test_someone_elses_notifications_cannot_be_marked(world, connect):
    _mention(world, "member", 1)
    other, _ = connect("other")
    mine = Notification.query.one()
    assert other.api("POST", "/api/v1/notifications/read", {"ids": [mine.id]}).get_json()["marked"] == 0
    assert other.client.get(f"/notifications/{mine.id}").status_code == 404
    member, _ = connect("member")
    opened = member.client.get(f"/notifications/{mine.id}")
    assert opened.status_code == 302 and opened.headers["Location"].endswith("/posts/1")
    assert _api_items(member)["unread_count"] == 0


def test_settings_switch_kinds_off_and_choose_the_digest(world, connect):
    member, _ = connect("member")
    page = member.client.get("/settings/notifications").get_data(as_text=True)
    assert 'name="kind_mention"' in page and "/settings/notifications" in member.client.get(
        "/settings/profile").get_data(as_text=True)
    saved = member.post("/settings/notifications", {"kind_comment": "1", "frequency": "daily"})
    assert saved.status_code == 302
    _mention(world, "member", 5)
    assert _api_items(member)["unread_count"] == 0
    assert services.digest_frequency(world.people["member"]) == "daily"
    assert services.enabled_kinds(world.people["member"])["comment"] is True


def test_likes_are_grouped_into_one_line(world, connect):
    from wilma.core.database import commit

    member, _ = connect("member")
    for liker in ("owner", "moderator", "other", "requester", "outsider"):
        services.notify(recipients=[world.people["member"]], kind="like", actor=world.people[liker],
                        subject_type="post", subject_id=9, text="Radweg", group_by_subject=True)
        commit()
    items = _api_items(member)["items"]
    assert [i["text"] for i in items] == ["Outsider Person and 4 others liked your post: Radweg"]
    services.notify(recipients=[world.people["member"]], kind="like", actor=world.people["owner"],
                    subject_type="comment", subject_id=3, text="Gute Idee", group_by_subject=True)
    services.notify(recipients=[world.people["member"]], kind="like", actor=world.people["other"],
                    subject_type="comment", subject_id=3, text="Gute Idee", group_by_subject=True)
    commit()
    assert _api_items(member)["items"][0]["text"] == "Other Person and 1 other liked your comment: Gute Idee"


def test_list_page_shows_sentences_and_pages(world, connect):
    member, _ = connect("member")
    for n in range(35):
        _mention(world, "member", n)
    page = member.client.get("/notifications").get_data(as_text=True)
    assert "Owner Person mentioned you: Beitrag 34" in page and "Beitrag 4<" not in page
    assert "Older notifications" in page
    first = _api_items(member)
    second = member.api("GET", f"/api/v1/notifications?cursor={first['next_cursor']}").get_json()
    assert len(first["items"]) == 20 and len(second["items"]) == 15 and second["next_cursor"] is None


def test_an_answered_request_leaves_the_other_moderators_bells(world, connect):
    group = world.groups["private"]
    outsider, _ = connect("outsider")
    owner, _ = connect("owner")
    moderator, moderator_socket = connect("moderator")
    outsider.api("POST", f"/api/v1/groups/{group.id}/join")
    assert _api_items(moderator)["unread_count"] == 1
    moderator_socket.get_received()
    owner.api("POST", f"/api/v1/groups/{group.id}/members", {"user_id": world.people["outsider"].id})
    assert _api_items(moderator)["unread_count"] == 0
    assert _api_items(owner)["unread_count"] == 0
    assert events(moderator_socket, "notification") == [{"kind": None, "unread": 0}]
    target, _ = connect("target")
    target.api("POST", f"/api/v1/groups/{group.id}/join")
    assert _api_items(owner)["unread_count"] == 1
    target.api("POST", f"/api/v1/groups/{group.id}/leave")  # withdrawn: nothing left to answer
    assert _api_items(owner)["unread_count"] == 0


def test_a_notification_never_leads_off_site(world, connect):
    from wilma.core.database import commit

    member, _ = connect("member")
    for n, url in enumerate(("//evil.example/x", "/\t/evil.example", "https://evil.example/", "/posts/3")):
        services.notify(recipients=[world.people["member"]], kind="mention", actor=world.people["owner"],
                        subject_type="post", subject_id=n, text="x", url=url)
    commit()
    targets = [member.client.get(f"/notifications/{n.id}").headers["Location"]
               for n in Notification.query.order_by(Notification.id)]
    assert targets == ["/notifications", "/notifications", "/notifications", "/posts/3"]
