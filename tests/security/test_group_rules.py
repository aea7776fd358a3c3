"""The visibility rule for one group (``can_read_group``, ``can_see_group``, ``readable_among``) answers
exactly as the sets every list filters with (``readable_group_ids``, ``visible_group_ids``)."""

import pytest
from flask import g

from wilma.core.database import commit
from wilma.core.models import utcnow
from wilma.core.security import can_read_group, can_see_group, readable_among, readable_group_ids, visible_group_ids
from wilma.extensions import db
from wilma.groups.models import MEMBER, OWNER, Group, GroupMembership


@pytest.fixture
def world(make_user):
    member, outsider, gone = make_user("member"), make_user("outsider"), make_user("gone")
    gone.active = False
    groups = {}
    for visibility in ("public", "private", "secret"):
        for deleted in (False, True):
            group = Group(name=f"{visibility} {deleted}", visibility=visibility,
                          deleted_at=utcnow() if deleted else None)
            db.session.add(group)
            db.session.flush()
            for person, role in ((member, OWNER), (gone, MEMBER)):
                db.session.add(GroupMembership(group_id=group.id, user_id=person.id, role=role))
            groups[(visibility, deleted)] = group.id
    commit()
    return {"people": [member, outsider, gone, None], "groups": groups}


def test_one_group_answers_as_the_sets_do(world):
    ids = list(world["groups"].values()) + [99999]
    for person in world["people"]:
        g.pop("wilma_member_groups", None)
        readable, visible = readable_group_ids(person), visible_group_ids(person)
        for group_id in ids:
            assert can_read_group(person, group_id) == (group_id in readable), (person, group_id)
            assert can_see_group(person, group_id) == (group_id in visible), (person, group_id)
        assert readable_among(person, ids) == readable & set(ids)


def test_the_expected_answers(world):
    member, outsider = world["people"][:2]
    groups = world["groups"]
    assert [can_read_group(member, groups[(v, False)]) for v in ("public", "private", "secret")] == [True] * 3
    assert [can_read_group(outsider, groups[(v, False)]) for v in ("public", "private", "secret")] == [
        True, False, False]
    assert [can_see_group(outsider, groups[(v, False)]) for v in ("public", "private", "secret")] == [
        True, True, False]
    assert not any(can_see_group(member, groups[(v, True)]) for v in ("public", "private", "secret"))
    assert not can_read_group(member, "1") and not can_see_group(member, None)


def test_a_visibility_change_in_the_request_is_seen(world, make_user):
    outsider = world["people"][1]
    group_id = world["groups"][("public", False)]
    assert group_id in readable_group_ids(outsider)
    db.session.get(Group, group_id).visibility = "secret"
    commit()
    assert not can_read_group(outsider, group_id) and not can_see_group(outsider, group_id)
