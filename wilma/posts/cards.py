"""The cards of an HTML stream, each rendered once per version of its post and kept (a fragment cache).

A stream page (feed, group, profile) costs mostly the rendering of its 20 cards, and the same newest posts
are shown to many people. So ``render_stream`` keeps every rendered card in a per-process LRU cache:

- **What decides which posts appear** is never the cache: ``feed.card_rows`` reads the rows of the page
  from the database on every request, through the visibility filter of ``core.security``. The cache is
  only asked for the cards of those rows, so it cannot show a post (or its counts) to anyone who may not
  see it, and a deleted post, or one of a group the viewer left, is simply not asked for.
- **Invalidation is by version**: the entry of a card holds the values it was rendered from (times, edit
  and pin state, like and comment counts, the author's name and avatar, the group's name), read fresh in
  the same query. An edit, a pin, a like, a comment or a rename changes them, and the card is rendered
  again. Nothing needs to be told about a change, so several processes need no shared invalidation.
- **What differs per viewer** is in the key or out of the fragment: the language and time zone, whether
  the viewer likes the post, is its author, an admin or a moderator of its group (the controls) are part
  of the key; the CSRF token and the page's own path (the forms' way back) are placeholders in the cached
  HTML, filled in for each request and never stored. A poll (its results depend on the viewer's votes
  and change with every vote) is rendered for each request into its card's poll placeholder.

A template that overrides ``posts/_post_card.html`` must keep to this: a card may show only what comes
from its arguments and the version columns (``feed.card_rows``), nothing else about the viewer.
The cache lives as long as the process (a restart empties it); with the debugger on it is off, so that
edited templates show at once.
"""

import secrets
from collections import OrderedDict
from threading import Lock

from flask import current_app
from flask_babel import get_locale, get_timezone
from flask_login import current_user
from markupsafe import Markup, escape

from wilma.posts import feed
from wilma.posts.models import Post
from wilma.posts.templating import viewer

CACHE_SIZE = 5000  # cards per process: about 2 KB each
# Markers for what is filled in per request; random per process, so no post text can contain them.
_TOKEN = secrets.token_hex(8)
HERE = f"wilma-here-{_TOKEN}"
CSRF = f"wilma-csrf-{_TOKEN}"
POLL = f"wilma-poll-{_TOKEN}"
POLL_SLOT = Markup(POLL)  # noqa: S704 - a fixed marker of letters, digits and dashes


class CardCache:
    """A thread-safe LRU map ``key -> (version, html)``; a stale version counts as a miss."""

    def __init__(self, size: int = CACHE_SIZE):
        self.size = size
        self._items: OrderedDict = OrderedDict()
        self._lock = Lock()

    def get(self, key, version) -> str | None:
        with self._lock:
            item = self._items.get(key)
            if item is None or item[0] != version:
                return None
            self._items.move_to_end(key)
            return item[1]

    def put(self, key, version, html: str) -> None:
        with self._lock:
            self._items[key] = (version, html)
            self._items.move_to_end(key)
            while len(self._items) > self.size:
                self._items.popitem(last=False)

    def clear(self) -> None:
        with self._lock:
            self._items.clear()


def card_cache() -> CardCache:
    """The app's card cache (one per app, so that apps in one process, as in tests, never share cards)."""
    return current_app.extensions.setdefault("wilma_post_cards", CardCache())


def _key(row, me: dict, place: tuple) -> tuple:
    return (row.id, *place, row.author_id == me["id"], me["is_admin"], row.group_id in me["moderates"],
            bool(row.liked))


def _version(row) -> tuple:
    return (row.created_at, row.edited_at, row.pinned_at, row.like_count, row.comment_count, row.display_name,
            row.avatar_file, row.group_name)


def render_stream(page, here: str, post_card) -> Markup:
    """The cards of ``page`` (pinned first) as HTML; ``post_card`` is the template's macro.

    At most three queries whatever the number of cards: the full posts of the cards to render (none when
    the cache has them all), the polls among the cards and the viewer's votes in them (both also when there
    are no polls, so that the count does not depend on which posts a page holds).
    """
    rows = page.pinned + page.posts
    if rows and isinstance(rows[0], Post):  # a page loaded without ``cards=True``: render as it is
        return Markup("").join(post_card(p, page.liked, page.votes, here) for p in rows)
    me = viewer()
    cache = None if current_app.debug else card_cache()
    place = (str(get_locale()), str(get_timezone()))
    cached = {}
    if cache is not None:
        for row in rows:
            html = cache.get(_key(row, me, place), _version(row))
            if html is not None:
                cached[row.id] = html
    missing = [r.id for r in rows if r.id not in cached]
    full = {p.id: p for p in feed.load_full(missing)} if missing else {}
    poll_ids = [r.poll_id for r in rows if r.poll_id is not None]
    polls = feed.load_polls(poll_ids)
    votes = feed.load_votes(current_user, poll_ids)
    poll_template = current_app.jinja_env.get_template("posts/_poll.html") if polls else None
    marked = {**me, "csrf": CSRF}
    fill = {HERE: str(escape(here)), CSRF: str(escape(me["csrf"]))}
    parts = []
    for row in rows:
        html = cached.get(row.id)
        if html is None:
            post = full.get(row.id)
            if post is None:  # deleted between the two queries
                continue
            if _TOKEN in post.html:  # cannot happen unless the token leaked: then no markers in this card
                parts.append(str(post_card(post, page.liked, votes, here)))
                continue
            html = str(post_card(post, page.liked, votes, HERE, viewer=marked, poll_slot=POLL_SLOT))
            if cache is not None:
                cache.put(_key(row, me, place), _version(row), html)
        html = html.replace(HERE, fill[HERE]).replace(CSRF, fill[CSRF])
        if row.poll_id is not None:
            poll = polls.get(row.poll_id)
            html = html.replace(POLL, poll_template.render(poll=poll, votes=votes, here=here) if poll else "")
        parts.append(html)
    return Markup("".join(parts))  # noqa: S704 - from the card template; post HTML is sanitized at write time
