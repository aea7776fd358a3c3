"""Every wiki write: create, save (with three-way merge of concurrent edits), rename and move, trash
and restore, restore an old revision, watch. Each checks ``access``, writes, commits; effects (watch
notifications, the ``wilma_wiki_page_saved`` hook) run after the commit.

Saving over a newer revision never overwrites it: the editor sends the revision it started from
(``base_revision_id``). When the page has changed since, the two edits are merged three-way if they do
not overlap (the revision notes the merge); otherwise ``EditConflict`` is raised and nothing is saved.
"""

from dataclasses import dataclass

from flask import current_app
from flask_babel import gettext as _
from sqlalchemy import delete, select

from wilma.core.audit import audit
from wilma.core.database import after_commit, commit
from wilma.core.errors import Conflict, ValidationError
from wilma.core.models import utcnow
from wilma.extensions import db
from wilma.notifications.services import notify
from wilma.wiki import access
from wilma.wiki.diffing import merge_three_way, normalise_body
from wilma.wiki.markup import TITLE_MAX, normalise_title, slugify, title_key
from wilma.wiki.models import WikiLink, WikiPage, WikiRedirect, WikiRevision, WikiWatch
from wilma.wiki.pages import link_state, live_pages, page_url, render_for

BODY_MAX = 200_000
SUMMARY_MAX = 300
PATH_MAX = 1000  # WikiPage.path


class EditConflict(Conflict):
    """The page changed since the editor opened it and the two edits overlap."""

    def __init__(self, current: WikiRevision, base: WikiRevision, mine: str):
        super().__init__(_("Someone else saved this page while you were editing, and your changes overlap "
                           "with theirs. Nothing was saved."))
        self.current, self.base, self.mine = current, base, mine


@dataclass
class SaveResult:
    revision: WikiRevision
    merged: bool = False
    changed: bool = True


def _check_title(group_id: int | None, title: str, exclude_id: int | None = None) -> str:
    title = normalise_title(title)
    if not title:
        raise ValidationError(_("Please give the page a title."), field="title")
    query = live_pages(group_id).where(WikiPage.title_key == title_key(title))
    if exclude_id is not None:
        query = query.where(WikiPage.id != exclude_id)
    if db.session.scalar(query) is not None:
        raise ValidationError(_("A page with this title already exists in this wiki."), field="title")
    return title


def _check_body(body: str) -> str:
    if not isinstance(body, str):
        raise ValidationError(_("The text is missing."), field="body")
    if len(body) > BODY_MAX:
        raise ValidationError(_("The text is longer than %(n)d characters.", n=BODY_MAX), field="body")
    return normalise_body(body)


def _check_parent(group_id: int | None, parent_id, page: WikiPage | None = None) -> WikiPage | None:
    if parent_id in (None, "", 0):
        return None
    try:
        parent_id = int(parent_id)
    except (TypeError, ValueError):
        raise ValidationError(_("Unknown parent page."), field="parent_id") from None
    parent = db.session.scalar(live_pages(group_id).where(WikiPage.id == parent_id))
    if parent is None:
        raise ValidationError(_("Unknown parent page."), field="parent_id")
    node = parent
    while node is not None and page is not None:
        if node.id == page.id:
            raise ValidationError(_("A page cannot be placed below itself."), field="parent_id")
        node = node.parent
    return parent


def _unique_path(group_id: int | None, parent: WikiPage | None, slug: str, exclude_id: int | None) -> str:
    prefix = f"{parent.path}/" if parent is not None else ""
    if len(prefix) + len(slug) > PATH_MAX - 10:
        raise ValidationError(_("The page is nested too deeply. Please choose a parent page higher up."),
                              field="parent_id")
    candidate, n = prefix + slug, 1
    while True:
        query = live_pages(group_id).where(WikiPage.path == candidate)
        if exclude_id is not None:
            query = query.where(WikiPage.id != exclude_id)
        if db.session.scalar(query) is None:
            return candidate
        n += 1
        candidate = f"{prefix}{slug}-{n}"


def _store_links(page: WikiPage, links: dict) -> None:
    db.session.execute(delete(WikiLink).where(WikiLink.page_id == page.id))
    for key, target in links.items():
        db.session.add(WikiLink(page_id=page.id, group_id=page.group_id, target_key=key,
                                target_title=target[:TITLE_MAX]))


