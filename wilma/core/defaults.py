"""The core's own hook implementations: what the site does with no plugin enabled.

Registered like any plugin, so the contract is exercised on every request.
"""

from wilma.core.hookspecs import hookimpl


@hookimpl
def wilma_branding():
    return None  # the neutral identity of core.templating.DEFAULT_BRANDING


@hookimpl
def wilma_authenticate(username, password):
    return None  # local accounts are checked by the core after every provider declined


@hookimpl
def wilma_render_filters():
    return []
