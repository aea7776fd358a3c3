"""Demo wiki: the city-wide FAQ and HR pages, linked to each other and with a short history, and a page
in a group's wiki when the demo groups exist."""

from sqlalchemy import select

from wilma.extensions import db
from wilma.groups.models import Group, GroupMembership
from wilma.wiki import services
from wilma.wiki.attachments import name_editor

FAQ = """# Häufige Fragen

Die wichtigsten Antworten rund um Arbeit und Verwaltung. Fehlt etwas? Ergänzen Sie die Seite gern.

## Urlaub

Wie Sie Urlaub beantragen, steht unter [[Urlaubsantrag]].

## Arbeiten von zu Hause

Regeln, Ausstattung und Datenschutz: [[Homeoffice|Arbeiten im Homeoffice]].

## Technik

Passwort vergessen? Das [[IT-Service-Portal]] hilft rund um die Uhr.
"""

URLAUB_1 = """# Urlaubsantrag

Urlaub beantragen Sie im Personalportal unter *Meine Abwesenheiten*.

## Fristen

- Bis zu 3 Tage: eine Woche vorher
- Längerer Urlaub: vier Wochen vorher
"""

URLAUB_2 = URLAUB_1 + """
## Vertretung

Tragen Sie im Antrag Ihre Vertretung ein und stimmen Sie sich vorher ab.

Zurück zu den [[Häufige Fragen|häufigen Fragen]].
"""

HOMEOFFICE_1 = """# Homeoffice

Bis zu drei Tage pro Woche können Sie nach Absprache mit Ihrer Führungskraft von zu Hause arbeiten.
"""

HOMEOFFICE_2 = HOMEOFFICE_1 + """
## Ausstattung

- Dienstlaptop mit VPN
- Headset auf Anfrage beim IT-Service

## Datenschutz

Unterlagen mit personenbezogenen Daten bleiben im Büro. Siehe auch [[Häufige Fragen]].
"""

TEAM_PAGE = """# Onboarding im Team

Willkommen! Diese Seite sammelt, was neue Kolleginnen und Kollegen in den ersten Wochen brauchen.

1. Zugang zum Intranet und zum Chat
2. Vorstellungsrunde im Teammeeting
3. Lesen: [[Arbeitsweise]]
"""

DEMO_GROUP_NAMES = ("WILMA-Projektteam", "Intranet-Redaktion", "Digitalisierung")


def load(people: dict, echo) -> None:
    """City-wide FAQ and HR pages (admin and a named editor), and a page in a demo group's wiki."""
    admin = people["admin"]
    editor = people.get("sophie") or admin
    if editor is not admin:
        name_editor(admin, editor.id)
    faq = services.create_page(admin, None, "Häufige Fragen", FAQ, summary="Erste Fassung")
    urlaub = services.create_page(editor, None, "Urlaubsantrag", URLAUB_1, parent_id=faq.id)
    services.save_page(editor, urlaub.id, URLAUB_2, urlaub.current_revision_id, "Vertretung ergänzt")
    home = services.create_page(admin, None, "Homeoffice", HOMEOFFICE_1, parent_id=faq.id)
    services.save_page(editor, home.id, HOMEOFFICE_2, home.current_revision_id, "Ausstattung und Datenschutz")
    count = 3
    group = db.session.scalar(select(Group).where(Group.name.in_(DEMO_GROUP_NAMES), Group.deleted_at.is_(None))
                              .order_by(Group.id))
    if group is None:
        group = db.session.scalar(select(Group).where(Group.deleted_at.is_(None)).order_by(Group.id))
    if group is not None:
        member_id = db.session.scalar(select(GroupMembership.user_id).where(GroupMembership.group_id == group.id)
                                      .order_by(GroupMembership.id))
        author = db.session.get(type(admin), member_id) if member_id else None
        if author is not None:
            services.create_page(author, group.id, "Onboarding im Team", TEAM_PAGE)
            count += 1
    echo(f"Wiki: {count} pages.")
