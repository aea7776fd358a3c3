"""Shared test helpers: building a group with a cast, and checking HTML for active content."""

from bleach._vendor import html5lib

from wilma.core.database import commit
from wilma.posts import services


def setup_group(make_group, people, visibility, *, archived=False):
    """A group with owner, moderator, member and dora (author of the target post with a poll)."""
    group = make_group(f"G-{visibility}", visibility, owner=people["owner"],
                       moderators=[people["moderator"]], members=[people["member"], people["dora"], people["gone"]])
    post = services.create_post(people["dora"], body="Target post by @member", group_id=group.id,
                                poll={"options": ["yes", "no"]})
    if archived:
        from wilma.core.models import utcnow

        group.archived_at = utcnow()
        commit()
    return group, post


def active_content(html: str) -> list[str]:
    """Every script element, event-handler attribute and javascript:/vbscript:/data: URL in ``html``."""
    return active_elements(html5lib.parseFragment(html, treebuilder="etree", namespaceHTMLElements=False))


def user_html_blocks(page: str) -> list:
    """The elements of a served page that hold user-written HTML (post bodies and comments)."""
    document = html5lib.parse(page, treebuilder="etree", namespaceHTMLElements=False)
    return [el for el in document.iter() if "prose" in (el.get("class") or "").split()]


def active_elements(root) -> list[str]:
    problems = []
    for element in root.iter():
        tag = element.tag if isinstance(element.tag, str) else ""
        if tag.lower() in ("script", "iframe", "object", "embed", "svg", "math", "style", "form", "base"):
            problems.append(f"<{tag}>")
        for name, value in element.attrib.items():
            lname = name.lower()
            if lname.startswith("on") or lname in ("style", "formaction", "srcdoc"):
                problems.append(f"{tag}[{name}]")
            compact = "".join(ch for ch in value if not ch.isspace() and ch.isprintable()).lower()
            if lname in ("href", "src", "action", "xlink:href", "background", "poster", "data") and (
                    compact.startswith(("javascript:", "vbscript:", "data:")) or
                    (lname == "src" and not compact.startswith("/"))):
                problems.append(f"{tag}[{name}={value!r}]")
    return problems
