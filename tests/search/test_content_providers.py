"""Posts, comments and chat in search, written through the real services and found (or not) by people.

Each test creates content with the features' own services, applies the outbox as the background
worker would, and searches as different people.
"""

import pytest

from wilma.chat import messages as chat_messages
from wilma.chat import services as chat_services
from wilma.groups import services as groups
from wilma.posts import services as posts


@pytest.fixture
def people(make_user):
    # nobody logs in here: no password to hash (a fifth of a second each)
    return {name: make_user(name, password=None) for name in ("owner", "member", "outsider", "dm_a", "dm_b")}


def keys(search_as, user, query, **kwargs):
    return sorted(item.key for item in search_as(user, query, **kwargs).items)


def make_group(app, owner, name, visibility, members=()):
    with app.test_request_context():
        group = groups.create_group(owner, {"name": name, "visibility": visibility})
        for person in members:
            groups.approve_request(owner, group, person.id) if visibility != "public" else groups.join(person, group.id)
    return group


def test_group_post_follows_group_readers_and_profile_post_is_for_everyone(app, people, search_as, flush):
    group = make_group(app, people["owner"], "Bauamt", "private")
    with app.test_request_context():
        secret_post = posts.create_post(people["owner"], body="Haushaltsentwurf Brückensanierung", group_id=group.id)
        profile_post = posts.create_post(people["member"], body="Brückensanierung Fotos vom Wochenende")
    flush()
    assert keys(search_as, people["owner"], "Brückensanierung") == sorted(
        [f"posts:{secret_post.id}", f"posts:{profile_post.id}"])
    assert keys(search_as, people["outsider"], "Brückensanierung") == [f"posts:{profile_post.id}"]
    assert keys(search_as, people["outsider"], "Haushaltsentwurf") == []
    found = search_as(people["owner"], "Haushaltsentwurf").items
    assert found[0].url == f"/posts/{secret_post.id}" and found[0].type == "posts"


def test_deleted_post_and_its_comments_disappear_at_once(app, people, search_as, flush):
    with app.test_request_context():
        post = posts.create_post(people["owner"], body="Sommerfest im Stadtpark")
        comment = posts.add_comment(people["member"], post.id, body="Sommerfest Grillgut bringe ich mit")
    flush()
    assert keys(search_as, people["outsider"], "Sommerfest") == sorted(
        [f"posts:{post.id}", f"comments:{comment.id}"])
    with app.test_request_context():
        posts.delete_post(people["owner"], post.id)
    assert keys(search_as, people["outsider"], "Sommerfest") == []  # before the outbox runs
    flush()
    assert keys(search_as, people["outsider"], "Sommerfest") == []
    assert search_as(people["outsider"], "Sommerfest").counts == {}


def test_comment_has_its_posts_visibility_and_links_to_itself(app, people, search_as, flush):
    group = make_group(app, people["owner"], "Personalrat", "private")
    with app.test_request_context():
        post = posts.create_post(people["owner"], body="Tagesordnung", group_id=group.id)
        comment = posts.add_comment(people["owner"], post.id, body="Dienstvereinbarung Homeoffice ergänzen")
    flush()
    found = search_as(people["owner"], "Dienstvereinbarung").items
    assert [item.key for item in found] == [f"comments:{comment.id}"]
    assert found[0].url == f"/posts/{post.id}#comment-{comment.id}"
    assert keys(search_as, people["outsider"], "Dienstvereinbarung") == []
    with app.test_request_context():
        posts.delete_comment(people["owner"], comment.id)
    flush()
    assert keys(search_as, people["owner"], "Dienstvereinbarung") == []


def test_public_group_chat_is_for_members_only(app, people, search_as, flush):
    group = make_group(app, people["owner"], "Radverkehr", "public", members=[people["member"]])
    with app.test_request_context():
        channel = chat_services.group_channel(group.id)
        post = posts.create_post(people["owner"], body="Lastenfahrrad Förderung", group_id=group.id)
        message, _ = chat_messages.send_message(people["member"], channel.id, "Lastenfahrrad Stellplätze fehlen")
    flush()
    assert keys(search_as, people["member"], "Lastenfahrrad") == sorted([f"posts:{post.id}", f"chat:{message.id}"])
    # The outsider reads the public group's posts, but not its chat.
    assert keys(search_as, people["outsider"], "Lastenfahrrad") == [f"posts:{post.id}"]
    assert search_as(people["outsider"], "Stellplätze").counts == {}
    found = search_as(people["member"], "Stellplätze", type_name="chat").items
    assert found[0].url == f"/chat/messages/{message.id}" and found[0].group_id == group.id
    with app.test_request_context():
        chat_messages.delete_message(people["member"], message.id)
    assert keys(search_as, people["member"], "Stellplätze") == []


