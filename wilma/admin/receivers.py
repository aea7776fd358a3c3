"""Audit entries for logins: Flask-Login's ``user_logged_in`` and WILMA's ``login_failed`` signal.

Connected once at import (``wilma.admin.views`` imports this module); the receivers are module-level
functions, so blinker's weak references keep them alive.
"""

from flask_login import user_logged_in

from wilma.admin.audit import record_audit
from wilma.core.signals import login_failed


def on_login(_sender, user, **_extra) -> None:
    """A successful login, with the person as actor and target."""
    record_audit("login", target=user, actor=user)


def on_login_failed(_sender, identifier: str = "", **_extra) -> None:
    """A refused login: what was typed as the login (cut and escaped) and whether such an account
    exists (for admins telling a guessing attack from a forgotten password), never the password."""
    from wilma.accounts.services import find_login

    # NUL cannot be sent to PostgreSQL, and no account has it in its name
    account = find_login(identifier) if identifier and "\x00" not in identifier else None
    record_audit("login.failed", target=account, detail={"login": (identifier or "")[:120],
                                                          "known_account": account is not None})


user_logged_in.connect(on_login)
login_failed.connect(on_login_failed)
