"""The core's own hook implementations: what the site does with no plugin enabled.

Registered like any plugin, so the contract is exercised on every request.
"""

import logging

from wilma.core.hookspecs import hookimpl

logger = logging.getLogger("wilma.plugins")


@hookimpl
def wilma_branding():
    return None  # the neutral identity of core.templating.DEFAULT_BRANDING


@hookimpl
def wilma_authenticate(username, password):
    return None  # local accounts are checked by the core after every provider declined


@hookimpl
def wilma_render_filters():
    return []


def _guard_event(name: str):
    """A wrapper around an event hook: the change it reports is committed, so a failing plugin is logged
    and the request goes on (the plugins after the failing one are not called for this event)."""

    def wrapper(user):
        try:
            return (yield)
        except Exception:
            logger.exception("A plugin failed in %s; the event was dropped for the plugins after it", name)
            return []

    wrapper.__name__ = name
    return hookimpl(wrapper=True)(wrapper)


wilma_user_created = _guard_event("wilma_user_created")
wilma_user_logged_in = _guard_event("wilma_user_logged_in")
