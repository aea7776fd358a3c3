"""Reading the wiki: finding pages by path or title, rendering with live links, tree, breadcrumbs,
backlinks and the trash. Every function gets the viewer and checks ``access`` first."""

import hashlib
import json

from sqlalchemy import select

from wilma.core.errors import NotFound
from wilma.extensions import db
from wilma.wiki import access
from wilma.wiki.markup import RenderResult, page_url_for, render_wiki, toc_from_html
from wilma.wiki.models import WikiLink, WikiPage, WikiRedirect, WikiRevision


def live_pages(group_id: int | None):
    """A query of the live (not trashed) pages of one wiki."""
    scope = WikiPage.group_id.is_(None) if group_id is None else WikiPage.group_id == group_id
    return select(WikiPage).where(scope, WikiPage.deleted_at.is_(None))


def page_url(page: WikiPage) -> str:
    return page_url_for(page.group_id, page.path)


def find_by_title_key(group_id: int | None, key: str) -> WikiPage | None:
    """The live page that ``[[Title]]`` means: its current title first, then a title it had before."""
    page = db.session.scalar(live_pages(group_id).where(WikiPage.title_key == key))
    if page is not None:
        return page
    scope = WikiRedirect.group_id.is_(None) if group_id is None else WikiRedirect.group_id == group_id
    return db.session.scalar(
        select(WikiPage).join(WikiRedirect, WikiRedirect.page_id == WikiPage.id)
        .where(scope, WikiRedirect.old_title_key == key, WikiPage.deleted_at.is_(None))
        .order_by(WikiRedirect.id.desc()).limit(1))


def _prefetch(group_id: int | None, keys: set[str]) -> dict[str, str | None]:
    """URLs for many title keys in two queries (current titles, then old titles of renamed pages)."""
    found: dict[str, str | None] = {}
    if not keys:
        return found
    for page in db.session.scalars(live_pages(group_id).where(WikiPage.title_key.in_(keys))):
        found[page.title_key] = page_url(page)
    rest = keys - set(found)
    if rest:
        scope = WikiRedirect.group_id.is_(None) if group_id is None else WikiRedirect.group_id == group_id
        rows = db.session.execute(
            select(WikiRedirect.old_title_key, WikiPage).join(WikiPage, WikiRedirect.page_id == WikiPage.id)
            .where(scope, WikiRedirect.old_title_key.in_(rest), WikiPage.deleted_at.is_(None))
            .order_by(WikiRedirect.id))
        for key, page in rows:
            found[key] = page_url(page)  # the newest redirect wins
    return found


def resolver(group_id: int | None, prefetch: set[str] | None = None):
    """``title_key -> URL or None`` for ``render_wiki``; remembers answers within one rendering.
    ``prefetch``: keys the text is known to link to, looked up together (constant query count)."""
    cache: dict[str, str | None] = _prefetch(group_id, prefetch or set())
    for key in prefetch or ():
        cache.setdefault(key, None)

    def resolve(key: str) -> str | None:
        if key not in cache:
            page = find_by_title_key(group_id, key)
            cache[key] = page_url(page) if page is not None else None
        return cache[key]

    return resolve


def render_for(group_id: int | None, body: str, prefetch: set[str] | None = None) -> RenderResult:
    return render_wiki(body, group_id, resolver(group_id, prefetch))


def link_state(group_id: int | None, keys, known: dict | None = None) -> str:
    """A fingerprint of where the links ``keys`` point now (missing pages included)."""
    mapping = known if known is not None else _prefetch(group_id, set(keys))
    items = sorted((key, mapping.get(key) or "") for key in keys)
    return hashlib.sha256(json.dumps(items).encode()).hexdigest()[:40]


def render_current(page: WikiPage) -> RenderResult:
    """The current revision with links as they are now. The HTML stored with the revision is served as
    it is while its links still point where they pointed (Markdown, plugin filters and the sanitizer
    ran once, at save); after a linked page appeared, moved or went, the text is rendered again. The
    page's stored ``WikiLink`` rows name its targets, so this costs a constant number of queries."""
    revision = page.current_revision
    keys = set(db.session.scalars(select(WikiLink.target_key).where(WikiLink.page_id == page.id)))
    if revision is None:
        return render_for(page.group_id, "", keys)
    if revision.link_state and revision.link_state == link_state(page.group_id, keys):
        return RenderResult(html=revision.html, toc=toc_from_html(revision.html),
                            links={key: key for key in keys})
    return render_for(page.group_id, revision.body, keys)


def find_by_path(user, group_id: int | None, path: str) -> tuple[WikiPage, bool]:
    """The live page at ``path``, or the page an old path of it redirects to; ``(page, redirected)``."""
    if group_id is not None:
        access.load_group(user, group_id)
    elif not access.can_read(user, None):
        access.require_user(user)
    path = path.strip("/")
    page = db.session.scalar(live_pages(group_id).where(WikiPage.path == path))
    if page is not None:
        return page, False
    scope = WikiRedirect.group_id.is_(None) if group_id is None else WikiRedirect.group_id == group_id
    page = db.session.scalar(
        select(WikiPage).join(WikiRedirect, WikiRedirect.page_id == WikiPage.id)
        .where(scope, WikiRedirect.old_path == path, WikiPage.deleted_at.is_(None))
        .order_by(WikiRedirect.id.desc()).limit(1))
    if page is None:
        raise NotFound()
    return page, True


