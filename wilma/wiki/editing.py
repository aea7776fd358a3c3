"""Wiki pages that write: new page, edit (with merge and conflict), rename and move, trash, restore,
watch, attachments, and the editors of the city-wide wiki.

Nothing typed is lost: a save whose session has expired (not logged in any more, or a CSRF token that
no longer matches because the person logged in again in another tab) shows the text back in the form
instead of an error page; ``static/js/wiki.js`` also keeps a draft in the browser until the save succeeded.
"""

from urllib.parse import urlsplit

from flask import flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user
from flask_wtf.csrf import CSRFError
from sqlalchemy import select

from wilma.accounts.models import User
from wilma.accounts.services import normalise_username
from wilma.core.errors import ServiceError, error_page
from wilma.core.security import require_admin, require_login
from wilma.extensions import db, login_manager
from wilma.wiki import access, attachments, bp, pages, services
from wilma.wiki.diffing import diff_lines
from wilma.wiki.forms import ActionForm, AttachmentForm, EditorForm, EditPageForm, NewPageForm, RenameForm
from wilma.wiki.views import wiki_context

SAVING_ENDPOINTS = {"wiki.edit", "wiki.new_page", "wiki.group_new_page"}


def _parent_choices(group_id: int | None, exclude=None) -> list[tuple[int, str]]:
    """Pages of the wiki as indented choices (a page and its subtree are left out when moving it)."""
    choices = [(0, _("(top level)"))]

    def walk(nodes, depth):
        for node in nodes:
            if exclude is not None and node["page"].id == exclude.id:
                continue
            choices.append((node["page"].id, "— " * depth + node["page"].title))
            walk(node["children"], depth + 1)

    walk(pages.page_tree(group_id), 0)
    return choices


def _expired(status: int = 401):
    """The save arrived without a valid login: show the text back, save nothing, leak nothing."""
    args = request.view_args or {}
    if "page_id" in args:
        draft_key = f"page-{args['page_id']}"
    else:
        draft_key = f"new-{args.get('group_id') or 'city'}"
    return render_template("wiki/expired.html", text=request.form.get("body", ""),
                           title=request.form.get("title", ""), summary=request.form.get("summary", ""),
                           base_revision_id=request.form.get("base_revision_id", ""), draft_key=draft_key,
                           login_url=url_for("accounts.login", next=request.path)), status


def _same_origin() -> bool:
    """The POST came from a page of this site (browsers send ``Origin`` with form posts)."""
    source = request.headers.get("Origin") or request.headers.get("Referer") or ""
    parts = urlsplit(source)
    return bool(parts.scheme and parts.netloc) and f"{parts.scheme}://{parts.netloc}/" == request.host_url


@bp.errorhandler(CSRFError)
def csrf_failed(err):
    """A stale CSRF token on a save: the person logged in again meanwhile. Keep their text.

    Only for posts from this site's own pages: a form on another site must not be able to put its
    text into someone's editor and ask them to save it.
    """
    if request.endpoint not in SAVING_ENDPOINTS or not _same_origin():
        return error_page(400, err.description)
    if not current_user.is_authenticated:
        return _expired()
    flash(_("Your login changed while you were editing. Your text is kept below: please check it and "
            "save again."), "error")
    try:  # an error handler must not raise: a page the person may not edit answers as usual
        if request.endpoint == "wiki.edit":
            return _edit(request.view_args["page_id"], validate=False)
        return _new(request.view_args.get("group_id"), validate=False)
    except ServiceError as refused:
        return error_page(refused.status, refused.message)


def _new(group_id: int | None, validate: bool = True):
    context = wiki_context(group_id)
    access.ensure_write(current_user, group_id)
    form = NewPageForm()
    form.parent_id.choices = _parent_choices(group_id)
    if request.method == "GET":
        form.title.data = request.args.get("title", "")[:200]
        parent = request.args.get("parent", "")
        form.parent_id.data = int(parent) if parent.isdigit() else 0
    if validate and form.validate_on_submit():
        try:
            page = services.create_page(current_user, group_id, form.title.data, form.body.data or "",
                                        parent_id=form.parent_id.data, summary=form.summary.data or "")
        except ServiceError as err:
            (getattr(form, err.field).errors if err.field in ("title", "body", "parent_id")
             else form.title.errors).append(err.message)
        else:
            flash(_("The page has been created."), "success")
            return redirect(pages.page_url(page) + f"?saved=new-{group_id or 'city'}")
    draft_key = f"new-{group_id or 'city'}"
    return render_template("wiki/new.html", form=form, draft_key=draft_key, **context)


@bp.route("/wiki/-/new", methods=["GET", "POST"])
def new_page():
    if not current_user.is_authenticated:
        return _expired() if request.method == "POST" else login_manager.unauthorized()
    return _new(None)


@bp.route("/groups/<int:group_id>/wiki/-/new", methods=["GET", "POST"])
def group_new_page(group_id: int):
    if not current_user.is_authenticated:
        return _expired() if request.method == "POST" else login_manager.unauthorized()
    return _new(group_id)


