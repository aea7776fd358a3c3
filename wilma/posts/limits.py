"""Per-person write rates for posts, comments and uploads, enforced inside the services.

The limits use Flask-Limiter's storage (``wilma.extensions.limiter``, so Redis when configured) with a
key per user id, and answer with a ``RateLimited`` error (429) that says which limit was reached.
Configuration: ``WILMA_POSTS_RATE_LIMIT``, ``WILMA_COMMENTS_RATE_LIMIT``, ``WILMA_UPLOADS_RATE_LIMIT``
(Flask-Limiter syntax, e.g. ``"20 per minute"``).
"""

from flask import current_app, has_app_context
from flask_babel import gettext as _
from limits import parse

from wilma.core.errors import RateLimited
from wilma.extensions import limiter

DEFAULT_RATES = {
    "posts": "20 per minute",
    "comments": "60 per minute",
    "uploads": "30 per 10 minutes",
}


def _messages() -> dict[str, str]:
    return {
        "posts": _("You are posting very fast. Please wait a minute before you post again."),
        "comments": _("You are commenting very fast. Please wait a moment before you comment again."),
        "uploads": _("You have uploaded many files in a short time. Please wait a few minutes."),
    }


def check_rate(kind: str, user) -> None:
    """Count one write of ``kind`` for ``user``; raise ``RateLimited`` when the limit is reached."""
    if not has_app_context() or not current_app.config.get("RATELIMIT_ENABLED", True):
        return
    rate = current_app.config.get(f"WILMA_{kind.upper()}_RATE_LIMIT") or DEFAULT_RATES[kind]
    item = parse(rate)
    if not limiter.limiter.hit(item, "wilma-posts", kind, str(user.id)):
        raise RateLimited(_messages()[kind])
