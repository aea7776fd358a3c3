"""Regensburg: its identity and Referate, and login against the city's directory over LDAP.

Shows off ``wilma_authenticate``: people log in with their directory account (ldap3); the core creates
or updates their WILMA account from the directory entry. Local accounts (e.g. the admin) keep working
for names the directory does not know. ``flask wilma regensburg check-directory NAME`` tests the setup.
"""

from flask import url_for

from wilma.core.hookspecs import hookimpl

WILMA_REQUIRES = ">=1.0"


@hookimpl
def wilma_config_defaults():
    """Directory settings; set them in instance/config.py or as environment variables."""
    return {
        "REGENSBURG_LDAP_URL": "ldap://127.0.0.1:389",
        "REGENSBURG_LDAP_BASE_DN": "ou=people,dc=regensburg,dc=example",
        "REGENSBURG_LDAP_USER_FILTER": "(&(objectClass=inetOrgPerson)(uid={username}))",
        "REGENSBURG_LDAP_BIND_DN": "",
        "REGENSBURG_LDAP_BIND_PASSWORD": "",
        "REGENSBURG_LDAP_TIMEOUT": 5,
        "REGENSBURG_LDAP_ENABLED": True,
    }


@hookimpl
def wilma_branding():
    """Regensburg's name, colours and logo."""
    return {
        "site_name": "Regensburg Intranet",
        "logo_url": url_for("regensburg.static", filename="logo.svg"),
        "colors": {"primary": "#a6192e", "primary_dark": "#7a1222", "accent": "#d9c27a"},
        "footer_links": [("regensburg.de", "https://www.regensburg.de")],
        "imprint_url": "https://www.regensburg.de/impressum",
        "privacy_url": "https://www.regensburg.de/datenschutz",
    }


@hookimpl
def wilma_org_units():
    """The Direktorien and Referate of the city."""
    return [
        {"name": "Direktorium 1 – Oberbürgermeisterin", "short": "D1", "kind": "Direktorium"},
        {"name": "Direktorium 2 – Personal und Organisation", "short": "D2", "kind": "Direktorium", "children": [
            {"name": "Amt für Organisation und Informationstechnik", "short": "AOI", "kind": "Amt"}]},
        {"name": "Finanz- und Wirtschaftsreferat", "short": "FWR", "kind": "Referat"},
        {"name": "Planungs- und Baureferat", "short": "PBR", "kind": "Referat"},
        {"name": "Rechts- und Ordnungsreferat", "short": "ROR", "kind": "Referat"},
        {"name": "Referat für Bildung, Sport und Freizeit", "short": "BSF", "kind": "Referat"},
        {"name": "Kulturreferat", "short": "KR", "kind": "Referat"},
        {"name": "Referat für Umwelt und Soziales", "short": "RUS", "kind": "Referat"},
    ]


@hookimpl
def wilma_default_groups():
    """The welterbe city's staff community."""
    return [{"name": "Treffpunkt Altes Rathaus", "description": "Für alle Beschäftigten der Stadt: "
             "Neuigkeiten, Veranstaltungen, Fragen.", "visibility": "public", "category": "Allgemein"}]


@hookimpl
def wilma_authenticate(username, password):
    """Check the credentials against the directory (see ldap.py)."""
    from plugins.regensburg.ldap import authenticate

    return authenticate(username, password)


@hookimpl
def wilma_cli_commands():
    """``flask wilma regensburg check-directory``."""
    from plugins.regensburg.cli import check_directory

    return [check_directory]


@hookimpl
def wilma_blueprints():
    """Only static files (the logo) under /regensburg/."""
    from plugins.regensburg.views import bp

    return [bp]