def _add_revision(user, page: WikiPage, body: str, summary: str, parent: WikiRevision | None) -> WikiRevision:
    rendered = render_for(page.group_id, body)
    state = link_state(page.group_id, rendered.links)
    revision = WikiRevision(page_id=page.id, number=(parent.number + 1) if parent else 1, title=page.title,
                            body=body, html=rendered.html, link_state=state, summary=(summary or "")[:SUMMARY_MAX],
                            author_id=user.id, parent_revision_id=parent.id if parent else None)
    db.session.add(revision)
    db.session.flush()
    page.current_revision_id = revision.id
    page.updated_at = utcnow()
    _store_links(page, rendered.links)
    return revision


def queue_search(page: WikiPage) -> None:
    """Queue the page for the search index (in this transaction) when the search feature is installed."""
    try:
        from wilma.search.outbox import queue_index
    except ImportError:
        return
    queue_index(f"wiki:{page.id}")


def _after_save(user, page: WikiPage, revision: WikiRevision) -> None:
    """Watchers are notified and search is queued (in this transaction); the hook runs once it committed."""
    queue_search(page)
    watchers = [w.user for w in db.session.scalars(select(WikiWatch).where(WikiWatch.page_id == page.id))]
    if watchers:
        notify(recipients=watchers, kind="wiki", actor=user, subject_type="wiki_page", subject_id=page.id,
               group_id=page.group_id, text=page.title, url=page_url(page))
    app = current_app._get_current_object()

    def run_hook():
        app.extensions["wilma_plugins"].hook.wilma_wiki_page_saved(page=page, revision=revision, user=user)

    after_commit(run_hook)


def create_page(user, group_id: int | None, title: str, body: str, *, parent_id=None,
                summary: str = "") -> WikiPage:
    """A new page with its first revision."""
    if group_id is not None:
        access.load_group(user, group_id)
    access.ensure_write(user, group_id)
    title = _check_title(group_id, title)
    body = _check_body(body)
    parent = _check_parent(group_id, parent_id)
    slug = slugify(title)
    page = WikiPage(group_id=group_id, parent_id=parent.id if parent else None, title=title,
                    title_key=title_key(title), slug=slug, path=_unique_path(group_id, parent, slug, None),
                    created_by_id=user.id)
    db.session.add(page)
    db.session.flush()
    revision = _add_revision(user, page, body, summary or _("Created the page"), None)
    _after_save(user, page, revision)
    commit()
    return page


def save_page(user, page_id: int, body: str, base_revision_id, summary: str = "") -> SaveResult:
    """Save a new text made from ``base_revision_id``; merges or raises ``EditConflict`` when the page
    changed in between. An unchanged text makes no revision."""
    page = access.readable_page(user, page_id, for_update=True)
    access.ensure_write(user, page.group_id)
    body = _check_body(body)
    current = page.current_revision
    try:
        base_id = int(base_revision_id)
    except (TypeError, ValueError):
        raise ValidationError(_("The editor did not say which revision it started from."),
                              field="base_revision_id") from None
    merged = False
    if current is not None and base_id != current.id:
        base = db.session.get(WikiRevision, base_id)
        if base is None or base.page_id != page.id:
            raise ValidationError(_("Unknown revision."), field="base_revision_id")
        if normalise_body(base.body) == body:
            return SaveResult(current, changed=False)  # nothing of mine to add
        result = merge_three_way(base.body, body, current.body)
        if result is None:
            raise EditConflict(current, base, body)
        body, merged = result, True
        note = _("merged with revision %(n)d", n=current.number)
        summary = f"{summary} ({note})" if summary else note[:1].upper() + note[1:]
    if current is not None and current.body == body:
        return SaveResult(current, merged=merged, changed=False)
    revision = _add_revision(user, page, body, summary, current)
    _after_save(user, page, revision)
    commit()
    return SaveResult(revision, merged=merged)


def _remember_paths(page: WikiPage) -> list[WikiPage]:
    """Old paths of ``page`` and its descendants become redirects; returns the subtree (page first)."""
    subtree, queue = [], [page]
    while queue:
        node = queue.pop(0)
        subtree.append(node)
        queue.extend(db.session.scalars(select(WikiPage).where(WikiPage.parent_id == node.id,
                                                               WikiPage.id != node.id)))
    for node in subtree:
        db.session.add(WikiRedirect(group_id=node.group_id, old_path=node.path, page_id=node.id))
    return subtree


