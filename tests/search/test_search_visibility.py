"""Who sees what: public content, group content by readable groups, DMs by their members, nothing deleted.

Hidden content must not show as a result, in the counts or in a snippet, and changes of visibility
apply at once, before the outbox has run.
"""

import pytest


@pytest.fixture
def people(make_user):
    # nobody logs in here: no password to hash (a fifth of a second each)
    return {name: make_user(name, password=None) for name in ("member", "outsider", "dm_a", "dm_b")}


@pytest.fixture
def content(memory_docs, people, readable_groups, flush):
    readable_groups[people["member"].id] = {7}
    memory_docs.add(1, "Rathaus Öffnungszeiten für alle")
    memory_docs.add(2, "Rathaus Umbau im Personalrat", group_id=7)
    memory_docs.add(3, "Rathaus Gehaltsverhandlung vertraulich", owner_ids=(people["dm_a"].id, people["dm_b"].id))
    flush()
    return memory_docs


def visible_keys(search_as, user, query="Rathaus", **kwargs):
    found = search_as(user, query, **kwargs)
    return sorted(item.key for item in found.items), found


@pytest.mark.parametrize(("who", "expected"), [
    ("member", ["posts:1", "posts:2"]),
    ("outsider", ["posts:1"]),
    ("dm_a", ["posts:1", "posts:3"]),
    ("dm_b", ["posts:1", "posts:3"]),
])
def test_visibility_matrix(content, people, search_as, who, expected):
    found_keys, found = visible_keys(search_as, people[who])
    assert found_keys == expected
    assert found.counts == {"posts": len(expected)} and found.total == len(expected)
    # Not as a snippet either: words only in hidden content find nothing.
    assert visible_keys(search_as, people[who], "Personalrat")[0] == (["posts:2"] if who == "member" else [])
    assert visible_keys(search_as, people[who], "Gehaltsverhandlung")[0] == (
        ["posts:3"] if who in ("dm_a", "dm_b") else [])


def test_losing_access_to_a_group_applies_at_once(content, people, readable_groups, search_as):
    assert visible_keys(search_as, people["member"])[0] == ["posts:1", "posts:2"]
    readable_groups[people["member"].id] = set()  # removed from the group, or the group became secret
    found_keys, found = visible_keys(search_as, people["member"])
    assert found_keys == ["posts:1"] and found.counts == {"posts": 1}


def test_deleted_content_is_gone_before_the_outbox_runs(content, people, search_as, flush):
    content.delete(1)
    found_keys, found = visible_keys(search_as, people["outsider"])
    assert found_keys == [] and found.counts == {} and found.total == 0
    flush()
    assert visible_keys(search_as, people["outsider"])[0] == []


def test_content_moved_into_a_private_group_is_hidden_before_the_outbox_runs(content, people, search_as):
    content.change(1, group_id=99)
    found_keys, found = visible_keys(search_as, people["outsider"])
    assert found_keys == [] and found.total == 0 and found.counts == {}


def test_deleted_even_when_the_change_was_not_queued(content, people, search_as):
    content.docs[1].deleted = True  # a feature that forgot its outbox row: the fresh load still hides it
    assert visible_keys(search_as, people["outsider"])[0] == []


def test_group_filter_cannot_open_other_groups(content, people, search_as):
    assert visible_keys(search_as, people["outsider"], group_id=7)[0] == []
    assert visible_keys(search_as, people["member"], group_id=7)[0] == ["posts:2"]


def test_without_the_groups_feature_only_groupless_content_is_visible(memory_docs, people, search_as, flush,
                                                                      monkeypatch):
    from wilma.core import security

    monkeypatch.delattr(security, "readable_group_ids", raising=False)
    memory_docs.add(1, "Kantine Speiseplan")
    memory_docs.add(2, "Kantine Gruppe", group_id=7)
    flush()
    assert visible_keys(search_as, people["member"], "Kantine")[0] == ["posts:1"]


def test_restored_content_shows_again_even_before_the_outbox_runs(content, people, search_as, flush):
    content.delete(1)
    flush()
    content.docs[1].deleted = False
    content.change(1)  # restored: queued for indexing again
    assert visible_keys(search_as, people["outsider"])[0] == []  # not in the index yet, nothing to show
    flush()
    assert visible_keys(search_as, people["outsider"])[0] == ["posts:1"]
    content.delete(1)
    content.docs[1].deleted = False
    content.change(1)  # deleted and restored before the worker ran: the latest change counts
    assert visible_keys(search_as, people["outsider"])[0] == ["posts:1"]
