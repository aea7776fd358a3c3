"""Wiki test factories: groups and memberships straight from the models (the groups services are
written elsewhere), pages through the wiki services, and an HTML checker for served pages."""

from html.parser import HTMLParser

import pytest
from flask import g
from flask.testing import FlaskClient

from wilma.core.database import commit
from wilma.extensions import db
from wilma.groups.models import Group, GroupMembership


class FreshGlobalsClient(FlaskClient):
    """The ``app`` fixture keeps one app context open for the whole test, so every request would share
    its ``g`` (the logged-in user of Flask-Login, Flask-WTF's CSRF token, cached group sets). Each
    request here starts with an empty ``g``, as it does in a real server."""

    def open(self, *args, **kwargs):
        g.__dict__.clear()
        return super().open(*args, **kwargs)


@pytest.fixture
def client(app):
    """A test client whose requests do not share ``g`` (see ``FreshGlobalsClient``)."""
    app.test_client_class = FreshGlobalsClient
    return app.test_client()


@pytest.fixture
def make_group(app):
    """``make_group("Name", visibility="secret", members={user: "owner"}, archived=False)``."""

    def factory(name="Team", *, visibility="public", members=None, archived=False):
        from wilma.core.models import utcnow

        group = Group(name=name, visibility=visibility, archived_at=utcnow() if archived else None)
        db.session.add(group)
        db.session.flush()
        for user, role in (members or {}).items():
            db.session.add(GroupMembership(group_id=group.id, user_id=user.id, role=role))
        commit()
        return group

    return factory


@pytest.fixture
def make_page(app):
    """``make_page(user, "Title", "body", group=None, parent=None)`` through the service."""
    from wilma.wiki import services

    def factory(user, title="Page", body="Text\n", *, group=None, parent=None):
        return services.create_page(user, group.id if group else None, title, body,
                                    parent_id=parent.id if parent else None)

    return factory


@pytest.fixture
def admin(make_user):
    return make_user("admin", admin=True)


class DangerFinder(HTMLParser):
    """Collects what would run in a browser: script elements (other than the site's own files), event
    handler attributes, javascript:/vbscript:/data: URLs, embedded documents and meta refreshes."""

    URL_ATTRS = {"href", "src", "action", "formaction", "xlink:href", "data", "srcdoc", "background", "poster",
                 "srcset", "lowsrc", "dynsrc"}
    EMBEDS = {"iframe", "frame", "object", "embed", "svg", "math", "base", "applet", "portal"}

    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.found: list[str] = []

    def handle_starttag(self, tag, attrs):
        values = {(name or "").lower(): value or "" for name, value in attrs}
        if tag == "script" and not values.get("src", "").startswith("/static/"):
            self.found.append("<script>")
        site_icon = tag == "svg" and "icon" in values.get("class", "").split() and values.get("aria-hidden") == "true"
        if tag in self.EMBEDS and not site_icon:
            self.found.append(f"<{tag}>")
        if tag == "meta" and values.get("http-equiv", "").lower() == "refresh":
            self.found.append("<meta refresh>")
        if tag == "link" and not values.get("href", "").startswith(("/static/", "/branding.css")):
            self.found.append("<link>")
        for name, value in values.items():
            if name.startswith("on"):
                self.found.append(f"{tag}[{name}]")
            if name in self.URL_ATTRS and value:
                compact = "".join(ch for ch in value if not ch.isspace() and ord(ch) > 31).lower()
                if compact.startswith(("javascript:", "vbscript:", "data:", "livescript:")):
                    self.found.append(f"{tag}[{name}={value!r}]")

    handle_startendtag = handle_starttag


def dangers(html: str) -> list[str]:
    """Everything executable in ``html`` (parsed, not grepped)."""
    finder = DangerFinder()
    finder.feed(html)
    finder.close()
    return finder.found


@pytest.fixture
def find_dangers():
    """``find_dangers(html)`` -> list of executable things found in a served page."""
    return dangers
