"""Wiki pages for reading: the city-wide wiki at /wiki, a group's at /groups/<id>/wiki, a page by its
path (old paths redirect), history, old revisions, diffs, backlinks, trash and attachments.

Page actions live under ``/wiki/-/pages/<id>/...`` for both kinds of wiki: ``-`` is never a slug, so
these URLs cannot collide with a page path. The writing views are in ``wilma.wiki.editing``.
"""

from flask import abort, redirect, render_template, request, send_file, url_for
from flask_babel import gettext as _
from flask_login import current_user

from wilma.core import uploads
from wilma.core.errors import NotFound
from wilma.core.security import require_login
from wilma.wiki import access, bp, pages
from wilma.wiki.attachments import AREA, get_attachment, page_attachments
from wilma.wiki.diffing import diff_lines
from wilma.wiki.forms import ActionForm, AttachmentForm
from wilma.wiki.services import is_watching


@bp.context_processor
def wiki_helpers() -> dict:
    return {"page_url": pages.page_url}


def wiki_context(group_id: int | None) -> dict:
    """What every wiki template needs to know about the wiki it shows."""
    group = access.load_group(current_user, group_id) if group_id is not None else None
    return {
        "group": group,
        "wiki_title": _("Wiki of %(name)s", name=group.name) if group else _("City-wide wiki"),
        "wiki_url": url_for("wiki.group_index", group_id=group.id) if group else url_for("wiki.index"),
        "new_url": (url_for("wiki.group_new_page", group_id=group.id) if group else url_for("wiki.new_page")),
        "trash_url": (url_for("wiki.group_trash", group_id=group.id) if group else url_for("wiki.trash")),
        "can_write": access.can_write(current_user, group_id),
        "can_moderate": access.can_moderate(current_user, group_id),
        "is_archived": bool(group and group.archived_at),
    }


def _index(group_id: int | None):
    context = wiki_context(group_id)
    return render_template("wiki/index.html", tree=pages.page_tree(group_id),
                           wanted=pages.missing_links(group_id), recent=pages.recent_changes(group_id),
                           **context)


@bp.get("/wiki")
@require_login
def index():
    return _index(None)


@bp.get("/groups/<int:group_id>/wiki")
@require_login
def group_index(group_id: int):
    return _index(group_id)


def _show(group_id: int | None, path: str):
    try:
        page, redirected = pages.find_by_path(current_user, group_id, path)
    except NotFound:
        if not access.can_write(current_user, group_id):
            raise
        suggestion = path.strip("/").rsplit("/", 1)[-1].replace("-", " ").strip().capitalize()[:200]
        return render_template("wiki/missing.html", suggestion=suggestion, **wiki_context(group_id)), 404
    if redirected:
        return redirect(pages.page_url(page), code=301)
    context = wiki_context(group_id)
    rendered = pages.render_current(page)
    return render_template(
        "wiki/page.html", page=page, revision=page.current_revision, html=rendered.html, toc=rendered.toc,
        crumbs=pages.breadcrumbs(page), tree=pages.local_tree(page), backlinks=pages.backlinks(page),
        attachments=page_attachments(page), watching=is_watching(current_user, page),
        action_form=ActionForm(), upload_form=AttachmentForm(), saved=request.args.get("saved"), **context)


@bp.get("/wiki/<path:path>")
@require_login
def page(path: str):
    return _show(None, path)


@bp.get("/groups/<int:group_id>/wiki/<path:path>")
@require_login
def group_page(group_id: int, path: str):
    return _show(group_id, path)


@bp.get("/wiki/-/pages/<int:page_id>")
@require_login
def page_by_id(page_id: int):
    return redirect(pages.page_url(access.readable_page(current_user, page_id)))


@bp.get("/wiki/-/pages/<int:page_id>/history")
@require_login
def history(page_id: int):
    page, revisions = pages.revisions(current_user, page_id)
    return render_template("wiki/history.html", page=page, revisions=revisions, action_form=ActionForm(),
                           crumbs=pages.breadcrumbs(page), **wiki_context(page.group_id))


@bp.get("/wiki/-/pages/<int:page_id>/revisions/<int:revision_id>")
@require_login
def revision(page_id: int, revision_id: int):
    page, rev = pages.get_revision(current_user, page_id, revision_id)
    return render_template("wiki/revision.html", page=page, revision=rev, action_form=ActionForm(),
                           crumbs=pages.breadcrumbs(page), **wiki_context(page.group_id))


def _int_arg(name: str) -> int | None:
    value = request.args.get(name, "")
    return int(value) if value.isdigit() else None


@bp.get("/wiki/-/pages/<int:page_id>/diff")
@require_login
def diff(page_id: int):
    """Diff between two revisions (``from``, ``to``: revision ids); by default the last change."""
    page = access.readable_page(current_user, page_id)
    to_id = _int_arg("to") or page.current_revision_id
    page, new = pages.get_revision(current_user, page.id, to_id)
    from_id = _int_arg("from") or new.parent_revision_id
    old = pages.get_revision(current_user, page.id, from_id)[1] if from_id else None
    rows = diff_lines(old.body if old else "", new.body)
    return render_template("wiki/diff.html", page=page, old=old, new=new, rows=rows,
                           crumbs=pages.breadcrumbs(page), **wiki_context(page.group_id))


@bp.get("/wiki/-/pages/<int:page_id>/backlinks")
@require_login
def backlinks(page_id: int):
    page = access.readable_page(current_user, page_id)
    return render_template("wiki/backlinks.html", page=page, backlinks=pages.backlinks(page),
                           crumbs=pages.breadcrumbs(page), **wiki_context(page.group_id))


def _trash(group_id: int | None):
    context = wiki_context(group_id)
    return render_template("wiki/trash.html", trashed=pages.trash(current_user, group_id),
                           action_form=ActionForm(), **context)


@bp.get("/wiki/-/trash")
@require_login
def trash():
    return _trash(None)


@bp.get("/groups/<int:group_id>/wiki/-/trash")
@require_login
def group_trash(group_id: int):
    return _trash(group_id)


@bp.get("/wiki/-/attachments/<int:attachment_id>/<name>")
@require_login
def attachment(attachment_id: int, name: str):
    """A page's file; images are shown inline, everything else is a download."""
    item = get_attachment(current_user, attachment_id)
    try:
        path = uploads.path_for(AREA, item.stored_name)
    except NotFound:
        abort(404)
    if not path.exists():
        abort(404)
    return send_file(path, mimetype=item.content_type, download_name=item.filename,
                     as_attachment=not item.is_image, max_age=0)


from wilma.wiki import editing  # noqa: E402, F401 - registers the writing views on the same blueprint
