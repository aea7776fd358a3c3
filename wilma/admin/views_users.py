"""Admin pages for people: list and search, create, deactivate, roles, password reset, pseudonymise."""

from flask import flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user

from wilma.accounts import services as accounts
from wilma.accounts.forms import EmptyForm
from wilma.admin import bp, privacy, services
from wilma.admin.forms import CreateUserForm, DeleteUserForm, ResetPasswordForm, show_service_error
from wilma.core.errors import ServiceError
from wilma.core.security import require_admin
from wilma.extensions import db


def _admin():
    return current_user._get_current_object()


@bp.get("/users")
@require_admin
def users():
    query = request.args.get("q", "")[:200]
    try:
        after = int(request.args.get("after", 0)) or None
    except ValueError:
        after = None
    rows, next_after = services.list_accounts(query, after_id=after)
    return render_template("admin/users.html", users=rows, query=query, next_after=next_after,
                           is_former=privacy.is_former)


@bp.route("/users/new", methods=["GET", "POST"])
@require_admin
def create_user():
    form = CreateUserForm()
    if form.validate_on_submit():
        try:
            user = services.create_account(_admin(), username=form.username.data, password=form.password.data,
                                           display_name=form.display_name.data, email=form.email.data,
                                           is_admin=form.is_admin.data)
        except ServiceError as err:
            db.session.rollback()
            if not show_service_error(form, err):
                flash(err.message, "error")
        else:
            flash(_("The account %(u)s has been created.", u=user.username), "success")
            return redirect(url_for("admin.user", user_id=user.id))
    return render_template("admin/user_new.html", form=form)


def _user_page(user, *, password_form=None, status=200):
    return render_template("admin/user.html", person=user, button_form=EmptyForm(),
                           password_form=password_form or ResetPasswordForm(formdata=None),
                           sessions=accounts_session_count(user), is_former=privacy.is_former(user),
                           is_self=user.id == current_user.id), status


def accounts_session_count(user) -> int:
    from sqlalchemy import func, select

    from wilma.accounts.models import UserSession

    return db.session.scalar(select(func.count(UserSession.id)).where(UserSession.user_id == user.id)) or 0


@bp.get("/users/<int:user_id>")
@require_admin
def user(user_id: int):
    return _user_page(accounts.get_user(user_id))


def _run(action, success: str, user_id: int):
    """Run a button's service call; refusals are flashed, the page is shown again either way."""
    if not EmptyForm().validate_on_submit():
        flash(_("The form has expired. Please try again."), "error")
        return redirect(url_for("admin.user", user_id=user_id))
    try:
        action()
    except ServiceError as err:
        db.session.rollback()
        flash(err.message, "error")
    else:
        flash(success, "success")
    return redirect(url_for("admin.user", user_id=user_id))


@bp.post("/users/<int:user_id>/active")
@require_admin
def set_active(user_id: int):
    person = accounts.get_user(user_id)
    active = request.form.get("active") == "1"
    return _run(lambda: services.set_account_active(_admin(), person, active),
                _("The account has been reactivated.") if active else
                _("The account has been deactivated; its sessions have ended."), user_id)


@bp.post("/users/<int:user_id>/admin")
@require_admin
def set_admin(user_id: int):
    person = accounts.get_user(user_id)
    make_admin = request.form.get("admin") == "1"
    return _run(lambda: services.set_account_admin(_admin(), person, make_admin),
                _("%(name)s is now an administrator.", name=person.display_name) if make_admin else
                _("%(name)s is no longer an administrator.", name=person.display_name), user_id)


@bp.post("/users/<int:user_id>/password")
@require_admin
def reset_password(user_id: int):
    person = accounts.get_user(user_id)
    form = ResetPasswordForm()
    if form.validate_on_submit():
        try:
            services.reset_password(_admin(), person, form.new_password.data)
        except ServiceError as err:
            db.session.rollback()
            if not show_service_error(form, err, "new_password"):
                flash(err.message, "error")
        else:
            flash(_("The password has been set and every session of this account has ended."), "success")
            return redirect(url_for("admin.user", user_id=user_id))
    return _user_page(person, password_form=form, status=400)


@bp.route("/users/<int:user_id>/delete", methods=["GET", "POST"])
@require_admin
def delete_user(user_id: int):
    """Pseudonymise an account after the admin typed its username."""
    person = accounts.get_user(user_id)
    form = DeleteUserForm()
    if form.validate_on_submit():
        try:
            privacy.pseudonymise_user(_admin(), person, confirm=form.confirm.data)
        except ServiceError as err:
            db.session.rollback()
            if not show_service_error(form, err, "confirm"):
                flash(err.message, "error")
        else:
            flash(_("The account has been deleted; its content now shows “Former employee”."), "success")
            return redirect(url_for("admin.user", user_id=user_id))
    return render_template("admin/user_delete.html", person=person, form=form,
                           is_former=privacy.is_former(person), is_self=person.id == current_user.id)