def _edit(page_id: int, validate: bool = True):
    page = access.readable_page(current_user, page_id)
    access.ensure_write(current_user, page.group_id)
    context = wiki_context(page.group_id)
    form = EditPageForm()
    current = page.current_revision
    if request.method == "GET":
        form.body.data = current.body if current else ""
        form.base_revision_id.data = str(current.id) if current else ""
    render = {"page": page, "form": form, "crumbs": pages.breadcrumbs(page), "draft_key": f"page-{page.id}"}
    if validate and form.validate_on_submit():
        try:
            result = services.save_page(current_user, page.id, form.body.data or "", form.base_revision_id.data,
                                        form.summary.data or "")
        except services.EditConflict as conflict:
            form.base_revision_id.data = str(conflict.current.id)  # saving again is now a decision
            rows = diff_lines(conflict.current.body, conflict.mine, context=None)
            return render_template("wiki/edit.html", conflict=conflict, rows=rows, **render, **context), 409
        except ServiceError as err:
            form.body.errors.append(err.message)
        else:
            if result.merged:
                flash(_("Someone else saved this page while you were editing. Your changes did not overlap "
                        "and have been merged with theirs."), "success")
            elif result.changed:
                flash(_("The page has been saved."), "success")
            else:
                flash(_("No changes to save."), "info")
            return redirect(pages.page_url(page) + f"?saved=page-{page.id}")
    return render_template("wiki/edit.html", conflict=None, rows=None, **render, **context)


@bp.route("/wiki/-/pages/<int:page_id>/edit", methods=["GET", "POST"])
def edit(page_id: int):
    if not current_user.is_authenticated:
        return _expired() if request.method == "POST" else login_manager.unauthorized()
    return _edit(page_id)


@bp.route("/wiki/-/pages/<int:page_id>/rename", methods=["GET", "POST"])
@require_login
def rename(page_id: int):
    page = access.readable_page(current_user, page_id)
    access.ensure_write(current_user, page.group_id)
    form = RenameForm()
    form.parent_id.choices = _parent_choices(page.group_id, exclude=page)
    if request.method == "GET":
        form.title.data, form.parent_id.data = page.title, page.parent_id or 0
    if form.validate_on_submit():
        try:
            services.rename_page(current_user, page.id, form.title.data, form.parent_id.data)
        except ServiceError as err:
            (form.parent_id.errors if err.field == "parent_id" else form.title.errors).append(err.message)
        else:
            flash(_("The page has been renamed or moved. Old links keep working."), "success")
            return redirect(pages.page_url(page))
    return render_template("wiki/rename.html", page=page, form=form, crumbs=pages.breadcrumbs(page),
                           **wiki_context(page.group_id))


@bp.post("/wiki/-/pages/<int:page_id>/delete")
@require_login
def delete(page_id: int):
    page = services.delete_page(current_user, page_id)
    flash(_("“%(title)s” has been moved to the trash.", title=page.title), "success")
    return redirect(url_for("wiki.group_trash", group_id=page.group_id) if page.group_id
                    else url_for("wiki.trash"))


@bp.post("/wiki/-/pages/<int:page_id>/restore")
@require_login
def restore(page_id: int):
    page = services.restore_page(current_user, page_id)
    flash(_("“%(title)s” has been restored.", title=page.title), "success")
    return redirect(pages.page_url(page))


@bp.post("/wiki/-/pages/<int:page_id>/revisions/<int:revision_id>/restore")
@require_login
def restore_revision(page_id: int, revision_id: int):
    revision = services.restore_revision(current_user, page_id, revision_id)
    flash(_("The old text is now the current one (revision %(n)d).", n=revision.number), "success")
    return redirect(pages.page_url(revision.page))


@bp.post("/wiki/-/pages/<int:page_id>/watch")
@require_login
def watch(page_id: int):
    watching = services.set_watch(current_user, page_id, request.form.get("watch") == "1")
    flash(_("You will be notified when this page changes.") if watching
          else _("You will no longer be notified about this page."), "success")
    return redirect(pages.page_url(access.readable_page(current_user, page_id)))


@bp.post("/wiki/-/pages/<int:page_id>/attachments")
@require_login
def upload(page_id: int):
    form = AttachmentForm()
    try:
        attachments.add_attachment(current_user, page_id, form.file.data)
    except ServiceError as err:
        if err.status in (404,):
            raise
        flash(err.message, "error")
    else:
        flash(_("The file has been attached."), "success")
    return redirect(pages.page_url(access.readable_page(current_user, page_id)))


@bp.post("/wiki/-/attachments/<int:attachment_id>/delete")
@require_login
def delete_attachment(attachment_id: int):
    page_id = attachments.get_attachment(current_user, attachment_id).page_id
    attachments.delete_attachment(current_user, attachment_id)
    flash(_("The file has been removed."), "success")
    return redirect(pages.page_url(access.readable_page(current_user, page_id)))


@bp.route("/wiki/-/editors", methods=["GET", "POST"])
@require_admin
def editors():
    """Admins name the editors of the city-wide wiki."""
    form = EditorForm()
    if form.validate_on_submit():
        user = db.session.scalar(select(User).where(User.username == normalise_username(form.username.data)))
        if user is None:
            form.username.errors.append(_("Nobody has this username."))
        else:
            attachments.name_editor(current_user, user.id)
            flash(_("%(name)s can now edit the city-wide wiki.", name=user.display_name), "success")
            return redirect(url_for("wiki.editors"))
    return render_template("wiki/editors.html", form=form, editors=access.editors(), action_form=ActionForm(),
                           **wiki_context(None))


@bp.post("/wiki/-/editors/<int:user_id>/remove")
@require_admin
def remove_editor(user_id: int):
    attachments.remove_editor(current_user, user_id)
    flash(_("The editor has been removed."), "success")
    return redirect(url_for("wiki.editors"))
