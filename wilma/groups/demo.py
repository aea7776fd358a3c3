"""Demo groups: one of each visibility with members, an open request, an invitation, plugin defaults."""

from wilma.core.database import commit
from wilma.core.markdown import render_markdown
from wilma.extensions import db
from wilma.groups.defaults import seed_default_groups
from wilma.groups.models import MEMBER, MODERATOR, OWNER, Group, GroupMembership, GroupRequest
from wilma.notifications.services import notify

# name, visibility, category, colour, description, owner, moderators, members
GROUPS = [
    ("Intranet-Redaktion", "public", "Kommunikation", "#0b5cad",
     "Wir pflegen die Startseite und die **Nachrichten** im Intranet. Themenvorschläge gern hier posten.",
     "anna", ["dora"], ["ben", "katrin", "emma", "wiebke", "rosa"]),
    ("Radverkehr", "public", "Mobilität", "#2e7d32",
     "Alles rund ums Rad: Radwegeplanung, Dienstradleasing und die *Stadtradeln*-Aktion.",
     "noah", ["mia"], ["carlos", "xaver", "quirin", "ben", "lukas"]),
    ("Azubis", "public", "Ausbildung", "#e8a33d",
     "Die Community für alle Auszubildenden und Studierenden der Stadt. Fragen ausdrücklich erwünscht!",
     "felix", ["ursula"], ["greta", "hannes", "zoe", "ida"]),
    ("Digitalisierungsboard", "private", "IT und Digitalisierung", "#6a1b9a",
     "Abstimmung der Digitalisierungsvorhaben der Referate. Inhalte nur für Mitglieder.",
     "emma", ["tim"], ["anna", "alex", "clara", "jonas"]),
    ("Personalrat intern", "secret", "Personal", "#8e2424",
     "Interner Austausch des Personalrats. Diese Gruppe ist für andere unsichtbar.",
     "sophie", [], ["viktor", "birgit"]),
]


def load(people, echo) -> None:
    """Create the demo groups among ``people`` (by username) and the plugins' default groups."""
    by_name = {}
    for name, visibility, category, color, description, owner, moderators, members in GROUPS:
        group = Group(name=name, visibility=visibility, category=category, color=color,
                      description=description, description_html=render_markdown(description),
                      created_by_id=people[owner].id)
        db.session.add(group)
        db.session.flush()
        roles = [(owner, OWNER)] + [(m, MODERATOR) for m in moderators] + [(m, MEMBER) for m in members]
        for username, role in roles:
            db.session.add(GroupMembership(group_id=group.id, user_id=people[username].id, role=role))
        by_name[name] = group
    board = by_name["Digitalisierungsboard"]
    db.session.add(GroupRequest(group_id=board.id, user_id=people["wiebke"].id, kind="request"))
    db.session.add(GroupRequest(group_id=board.id, user_id=people["ben"].id, kind="invite",
                                invited_by_id=people["emma"].id))
    notify(recipients=[people["emma"], people["tim"]], kind="join_request", actor=people["wiebke"],
           subject_type="group", subject_id=board.id, group_id=board.id, text=board.name,
           url=f"/groups/{board.id}/requests")
    notify(recipients=[people["ben"]], kind="invitation", actor=people["emma"], subject_type="group",
           subject_id=board.id, text=board.name, url="/groups/invitations")
    commit()
    defaults = seed_default_groups(owner=people.get("admin"))
    echo(f"Groups: {len(GROUPS)} demo groups and {len(defaults)} default groups of the enabled plugins.")
