"""Groups in search: public and private groups are found by everyone, secret ones only by members."""

from wilma.core.database import commit
from wilma.extensions import db
from wilma.groups.models import PRIVATE, PUBLIC, SECRET, Group, GroupMembership
from wilma.search.outbox import flush_outbox, queue_index


def make_group(name, visibility, members=()):
    group = Group(name=name, description=f"Arbeitsgruppe {name}", visibility=visibility)
    db.session.add(group)
    db.session.flush()
    for user in members:
        db.session.add(GroupMembership(group_id=group.id, user_id=user.id))
    queue_index(f"groups:{group.id}")
    commit()
    return group


def group_titles(search_as, user, query="Arbeitsgruppe"):
    found = search_as(user, query, type_name="groups")
    return sorted(item.document.title for item in found.items), found.counts.get("groups", 0)


def test_secret_groups_are_found_by_their_members_only(make_user, search_as):
    member, outsider = make_user("member"), make_user("outsider")
    make_group("Radverkehr", PUBLIC)
    make_group("Personalrat", PRIVATE)
    secret = make_group("Umstrukturierung", SECRET, members=[member])
    flush_outbox()
    assert group_titles(search_as, member) == (["Personalrat", "Radverkehr", "Umstrukturierung"], 3)
    assert group_titles(search_as, outsider) == (["Personalrat", "Radverkehr"], 2)
    assert group_titles(search_as, outsider, "Umstrukturierung") == ([], 0)
    # Leaving the group hides it at once, before anything is re-indexed.
    db.session.execute(GroupMembership.__table__.delete().where(GroupMembership.group_id == secret.id))
    commit()
    assert group_titles(search_as, member, "Umstrukturierung") == ([], 0)


def test_deleted_groups_disappear(make_user, search_as):
    from wilma.core.models import utcnow

    reader = make_user("reader")
    group = make_group("Kantine", PUBLIC)
    flush_outbox()
    assert group_titles(search_as, reader, "Kantine") == (["Kantine"], 1)
    group.deleted_at = utcnow()
    queue_index(f"groups:{group.id}")
    commit()
    assert group_titles(search_as, reader, "Kantine") == ([], 0)