def _repath(subtree: list[WikiPage]) -> None:
    """New paths for a renamed or moved page and everything below it (parents come first)."""
    for node in subtree:
        parent = node.parent if node.parent is not None and node.parent.deleted_at is None else None
        node.path = _unique_path(node.group_id, parent, node.slug, node.id)


def rename_page(user, page_id: int, title: str, parent_id=None, summary: str = "") -> WikiPage:
    """Rename and/or move a page. Old URLs (of the page and everything below it) and ``[[Old title]]``
    links keep working through ``WikiRedirect``. A rename is recorded as a revision."""
    page = access.readable_page(user, page_id, for_update=True)
    access.ensure_write(user, page.group_id)
    new_title = _check_title(page.group_id, title, exclude_id=page.id)
    parent = _check_parent(page.group_id, parent_id, page)
    renamed = new_title != page.title
    moved = (parent.id if parent else None) != page.parent_id
    if not renamed and not moved:
        return page
    subtree = _remember_paths(page)
    if renamed:
        if title_key(new_title) != page.title_key:
            db.session.add(WikiRedirect(group_id=page.group_id, old_title_key=page.title_key, page_id=page.id))
        old_title = page.title
        page.title, page.title_key, page.slug = new_title, title_key(new_title), slugify(new_title)
    page.parent_id = parent.id if parent else None
    db.session.flush()
    db.session.expire(page, ["parent"])
    try:
        _repath(subtree)
    except ValidationError:
        db.session.rollback()  # nothing of the half-done move may be committed later
        raise
    for node in subtree:  # their URLs changed
        queue_search(node)
    if renamed:
        note = summary or _("Renamed from “%(old)s”", old=old_title)
        revision = _add_revision(user, page, page.current_revision.body, note, page.current_revision)
        _after_save(user, page, revision)
    commit()
    return page


def delete_page(user, page_id: int) -> WikiPage:
    """Move a page into the trash (moderators, owners, admins). Its pages below stay where they are."""
    page = access.readable_page(user, page_id)
    access.ensure_moderate(user, page.group_id)
    page.deleted_at = utcnow()
    page.deleted_by_id = user.id
    audit("wiki.page.delete", actor=user, target=page, detail={"group_id": page.group_id})
    queue_search(page)
    commit()
    return page


def restore_page(user, page_id: int) -> WikiPage:
    """Bring a page back from the trash; its title or path gets a suffix when taken meanwhile."""
    page = access.readable_page(user, page_id, include_deleted=True)
    access.ensure_moderate(user, page.group_id)
    if page.deleted_at is None:
        return page
    base, n = page.title, 1
    while db.session.scalar(live_pages(page.group_id).where(WikiPage.title_key == page.title_key)):
        n += 1
        page.title = normalise_title(f"{base[:TITLE_MAX - 6]} ({n})")
        page.title_key = title_key(page.title)
    page.deleted_at, page.deleted_by_id = None, None
    parent = page.parent if page.parent is not None and page.parent.deleted_at is None else None
    page.path = _unique_path(page.group_id, parent, page.slug, page.id)
    queue_search(page)
    commit()
    return page


def restore_revision(user, page_id: int, revision_id: int) -> WikiRevision:
    """Make an old revision's text the current one, as a new revision (history is never rewritten)."""
    page = access.readable_page(user, page_id, for_update=True)
    access.ensure_write(user, page.group_id)
    old = db.session.get(WikiRevision, revision_id)
    if old is None or old.page_id != page.id:
        raise ValidationError(_("Unknown revision."))
    current = page.current_revision
    revision = _add_revision(user, page, old.body, _("Restored revision %(n)d", n=old.number), current)
    _after_save(user, page, revision)
    commit()
    return revision


def set_watch(user, page_id: int, watching: bool) -> bool:
    """Watch or stop watching a page; returns whether the person now watches it."""
    page = access.readable_page(user, page_id)
    existing = db.session.scalar(select(WikiWatch).where(WikiWatch.page_id == page.id,
                                                         WikiWatch.user_id == user.id))
    if watching and existing is None:
        db.session.add(WikiWatch(page_id=page.id, user_id=user.id))
    elif not watching and existing is not None:
        db.session.delete(existing)
    commit()
    return watching


def is_watching(user, page: WikiPage) -> bool:
    return db.session.scalar(select(WikiWatch.id).where(WikiWatch.page_id == page.id,
                                                        WikiWatch.user_id == user.id)) is not None
