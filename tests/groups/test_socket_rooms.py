"""Group rooms: members' open sockets get the group's events; removal or leaving cuts them off at once."""

import pytest

from tests.groups.conftest import events
from wilma.extensions import socketio


def _say(group, text):
    socketio.emit("group:test", {"text": text}, to=f"group:{group.id}")


def test_members_hear_their_groups_and_removal_stops_it_at_once(world, connect):
    group = world.groups["private"]
    _member_browser, member_socket = connect("member")
    _outsider_browser, outsider_socket = connect("outsider")
    moderator, _moderator_socket = connect("moderator")
    _say(group, "before")
    assert events(member_socket, "group:test") == [{"text": "before"}]
    assert events(outsider_socket, "group:test") == []
    removed = moderator.api("DELETE", f"/api/v1/groups/{group.id}/members/{world.people['member'].id}")
    assert removed.status_code == 204
    _say(group, "after")
    assert events(member_socket, "group:test") == []


def test_leaving_and_joining_move_open_sockets(world, connect):
    group = world.groups["public"]
    member, member_socket = connect("member")
    outsider, outsider_socket = connect("outsider")
    assert member.api("POST", f"/api/v1/groups/{group.id}/leave").status_code == 204
    assert outsider.api("POST", f"/api/v1/groups/{group.id}/join").status_code == 200
    _say(group, "hello")
    assert events(member_socket, "group:test") == []
    assert events(outsider_socket, "group:test") == [{"text": "hello"}]


def test_deleting_a_group_empties_its_room(world, connect):
    group = world.groups["secret"]
    owner, _owner_socket = connect("owner")
    _member, member_socket = connect("member")
    assert owner.api("DELETE", f"/api/v1/groups/{group.id}").status_code == 204
    _say(group, "gone")
    assert events(member_socket, "group:test") == []


@pytest.mark.parametrize("visibility", ("public", "private", "secret"))
@pytest.mark.parametrize("role", ("outsider", "requester", "member", "moderator", "owner", "admin"))
def test_only_members_sockets_join_the_group_room_on_connect(world, connect, role, visibility):
    group = world.groups[visibility]
    _browser, socket = connect(role)
    _say(group, visibility)
    expected = [{"text": visibility}] if role in ("member", "moderator", "owner") else []
    assert events(socket, "group:test") == expected


def test_a_deactivated_members_socket_is_refused_and_cut_off(world, connect):
    from wilma.accounts import services as accounts

    browser, socket = connect("deact")
    accounts.set_active(world.people["deact"], False)
    assert not socket.is_connected()
    again = socketio.test_client(browser.client.application, flask_test_client=browser.client)
    assert not again.is_connected()
