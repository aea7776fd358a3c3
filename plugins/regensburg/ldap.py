"""Login against the city's LDAP directory with ldap3.

1. Find the entry: bind with the service account (or anonymously), search ``REGENSBURG_LDAP_BASE_DN``
   with the user filter (the name is escaped, so ``*`` or ``)(`` cannot widen the search).
2. Bind as that entry with the given password.
Unknown names return ``None`` (so local accounts are tried); a wrong password returns ``{"denied": True}``;
an unreachable directory is logged and treated like an unknown name.
"""

import logging

from flask import current_app
from ldap3 import ALL_ATTRIBUTES, Connection, Server
from ldap3.core.exceptions import LDAPBindError, LDAPException
from ldap3.utils.conv import escape_filter_chars

logger = logging.getLogger("wilma.plugins.regensburg")

ATTRIBUTES = {"email": "mail", "display_name": "cn", "job_title": "title", "phone": "telephoneNumber",
              "room": "roomNumber"}


def _server() -> Server:
    cfg = current_app.config
    return Server(cfg["REGENSBURG_LDAP_URL"], connect_timeout=int(cfg["REGENSBURG_LDAP_TIMEOUT"]))


def _first(entry_attrs: dict, name: str) -> str:
    value = entry_attrs.get(name)
    if isinstance(value, list):
        value = value[0] if value else ""
    return str(value or "")


def find_entry(username: str):
    """``(dn, attributes)`` of the directory entry for ``username``, or ``None``."""
    cfg = current_app.config
    bind_dn = cfg["REGENSBURG_LDAP_BIND_DN"] or None
    with Connection(_server(), user=bind_dn, password=cfg["REGENSBURG_LDAP_BIND_PASSWORD"] or None,
                    auto_bind=True, receive_timeout=int(cfg["REGENSBURG_LDAP_TIMEOUT"])) as conn:
        query = cfg["REGENSBURG_LDAP_USER_FILTER"].format(username=escape_filter_chars(username))
        conn.search(cfg["REGENSBURG_LDAP_BASE_DN"], query, attributes=ALL_ATTRIBUTES, size_limit=2)
        if len(conn.entries) != 1:
            return None
        entry = conn.entries[0]
        return entry.entry_dn, entry.entry_attributes_as_dict


def _password_matches(dn: str, password: str) -> bool:
    """Bind as ``dn``; a refused bind is a wrong password, never a reason to try other accounts."""
    conn = Connection(_server(), user=dn, password=password,
                      receive_timeout=int(current_app.config["REGENSBURG_LDAP_TIMEOUT"]))
    try:
        return bool(conn.bind())
    except LDAPBindError:
        return False
    finally:
        conn.unbind()


def authenticate(username: str, password: str) -> dict | None:
    if not current_app.config["REGENSBURG_LDAP_ENABLED"] or not username or not password:
        return None
    username = username.strip().lower()
    try:
        found = find_entry(username)
        if found is None:
            return None
        dn, attrs = found
        if not _password_matches(dn, password):
            return {"denied": True}
    except LDAPException as err:
        logger.warning("Directory not reachable or refused the query: %s", err)
        return None
    identity = {"username": _first(attrs, "uid") or username, "source": "ldap"}
    for key, attribute in ATTRIBUTES.items():
        value = _first(attrs, attribute)
        if value:
            identity[key] = value
    return identity
