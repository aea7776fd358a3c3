"""The example plugin and groups: its default group is seeded, and the group events reach it without
naming groups that are not public (its greetings page is open to every logged-in person)."""

from sqlalchemy import select

from plugins.example.models import ExampleGreeting
from wilma.extensions import db
from wilma.groups.models import Group


def greetings():
    return [(g.kind, g.message) for g in db.session.scalars(select(ExampleGreeting).order_by(ExampleGreeting.id))
            if g.kind in ("group_created", "member_joined")]


def test_default_group_is_seeded_at_start_up_once(app, client, auth, make_user):
    from wilma.core.seeding import seed_plugin_content

    seed_plugin_content(app)
    seed_plugin_content(app)
    groups = db.session.scalars(select(Group).where(Group.name == "Beispielstadt")).all()
    assert len(groups) == 1 and groups[0].visibility == "public"
    make_user("anna")
    auth.login("anna")
    assert "Beispielstadt" in client.get("/groups").get_data(as_text=True)


def test_group_events_are_recorded_without_leaking_secret_names(client, auth, make_user):
    make_user("anna", display_name="Anna Müller")
    auth.login("anna")
    public = auth.api("POST", "/api/v1/groups", {"name": "Radverkehr"}).get_json()
    auth.api("POST", "/api/v1/groups", {"name": "Personalrat intern", "visibility": "secret"})
    make_user("ben", display_name="Ben Schäfer")
    auth.logout()
    auth.login("ben")
    auth.api("POST", f"/api/v1/groups/{public['id']}/join")
    assert greetings() == [
        ("group_created", "Anna Müller opened the group Radverkehr."),
        ("group_created", "Anna Müller opened a new group."),
        ("member_joined", "Welcome to Radverkehr, Ben Schäfer!"),
    ]
    assert "Personalrat" not in client.get("/example/").get_data(as_text=True)
