"""Group pages: directory, create, the group page, settings, picture, archive and delete.

Membership pages (members, requests, invitations, join and leave) are in ``members_views``.
Every decision is the services'; a refused action shows the error page of its status (404 for secret
groups one is not in), while a conflict (the last owner leaving, say) comes back as a message.
"""

from flask import abort, flash, redirect, render_template, request, send_file, url_for
from flask_babel import gettext as _
from flask_login import current_user

from wilma.accounts.forms import EmptyForm
from wilma.core import uploads
from wilma.core.errors import Conflict, ServiceError, ValidationError
from wilma.core.security import require_login
from wilma.extensions import db
from wilma.groups import bp, services
from wilma.groups.forms import GroupForm, ImageForm
from wilma.groups.limits import limit_create

PREVIEW_MEMBERS = 12


def group_context(group, **extra) -> dict:
    """What every page of a group shows in its header: role, permissions, pending request."""
    pending = services.pending_for(group.id, current_user.id)
    return {"group": group, **services.abilities(current_user, group),
            "pending": pending, "button_form": EmptyForm(), **extra}


def form_errors(form, err: ServiceError) -> None:
    """Show a service's refusal at its field, or as a message when it concerns the whole form."""
    field = getattr(form, err.field, None) if err.field else None
    if field is not None:
        field.errors = [*field.errors, err.message]
    else:
        flash(err.message, "error")


def act(fn, target: str):
    """Run a button's action; conflicts and bad input come back as a message on ``target``."""
    if not EmptyForm().validate_on_submit():
        abort(400)
    try:
        fn()
    except (Conflict, ValidationError) as err:
        db.session.rollback()
        flash(err.message, "error")
    return redirect(target)


@bp.get("/groups")
@require_login
def directory():
    query = request.args.get("q", "")[:120]
    category = request.args.get("category", "")[:80] or None
    mine = services.list_groups(current_user, mine=True)
    groups = services.list_groups(current_user, query=query, category=category)
    counts = services.member_counts([g.id for g in groups] + [g.id for g in mine])
    return render_template("groups/directory.html", groups=groups, mine=mine, counts=counts, query=query,
                           category=category, categories=services.categories(current_user),
                           invitations=services.my_invitations(current_user))


@bp.route("/groups/new", methods=["GET", "POST"])
@require_login
@limit_create
def create():
    form = GroupForm()
    if form.validate_on_submit():
        try:
            group = services.create_group(current_user, _form_data(form))
        except ServiceError as err:
            db.session.rollback()
            form_errors(form, err)
        else:
            flash(_("The group has been created."), "success")
            return redirect(url_for("groups.show", group_id=group.id))
    return render_template("groups/new.html", form=form)


def _form_data(form: GroupForm) -> dict:
    return {"name": form.name.data, "description": form.description.data or "",
            "visibility": form.visibility.data, "category": form.category.data or "",
            "color": form.color.data or None}


@bp.get("/groups/<int:group_id>")
@require_login
def show(group_id: int):
    group = services.get_group_for(current_user, group_id)
    context = group_context(group)
    preview = services.members(group, limit=PREVIEW_MEMBERS) if context["can_read"] else []
    count = services.member_counts([group.id]).get(group.id, 0)
    return render_template("groups/show.html", members_preview=preview, member_count=count, **context)


@bp.get("/groups/<int:group_id>/image")
@require_login
def image(group_id: int):
    group = services.get_group_for(current_user, group_id)
    if not group.image_file:
        abort(404)
    response = send_file(uploads.path_for(services.IMAGE_AREA, group.image_file), mimetype="image/png",
                         max_age=300)
    response.headers["Content-Disposition"] = "inline; filename=group.png"
    response.cache_control.private = True  # a secret group's picture: no shared proxy may keep it
    return response


@bp.route("/groups/<int:group_id>/settings", methods=["GET", "POST"])
@require_login
def settings(group_id: int):
    group = services.get_group_for(current_user, group_id)
    services.ensure_moderator(current_user, group)
    form = GroupForm(obj=group)
    if form.validate_on_submit():
        try:
            services.update_group(current_user, group, _form_data(form))
        except ServiceError as err:
            db.session.rollback()
            form_errors(form, err)
        else:
            flash(_("The settings have been saved."), "success")
            return redirect(url_for("groups.settings", group_id=group.id))
    return render_template("groups/settings.html", form=form, image_form=ImageForm(), **group_context(group))


@bp.post("/groups/<int:group_id>/image")
@require_login
def upload_image(group_id: int):
    group = services.get_group_for(current_user, group_id)
    form = ImageForm()
    target = url_for("groups.settings", group_id=group.id)
    if not form.validate_on_submit():
        for error in form.image.errors or [_("Please choose a picture.")]:
            flash(error, "error")
        return redirect(target)
    try:
        if request.form.get("remove") == "1":
            services.set_image(current_user, group, None)
        elif form.image.data:
            services.set_image(current_user, group, uploads.read_limited(form.image.data.stream, 10 * 1024 * 1024))
        else:
            flash(_("Please choose a picture."), "error")
            return redirect(target)
    except (ValidationError, Conflict) as err:
        db.session.rollback()
        flash(err.message, "error")
    else:
        flash(_("The picture has been saved."), "success")
    return redirect(target)


@bp.post("/groups/<int:group_id>/archive")
@require_login
def archive(group_id: int):
    group = services.get_group_for(current_user, group_id)
    archived = request.form.get("archived", "1") == "1"
    response = act(lambda: services.archive_group(current_user, group, archived),
                   url_for("groups.show", group_id=group.id))
    flash(_("The group is archived and read-only.") if archived else _("The group is open again."), "success")
    return response


@bp.route("/groups/<int:group_id>/delete", methods=["GET", "POST"])
@require_login
def delete(group_id: int):
    """A confirmation page; the group is deleted only when the form is posted with its name typed."""
    group = services.get_group_for(current_user, group_id)
    services.ensure_owner(current_user, group)
    form = EmptyForm()
    error = None
    if form.validate_on_submit():
        if request.form.get("confirm_name", "").strip() == group.name:
            name = group.name
            services.delete_group(current_user, group)
            flash(_("The group %(name)s has been deleted.", name=name), "success")
            return redirect(url_for("groups.directory"))
        error = _("Type the group's name exactly to confirm.")
    return render_template("groups/delete.html", form=form, error=error, **group_context(group))


from wilma.groups import members_views  # noqa: E402,F401 - registers the membership pages
