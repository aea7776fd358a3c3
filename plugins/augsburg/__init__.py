"""Augsburg: its identity and Referate, extra profile fields, and a CLI import from the HR system.

Shows off ``wilma_profile_fields`` (Dienststelle, Vertretung, Sprechzeiten, stored in the core's
``profile_extra`` table) and ``wilma_cli_commands`` (``flask wilma augsburg import-profiles FILE.csv``).
"""

from flask import url_for

from wilma.core.hookspecs import hookimpl

WILMA_REQUIRES = ">=1.0"

PROFILE_FIELDS = [
    {"key": "augsburg_dienststelle", "label": "Dienststelle", "help": "z. B. Amt für Digitalisierung",
     "max_length": 120},
    {"key": "augsburg_vertretung", "label": "Vertretung", "help": "Wer vertritt Sie bei Abwesenheit?",
     "max_length": 120},
    {"key": "augsburg_sprechzeiten", "label": "Sprechzeiten", "help": "z. B. Mo–Do 8–12 Uhr",
     "max_length": 200},
]


@hookimpl
def wilma_branding():
    """Augsburg's name, colours (red, green, white) and logo."""
    return {
        "site_name": "Augsburg intern",
        "logo_url": url_for("augsburg.static", filename="logo.svg"),
        "colors": {"primary": "#1d6b40", "primary_dark": "#144d2e", "accent": "#d0202e"},
        "footer_links": [("augsburg.de", "https://www.augsburg.de")],
        "imprint_url": "https://www.augsburg.de/impressum",
        "privacy_url": "https://www.augsburg.de/datenschutz",
    }


@hookimpl
def wilma_org_units():
    """The Oberbürgermeisterin's office and the seven Referate."""
    units = [{"name": "Büro der Oberbürgermeisterin", "short": "OB", "kind": "Referat"}]
    names = ["Finanzen, Beteiligungen und Digitalisierung", "Ordnung, Gesundheit und Sport",
             "Bildung und Migration", "Kultur, Welterbe und Sport", "Wirtschaft, Arbeit und Tourismus",
             "Bauen, Wohnen und Nachhaltigkeit", "Soziales, Familie und Inklusion"]
    units += [{"name": f"Referat {i}: {name}", "short": f"Ref. {i}", "kind": "Referat"}
              for i, name in enumerate(names, start=1)]
    return units


@hookimpl
def wilma_default_groups():
    """Groups every Augsburg employee sees."""
    return [{"name": "Stadt Augsburg – Mitteilungen", "description": "Neuigkeiten aus der Verwaltung.",
             "visibility": "public", "category": "Allgemein"}]


@hookimpl
def wilma_profile_fields():
    """Dienststelle, Vertretung and Sprechzeiten on every profile."""
    return PROFILE_FIELDS


@hookimpl
def wilma_cli_commands():
    """``flask wilma augsburg import-profiles``."""
    from plugins.augsburg.cli import import_profiles

    return [import_profiles]


@hookimpl
def wilma_blueprints():
    """Only static files (the logo) under /augsburg/."""
    from plugins.augsburg.views import bp

    return [bp]
