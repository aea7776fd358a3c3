"""What the post templates call: the group stream for the groups page, permission checks, links.

``group_stream(group)`` is registered as a template global so that the groups feature's page can
``{% include "posts/_group_stream.html" ignore missing %}`` without knowing about posts.
"""

from datetime import datetime

from flask import current_app, g, request, url_for
from flask_login import current_user
from werkzeug.routing import BuildError

from wilma.core.errors import ServiceError
from wilma.core.models import as_utc
from wilma.core.security import member_roles
from wilma.posts import access, bp, feed
from wilma.posts.models import Post

GROUP_ENDPOINTS = ("groups.show", "groups.detail")


def group_url(group) -> str | None:
    """The groups feature's page of ``group`` (``None`` while no groups pages are installed)."""
    cache = g.setdefault("wilma_group_urls", {})
    if group.id not in cache:
        cache[group.id] = _group_url(group)
    return cache[group.id]


def _group_url(group) -> str | None:
    for endpoint in GROUP_ENDPOINTS:
        if endpoint in current_app.view_functions:
            try:
                return url_for(endpoint, group_id=group.id)
            except BuildError:
                continue
    return None


def group_stream(group):
    """The page of ``group``'s stream for the current viewer (``?cursor=`` of the current URL)."""
    try:
        return feed.group_stream(current_user, group.id, cursor=request.args.get("cursor"), cards=True)
    except ServiceError:
        return None


def stream_cards(page, here: str, post_card):
    """The cards of a stream page, from the card cache where it can (see ``cards.py``)."""
    from wilma.posts.cards import render_stream

    return render_stream(page, here, post_card)


def can_post_in(group) -> bool:
    """Whether to show the composer (``create_post`` checks again); the roles are read once per request."""
    if not current_user.is_authenticated:
        return False
    user = current_user._get_current_object()
    return access.may_post(group, member_roles(user).get(group.id))


def can_delete(post_or_comment, group_id) -> bool:
    return current_user.is_authenticated and access.can_delete(current_user, post_or_comment, group_id)


def can_pin(post: Post) -> bool:
    return current_user.is_authenticated and access.can_pin(current_user, post)


def post_form_poll(form) -> dict | None:
    """The composer's poll fields (one option per line) as the dict ``create_post`` takes."""
    lines = [line.strip() for line in (form.get("poll_options") or "").splitlines() if line.strip()]
    if not lines:
        return None
    closes = (form.get("poll_closes_at") or "").strip() or None
    if closes:
        try:
            moment = datetime.fromisoformat(closes)
        except ValueError:
            moment = None  # parse_poll answers with the message
        if moment is not None:
            from zoneinfo import ZoneInfo

            from flask_babel import get_timezone

            # the browser's datetime-local field has no zone: it is the viewer's (the site's) local time
            # (ZoneInfo, not Babel's zone object: replace() with a pytz zone would use its LMT offset)
            zone = ZoneInfo(str(get_timezone()))
            closes = (moment if moment.tzinfo else moment.replace(tzinfo=zone)).isoformat()
    return {"options": lines, "multiple": form.get("poll_multiple") == "1", "closes_at": closes}


def viewer() -> dict:
    """Who looks at the cards, computed once per request: id, admin flag, groups they moderate, CSRF token.

    The cards decide the edit, pin and delete controls from this (the services check again on use).
    """
    if "wilma_post_viewer" not in g:
        from flask_wtf.csrf import generate_csrf

        user = current_user._get_current_object()
        moderates = {gid for gid, role in member_roles(user).items() if role in ("moderator", "owner")}
        g.wilma_post_viewer = {"id": user.id, "is_admin": bool(user.is_admin), "moderates": moderates,
                               "csrf": generate_csrf()}
    return g.wilma_post_viewer


def post_time(value) -> str:
    """A post's time, short, in the viewer's language and time zone (Babel's work done once per request)."""
    from babel.dates import format_datetime
    from flask_babel import get_locale, get_timezone

    if "wilma_time_setup" not in g:
        g.wilma_time_setup = (get_locale(), get_timezone())
    locale, zone = g.wilma_time_setup
    return format_datetime(as_utc(value), "short", tzinfo=zone, locale=locale)


def post_labels() -> dict[str, str]:
    """The fixed texts of a post card, translated once per request (a page shows many cards)."""
    from flask import g, has_request_context
    from flask_babel import gettext as _
    from flask_babel import ngettext

    if has_request_context() and "wilma_post_labels" in g:
        return g.wilma_post_labels
    labels = {
        "in": _("in"), "edited": _("edited"), "pinned": _("Pinned"), "like": _("Like"), "unlike": _("Unlike"),
        "edit": _("Edit"), "pin": _("Pin"), "unpin": _("Unpin"), "delete": _("Delete"),
        "confirm_delete": _("Delete this post?"),
        # the like counter's singular and plural, for the script that updates it without a reload
        "likes_one": ngettext("%(num)d like", "%(num)d likes", 1),
        "likes_other": ngettext("%(num)d like", "%(num)d likes", 2),
    }
    if has_request_context():
        g.wilma_post_labels = labels
    return labels


@bp.app_context_processor
def post_helpers():
    return {
        "group_stream": group_stream,
        "stream_cards": stream_cards,
        "post_labels": post_labels,
        "post_viewer": viewer,
        "post_time": post_time,
        "group_url": group_url,
        "can_post_in": can_post_in,
        "can_delete_item": can_delete,
        "can_pin_post": can_pin,
        "post_max_length": 20_000,
    }