def test_direct_message_only_for_its_participants(app, people, search_as, flush):
    with app.test_request_context():
        channel, _ = chat_services.open_direct(people["dm_a"], [people["dm_b"].id])
        message, _ = chat_messages.send_message(people["dm_a"], channel.id, "Urlaubsvertretung nächste Woche?")
    flush()
    assert keys(search_as, people["dm_a"], "Urlaubsvertretung") == [f"chat:{message.id}"]
    assert keys(search_as, people["dm_b"], "Urlaubsvertretung") == [f"chat:{message.id}"]
    assert keys(search_as, people["outsider"], "Urlaubsvertretung") == []
    with app.test_request_context():
        chat_messages.edit_message(people["dm_a"], message.id, "Krankheitsvertretung nächste Woche?")
    flush()
    assert keys(search_as, people["dm_b"], "Urlaubsvertretung") == []
    assert keys(search_as, people["dm_b"], "Krankheitsvertretung") == [f"chat:{message.id}"]


def test_group_made_secret_disappears_for_non_members_at_once(app, people, search_as, flush):
    group = make_group(app, people["owner"], "Wahlvorstand Nordstadt", "public")
    with app.test_request_context():
        post = posts.create_post(people["owner"], body="Wahlvorstand Schulung", group_id=group.id)
    flush()
    assert keys(search_as, people["outsider"], "Wahlvorstand") == sorted([f"groups:{group.id}", f"posts:{post.id}"])
    with app.test_request_context():
        groups.update_group(people["owner"], group, {"visibility": "secret"})
    assert keys(search_as, people["outsider"], "Wahlvorstand") == []  # before the outbox runs
    flush()
    assert keys(search_as, people["outsider"], "Wahlvorstand") == []
    assert keys(search_as, people["owner"], "Wahlvorstand") == sorted([f"groups:{group.id}", f"posts:{post.id}"])


def test_new_group_is_found_and_german_stemming_works_on_posts(app, people, search_as, flush):
    with app.test_request_context():
        post = posts.create_post(people["owner"], body="Die Straßenbahnen fahren ab Montag im Zehnminutentakt")
    flush()
    assert keys(search_as, people["outsider"], "strassenbahn") == [f"posts:{post.id}"]
    assert keys(search_as, people["outsider"], "Straßenbahn") == [f"posts:{post.id}"]


def test_chat_documents_read_member_rows_only_for_direct_conversations(app, people, make_user):
    """A group channel's messages follow the group: loading them for a results page must not read the
    channel's member rows (one read marker per person: 18,800 in a city's largest group)."""
    from tests.queries import QueryCounter
    from wilma.extensions import db
    from wilma.search.registry import provider_for

    crowd = [make_user(f"leser{n}", password=None) for n in range(12)]
    group = make_group(app, people["owner"], "Großraumbüro", "public", members=crowd)
    with app.test_request_context():
        channel = chat_services.group_channel(group.id)
        in_group, _ = chat_messages.send_message(crowd[0], channel.id, "Kaffeemaschine kaputt")
        direct, _ = chat_services.open_direct(people["dm_a"], [people["dm_b"].id])
        private, _ = chat_messages.send_message(people["dm_a"], direct.id, "Kaffee später?")
    db.session.expire_all()
    with QueryCounter(db.engine) as queries:
        only_group = provider_for("chat").load_documents([in_group.id])
    both = provider_for("chat").load_documents([in_group.id, private.id])
    assert [s for s in queries.statements if "chat_channel_members" in s] == []
    assert only_group[in_group.id].member_group_id == group.id and only_group[in_group.id].owner_ids == ()
    assert both[private.id].owner_ids == tuple(sorted((people["dm_a"].id, people["dm_b"].id)))
    assert both[private.id].member_group_id is None and not both[private.id].deleted
