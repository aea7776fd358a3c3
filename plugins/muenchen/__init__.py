"""München: WiLMA's own identity, the Referate, the trainee community "Willi" and the Digitalisierungsradar.

Enable with ``flask wilma plugins enable muenchen``, then ``flask db upgrade`` (the radar's table is on
the ``muenchen`` Alembic branch) and restart.
"""

from flask import url_for

from plugins.muenchen import models  # noqa: F401 - registers the radar table
from plugins.muenchen.views import bp
from wilma.core.hookspecs import hookimpl

WILMA_REQUIRES = ">=1.0"

REFERATE = [
    ("Direktorium", "D"), ("Baureferat", "BAU"), ("Gesundheitsreferat", "GSR"), ("IT-Referat", "RIT"),
    ("Kommunalreferat", "KR"), ("Kreisverwaltungsreferat", "KVR"), ("Kulturreferat", "KULT"),
    ("Mobilitätsreferat", "MOR"), ("Personal- und Organisationsreferat", "POR"),
    ("Referat für Arbeit und Wirtschaft", "RAW"), ("Referat für Bildung und Sport", "RBS"),
    ("Referat für Klima- und Umweltschutz", "RKU"), ("Referat für Stadtplanung und Bauordnung", "PLAN"),
    ("Sozialreferat", "SOZ"), ("Stadtkämmerei", "SKA"),
]


@hookimpl
def wilma_config_defaults():
    """The radar's fields and stages can be renamed per installation."""
    return {
        "MUENCHEN_RADAR_FIELDS": ["Bürgerservice", "Arbeiten in der Verwaltung", "Infrastruktur", "Daten und KI"],
        "MUENCHEN_RADAR_STAGES": ["Betrieb", "Umsetzung", "Pilot", "Idee"],
    }


@hookimpl
def wilma_branding():
    """WiLMA's name, colours and logo."""
    return {
        "site_name": "WiLMA",
        "logo_url": url_for("muenchen.static", filename="logo.svg"),
        "colors": {"primary": "#1b4a8a", "primary_dark": "#123663", "accent": "#ffd400"},
        "footer_links": [("muenchen.de", "https://www.muenchen.de"),
                         ("Digitalisierungsradar", url_for("muenchen.radar"))],
        "imprint_url": "https://www.muenchen.de/impressum",
        "privacy_url": "https://www.muenchen.de/datenschutz",
    }


@hookimpl
def wilma_org_units():
    """The Referate of the Landeshauptstadt München."""
    return [{"name": name, "short": short, "kind": "Referat"} for name, short in REFERATE]


@hookimpl
def wilma_default_groups():
    """Willi, the community of Munich's trainees."""
    return [{
        "name": "Willi",
        "description": "Die Community für alle Auszubildenden und Studierenden der Stadt: Fragen, "
                       "Tipps, Termine und Austausch über alle Referate hinweg.",
        "visibility": "public",
        "category": "Ausbildung",
    }]


@hookimpl
def wilma_blueprints():
    """The radar pages under /muenchen/."""
    return [bp]


@hookimpl
def wilma_nav_items(user):
    """A link to the Digitalisierungsradar in the main navigation."""
    return [{"key": "muenchen", "label": "Radar", "url": url_for("muenchen.radar")}]


@hookimpl
def wilma_template_slot(slot, user, profile):
    """The radar's stylesheet in the page head."""
    if slot == "head":
        from markupsafe import Markup

        return Markup('<link rel="stylesheet" href="{}">').format(url_for("muenchen.static", filename="muenchen.css"))
    return None


@hookimpl
def wilma_cli_commands():
    """``flask wilma muenchen load-radar``."""
    from plugins.muenchen.cli import load_radar

    return [load_radar]