def breadcrumbs(page: WikiPage) -> list[WikiPage]:
    """The live ancestors of ``page``, from the top down (trashed ancestors are skipped)."""
    chain, node, seen = [], page.parent, {page.id}
    while node is not None and node.id not in seen:
        seen.add(node.id)
        if node.deleted_at is None:
            chain.append(node)
        node = node.parent
    return list(reversed(chain))


def page_tree(group_id: int | None) -> list[dict]:
    """The live pages of a wiki as a tree ``[{"page", "children"}]``, sorted by title. A page whose
    parent is in the trash shows at the top level."""
    pages = list(db.session.scalars(live_pages(group_id).order_by(WikiPage.title_key)))
    ids = {p.id for p in pages}
    nodes = {p.id: {"page": p, "children": []} for p in pages}
    roots = []
    for page in pages:
        if page.parent_id in ids and page.parent_id != page.id:
            nodes[page.parent_id]["children"].append(nodes[page.id])
        else:
            roots.append(nodes[page.id])
    return roots


def local_tree(page: WikiPage, limit: int = 200) -> list[dict]:
    """The page among its siblings, with its children below it: the sidebar of a page (the whole tree
    is on the wiki's start page; a big wiki would make every page view slow)."""
    parent_id = page.parent_id if page.parent is not None and page.parent.deleted_at is None else None
    same_parent = WikiPage.parent_id == parent_id if parent_id is not None else WikiPage.parent_id.is_(None)
    siblings = list(db.session.scalars(live_pages(page.group_id).where(same_parent)
                                       .order_by(WikiPage.title_key).limit(limit)))
    if page not in siblings:
        siblings.append(page)
    children = list(db.session.scalars(live_pages(page.group_id).where(WikiPage.parent_id == page.id)
                                       .order_by(WikiPage.title_key).limit(limit)))
    return [{"page": p, "children": [{"page": c, "children": []} for c in children] if p.id == page.id else []}
            for p in siblings]


def list_pages(user, group_id: int | None, *, after_id: int | None = None, limit: int = 100) -> list[WikiPage]:
    if group_id is not None:
        access.load_group(user, group_id)
    else:
        access.require_user(user)
    query = live_pages(group_id).order_by(WikiPage.id)
    if after_id is not None:
        query = query.where(WikiPage.id > after_id)
    return list(db.session.scalars(query.limit(limit)))


def backlinks(page: WikiPage) -> list[WikiPage]:
    """Live pages of the same wiki whose current text links to ``page`` (by its title or an old one)."""
    keys = {page.title_key}
    keys |= set(db.session.scalars(select(WikiRedirect.old_title_key).where(
        WikiRedirect.page_id == page.id, WikiRedirect.old_title_key.is_not(None))))
    query = (live_pages(page.group_id).join(WikiLink, WikiLink.page_id == WikiPage.id)
             .where(WikiLink.target_key.in_(keys), WikiPage.id != page.id)
             .order_by(WikiPage.title_key).distinct())
    return list(db.session.scalars(query))


def missing_links(group_id: int | None) -> list[str]:
    """Titles that pages of this wiki link to but that no page has ("wanted pages")."""
    scope = WikiLink.group_id.is_(None) if group_id is None else WikiLink.group_id == group_id
    rows = db.session.execute(select(WikiLink.target_key, WikiLink.target_title).join(
        WikiPage, WikiPage.id == WikiLink.page_id).where(scope, WikiPage.deleted_at.is_(None))).all()
    existing = _prefetch(group_id, {key for key, _title in rows})
    wanted = {}
    for key, title in rows:
        if key not in existing:
            wanted.setdefault(key, title)
    return sorted(wanted.values(), key=str.casefold)


def recent_changes(group_id: int | None, limit: int = 10) -> list[WikiRevision]:
    """The latest revisions of live pages of one wiki, newest first."""
    scope = WikiPage.group_id.is_(None) if group_id is None else WikiPage.group_id == group_id
    return list(db.session.scalars(
        select(WikiRevision).join(WikiPage, WikiPage.id == WikiRevision.page_id)
        .where(scope, WikiPage.deleted_at.is_(None))
        .order_by(WikiRevision.created_at.desc(), WikiRevision.id.desc()).limit(limit)))


def trash(user, group_id: int | None) -> list[WikiPage]:
    access.ensure_moderate(user, group_id)
    scope = WikiPage.group_id.is_(None) if group_id is None else WikiPage.group_id == group_id
    return list(db.session.scalars(select(WikiPage).where(scope, WikiPage.deleted_at.is_not(None))
                                   .order_by(WikiPage.deleted_at.desc())))


def revisions(user, page_id: int) -> tuple[WikiPage, list[WikiRevision]]:
    page = access.readable_page(user, page_id)
    rows = db.session.scalars(select(WikiRevision).where(WikiRevision.page_id == page.id)
                              .order_by(WikiRevision.number.desc()))
    return page, list(rows)


def get_revision(user, page_id: int, revision_id: int) -> tuple[WikiPage, WikiRevision]:
    """A revision of a page the viewer may read (404 for a revision of another page)."""
    page = access.readable_page(user, page_id)
    revision = db.session.get(WikiRevision, revision_id)
    if revision is None or revision.page_id != page.id:
        raise NotFound()
    return page, revision


def get_revision_by_number(page: WikiPage, number: int) -> WikiRevision | None:
    return db.session.scalar(select(WikiRevision).where(WikiRevision.page_id == page.id,
                                                        WikiRevision.number == number))
