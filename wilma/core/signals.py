"""Signals (blinker) for events that several features listen to without importing each other.

``login_failed`` is sent by the login view when credentials are refused, with ``identifier`` (what the
person typed as username or e-mail, never the password). The admin feature records it in the audit log.
Successful logins use Flask-Login's own ``user_logged_in`` signal.
"""

from blinker import Namespace

_signals = Namespace()

login_failed = _signals.signal("login-failed")


def send_login_failed(identifier: str) -> None:
    """Announce a refused login attempt (called by the login view)."""
    from flask import current_app

    login_failed.send(current_app._get_current_object(), identifier=identifier or "")
