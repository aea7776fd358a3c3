"""``/api/v1`` wiki routes: pages of a group's wiki and the city-wide one, a page, its revisions and diffs.

``PUT /wiki/pages/<id>`` carries ``base_revision_id``: when the page changed since, non-overlapping edits
are merged three-way (200 with ``"merged": true``), overlapping ones are refused with 409 and the newer
revision in ``error.current_revision``; nothing is overwritten.
"""

from flask import request
from flask_babel import gettext as _
from flask_login import current_user

from wilma.core.api import api_bp, cursor_int, decode_cursor, encode_cursor, json_body, page, page_limit, require_str
from wilma.core.errors import ValidationError, json_error
from wilma.core.security import require_login
from wilma.wiki import access, pages, services
from wilma.wiki.diffing import diff_html, diff_lines
from wilma.wiki.models import WikiPage, WikiRevision


def _time(value) -> str | None:
    from wilma.core.models import as_utc

    return as_utc(value).isoformat() if value else None


def revision_json(revision: WikiRevision, *, full: bool = False) -> dict:
    data = {
        "id": revision.id, "number": revision.number, "title": revision.title, "summary": revision.summary,
        "author_id": revision.author_id,
        "author": revision.author.display_name if revision.author else None,
        "parent_revision_id": revision.parent_revision_id, "created_at": _time(revision.created_at),
    }
    if full:
        data.update({"body": revision.body, "html": revision.html})
    return data


def page_json(item: WikiPage, *, full: bool = False) -> dict:
    data = {
        "id": item.id, "group_id": item.group_id, "parent_id": item.parent_id, "title": item.title,
        "path": item.path, "url": pages.page_url(item), "current_revision_id": item.current_revision_id,
        "created_at": _time(item.created_at), "updated_at": _time(item.updated_at),
    }
    if full:
        revision = item.current_revision
        data.update({"body": revision.body if revision else "", "html": pages.render_current(item).html,
                     "revision": revision_json(revision) if revision else None})
    return data


def _list(group_id: int | None):
    cursor = decode_cursor(request.args.get("cursor"))
    limit = page_limit()
    after = cursor_int(cursor, "after")
    items = pages.list_pages(current_user, group_id, after_id=after, limit=limit + 1)
    more = len(items) > limit
    items = items[:limit]
    return page([page_json(p) for p in items], encode_cursor({"after": items[-1].id}) if more and items else None)


def _create(group_id: int | None):
    data = json_body()
    title = require_str(data, "title", max_length=200)
    body = require_str(data, "body", max_length=services.BODY_MAX, required=False)
    parent_id = data.get("parent_id")
    if parent_id is not None and not isinstance(parent_id, int):
        raise ValidationError(_("'%(key)s' must be a number.", key="parent_id"), field="parent_id")
    created = services.create_page(current_user, group_id, title, body, parent_id=parent_id,
                                   summary=require_str(data, "summary", max_length=300, required=False))
    return page_json(created, full=True), 201


@api_bp.get("/wiki/pages")
@require_login
def wiki_pages():
    return _list(None)


@api_bp.post("/wiki/pages")
@require_login
def wiki_create_page():
    return _create(None)


@api_bp.get("/groups/<int:group_id>/wiki/pages")
@require_login
def group_wiki_pages(group_id: int):
    return _list(group_id)


@api_bp.post("/groups/<int:group_id>/wiki/pages")
@require_login
def group_wiki_create_page(group_id: int):
    return _create(group_id)


@api_bp.get("/wiki/pages/<int:page_id>")
@require_login
def wiki_page(page_id: int):
    return page_json(access.readable_page(current_user, page_id), full=True)


@api_bp.put("/wiki/pages/<int:page_id>")
@require_login
def wiki_update_page(page_id: int):
    """Save a new text; ``title`` and ``parent_id`` (optional) rename and move the page."""
    data = json_body()
    body = require_str(data, "body", max_length=services.BODY_MAX, required=False)
    base = data.get("base_revision_id")
    if not isinstance(base, int) or isinstance(base, bool):
        raise ValidationError(_("'%(key)s' must be a number.", key="base_revision_id"), field="base_revision_id")
    summary = require_str(data, "summary", max_length=services.SUMMARY_MAX, required=False)
    try:
        result = services.save_page(current_user, page_id, body, base, summary)
    except services.EditConflict as conflict:
        return json_error(409, conflict.code, conflict.message,
                          current_revision=revision_json(conflict.current, full=True),
                          base_revision_id=conflict.base.id,
                          diff=str(diff_html(conflict.current.body, conflict.mine)))
    item = access.readable_page(current_user, page_id)
    if "title" in data or "parent_id" in data:
        title = require_str(data, "title", max_length=200) if "title" in data else item.title
        parent_id = data.get("parent_id", item.parent_id)
        item = services.rename_page(current_user, item.id, title, parent_id)
    answer = page_json(item, full=True)
    answer.update({"merged": result.merged, "changed": result.changed})
    return answer


@api_bp.get("/wiki/pages/<int:page_id>/revisions")
@require_login
def wiki_revisions(page_id: int):
    item, revisions = pages.revisions(current_user, page_id)
    return page([revision_json(r) for r in revisions], None)


@api_bp.get("/wiki/pages/<int:page_id>/revisions/<int:revision_id>")
@require_login
def wiki_revision(page_id: int, revision_id: int):
    return revision_json(pages.get_revision(current_user, page_id, revision_id)[1], full=True)


@api_bp.get("/wiki/pages/<int:page_id>/diff")
@require_login
def wiki_diff(page_id: int):
    """``?from=<revision id>&to=<revision id>``; ``to`` defaults to the current revision, ``from`` to its
    predecessor. ``html`` is built from escaped text with ``<del>``/``<ins>`` marks."""
    item = access.readable_page(current_user, page_id)

    def arg(name):
        value = request.args.get(name, "")
        if value and not value.isdigit():
            raise ValidationError(_("'%(key)s' must be a number.", key=name), field=name)
        return int(value) if value else None

    new = pages.get_revision(current_user, item.id, arg("to") or item.current_revision_id)[1]
    from_id = arg("from") or new.parent_revision_id
    old = pages.get_revision(current_user, item.id, from_id)[1] if from_id else None
    old_body = old.body if old else ""
    lines = [{"kind": r.kind, "old_no": r.old_no, "new_no": r.new_no, "html": str(r.html)}
             for r in diff_lines(old_body, new.body)]
    return {"from": old.id if old else None, "to": new.id, "html": str(diff_html(old_body, new.body)),
            "lines": lines}
