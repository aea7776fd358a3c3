"""Demo wiki: the city-wide FAQ and HR pages, linked to each other and with a short history, and a page
in a group's wiki when the demo groups exist."""

from sqlalchemy import inspect, select

from wilma.extensions import db
from wilma.groups.models import Group, GroupMembership
from wilma.wiki import services
from wilma.wiki.attachments import name_editor
from wilma.wiki.models import WikiPage

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

REDAKTION = """# Redaktionsleitfaden

So arbeiten wir an der Startseite und den Nachrichten im Intranet.

## Themen

Vorschläge sammeln wir im Gruppen-Feed. Jede Meldung braucht eine Ansprechperson.

## Texte

- Kurze Sätze, aktive Sprache
- Überschriften sagen, worum es geht
"""

REDAKTION_2 = REDAKTION + """
## Bilder

Nur Bilder mit geklärten Rechten; Bildunterschrift mit Quelle. Details: [[Schreibregeln]].
"""

AZUBIS = """# Erste Schritte

Willkommen bei der Stadt! Hier sammeln wir, was in den ersten Wochen hilft.

1. Zugang zum Intranet und zum Chat einrichten
2. Ausbildungsplan mit der Ausbildungsleitung besprechen
3. Fragen? Einfach hier im Wiki ergänzen oder in der Gruppe posten.
"""

# group name -> (title, first text, later text or None)
GROUP_PAGES = {
    "Intranet-Redaktion": ("Redaktionsleitfaden", REDAKTION, REDAKTION_2),
    "Azubis": ("Erste Schritte", AZUBIS, None),
}


def _authors(group_id: int) -> list:
    """The group's owner first, then the other members: who writes the demo pages."""
    rows = db.session.scalars(select(GroupMembership).where(GroupMembership.group_id == group_id)
                              .order_by(GroupMembership.role != "owner", GroupMembership.id))
    return [row.user for row in rows]


def load(people: dict, echo) -> None:
    """City-wide FAQ and HR pages (admin and a named editor), and pages in the demo groups' wikis
    (only when the groups demo created them)."""
    if not inspect(db.engine).has_table(WikiPage.__tablename__):
        # a database migrated before the wiki's tables were in the migration: say so, load the rest
        echo("Wiki: no demo pages, the database has no wiki tables yet (flask db upgrade).")
        return
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
    for name, (title, first, later) in GROUP_PAGES.items():
        group = db.session.scalar(select(Group).where(Group.name == name, Group.deleted_at.is_(None)))
        authors = _authors(group.id) if group is not None else []
        if not authors:
            continue
        page = services.create_page(authors[0], group.id, title, first)
        if later is not None:
            services.save_page(authors[-1], page.id, later, page.current_revision_id, "Bilder ergänzt")
        count += 1
    echo(f"Wiki: {count} pages.")
