"""Nürnberg: NürnbergNetz's identity, the Geschäftsbereiche, and file numbers linked to the city's DMS.

Shows off the ``wilma_render_filters`` hook: an Aktenzeichen such as ``Az. 32.1-4711/2026`` written in a
post, comment, wiki page or chat message becomes a link into the document management system.
"""

from flask import url_for

from plugins.nuernberg.filenumbers import link_file_numbers
from wilma.core.hookspecs import hookimpl

WILMA_REQUIRES = ">=1.0"

GESCHAEFTSBEREICHE = [
    {"name": "Geschäftsbereich Oberbürgermeister", "short": "OBM", "kind": "Geschäftsbereich", "children": [
        {"name": "Amt für Kommunikation und Stadtmarketing", "short": "KOM", "kind": "Dienststelle"},
    ]},
    {"name": "Geschäftsbereich Bürgermeister", "short": "BgM", "kind": "Geschäftsbereich"},
    {"name": "Finanzreferat", "short": "Ref. I/II", "kind": "Geschäftsbereich", "children": [
        {"name": "Personalamt", "short": "PA", "kind": "Dienststelle"},
        {"name": "Amt für Digitalisierung, IT und Prozessorganisation", "short": "DIP", "kind": "Dienststelle"},
    ]},
    {"name": "Referat für Umwelt und Gesundheit", "short": "Ref. III", "kind": "Geschäftsbereich"},
    {"name": "Referat für Kultur", "short": "Ref. IV", "kind": "Geschäftsbereich"},
    {"name": "Referat für Jugend, Familie und Soziales", "short": "Ref. V", "kind": "Geschäftsbereich"},
    {"name": "Planungs- und Baureferat", "short": "Ref. VI", "kind": "Geschäftsbereich"},
    {"name": "Wirtschafts- und Wissenschaftsreferat", "short": "Ref. VII", "kind": "Geschäftsbereich"},
]


@hookimpl
def wilma_config_defaults():
    """Where file numbers link to; ``{number}`` is replaced by the URL-encoded Aktenzeichen."""
    return {"NUERNBERG_DMS_URL": "https://dms.stadt.nuernberg.example/akte?az={number}"}


@hookimpl
def wilma_branding():
    """NürnbergNetz's name, colours and logo."""
    return {
        "site_name": "NürnbergNetz",
        "logo_url": url_for("nuernberg.static", filename="logo.svg"),
        "colors": {"primary": "#b5152b", "primary_dark": "#8a0f20", "accent": "#f2c200"},
        "footer_links": [("nuernberg.de", "https://www.nuernberg.de")],
        "imprint_url": "https://www.nuernberg.de/internet/portal/impressum.html",
        "privacy_url": "https://www.nuernberg.de/internet/portal/datenschutz.html",
    }


@hookimpl
def wilma_org_units():
    """The Geschäftsbereiche and some of their Dienststellen."""
    return GESCHAEFTSBEREICHE


@hookimpl
def wilma_default_groups():
    """City-wide groups every Nuremberg employee finds on day one."""
    return [
        {"name": "Neu bei der Stadt Nürnberg", "description": "Ankommen, Fragen stellen, Kolleginnen und "
         "Kollegen kennenlernen.", "visibility": "public", "category": "Allgemein"},
        {"name": "Digitale Verwaltung Nürnberg", "description": "Austausch zu E-Akte, Online-Diensten und "
         "Prozessen.", "visibility": "public", "category": "Digitalisierung"},
    ]


@hookimpl
def wilma_render_filters():
    """Link Aktenzeichen to the document management system."""
    return [link_file_numbers]


@hookimpl
def wilma_blueprints():
    """Only static files (the logo) under /nuernberg/."""
    from plugins.nuernberg.views import bp

    return [bp]
