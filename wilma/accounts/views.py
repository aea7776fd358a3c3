"""Account pages: login, logout, profile, settings, password, tokens, people directory, org tree."""

from flask import abort, flash, jsonify, redirect, render_template, request, send_file, url_for
from flask_babel import get_locale
from flask_babel import gettext as _
from flask_login import current_user, login_user
from sqlalchemy import select

from wilma.accounts import bp, services
from wilma.accounts.forms import AvatarForm, EmptyForm, LoginForm, PasswordForm, ProfileForm, TokenForm
from wilma.accounts.models import AccessToken, OrgUnit, User, UserSession
from wilma.core import uploads
from wilma.core.database import commit
from wilma.core.errors import ServiceError
from wilma.core.security import require_login
from wilma.extensions import db, limiter


def _account_key() -> str:
    return "login:" + services.normalise_username(request.form.get("login", ""))[:254]


def _failed(response) -> bool:
    """Only failed attempts count against the limits."""
    return response.status_code != 302


def _login_limit(kind: str):
    from flask import current_app

    return current_app.config[f"WILMA_LOGIN_LIMIT_PER_{kind}"]


@bp.route("/login", methods=["GET", "POST"])
@limiter.limit(lambda: _login_limit("ACCOUNT"), key_func=_account_key, methods=["POST"], deduct_when=_failed,
               scope="login-account")
@limiter.limit(lambda: _login_limit("ADDRESS"), methods=["POST"], deduct_when=_failed, scope="login-address")
def login():
    if current_user.is_authenticated:
        return redirect(url_for("web.index"))
    form = LoginForm()
    if form.validate_on_submit():
        user = services.authenticate(form.login.data, form.password.data)
        if user is not None:
            services.start_session(user)
            login_user(user)
            from flask import current_app

            current_app.extensions["wilma_plugins"].hook.wilma_user_logged_in(user=user)
            target = request.args.get("next", "")
            if not target.startswith("/") or target.startswith("//") or "\\" in target:
                target = url_for("web.index")
            return redirect(target)
        form.password.errors = [*form.password.errors, _("Unknown username or wrong password.")]
        from wilma.core.signals import send_login_failed  # the audit log listens (wilma.admin)

        send_login_failed(form.login.data)
    return render_template("accounts/login.html", form=form), 200


@bp.post("/logout")
def logout():
    everywhere = request.form.get("everywhere") == "1"
    if EmptyForm().validate_on_submit() or not current_user.is_authenticated:
        services.logout(everywhere=everywhere)
    flash(_("You are logged out everywhere.") if everywhere else _("You are logged out."), "info")
    return redirect(url_for("accounts.login"))


@bp.get("/people")
@require_login
def directory():
    query = request.args.get("q", "")[:200]
    people = services.search_people(query, limit=200)
    return render_template("accounts/directory.html", people=people, query=query)


@bp.get("/people/suggest")
@require_login
def suggest():
    """Search-as-you-type for the directory and @mentions (active people only)."""
    query = request.args.get("q", "")[:100]
    people = services.search_people(query, limit=10) if query.strip() else []
    return jsonify([{"id": p.id, "username": p.username, "name": p.display_name,
                     "title": p.job_title, "url": url_for("accounts.profile", user_id=p.id)} for p in people])


@bp.get("/people/<int:user_id>")
@require_login
def profile(user_id: int):
    person = services.get_user(user_id)
    fields = services.profile_field_definitions()
    values = services.extra_fields(person)
    return render_template("accounts/profile.html", person=person, extra=[
        (f["label"], values.get(f["key"], "")) for f in fields if values.get(f["key"])])


@bp.get("/people/<int:user_id>/avatar")
@require_login
def avatar(user_id: int):
    person = services.get_user(user_id)
    if not person.avatar_file:
        abort(404)
    response = send_file(uploads.path_for("avatars", person.avatar_file), mimetype="image/png", max_age=300)
    response.headers["Content-Disposition"] = "inline; filename=avatar.png"
    return response


@bp.get("/organisation")
@require_login
def org_tree():
    roots = db.session.scalars(select(OrgUnit).where(OrgUnit.parent_id.is_(None))
                               .order_by(OrgUnit.position, OrgUnit.name)).all()
    counts = dict(db.session.execute(
        select(User.org_unit_id, db.func.count(User.id)).where(User.active.is_(True)).group_by(User.org_unit_id)
    ).all())
    return render_template("accounts/org_tree.html", roots=roots, counts=counts)


@bp.get("/organisation/<int:unit_id>")
@require_login
def org_unit(unit_id: int):
    unit = db.session.get(OrgUnit, unit_id) or abort(404)
    members = db.session.scalars(select(User).where(User.org_unit_id == unit.id, User.active.is_(True))
                                 .order_by(User.display_name)).all()
    return render_template("accounts/org_unit.html", unit=unit, members=members)


def _unit_choices() -> list[tuple[int, str]]:
    choices = [(0, "—")]

    def walk(units, depth):
        for unit in units:
            choices.append((unit.id, "\u2003" * depth + unit.label))
            walk(unit.children, depth + 1)

    walk(db.session.scalars(select(OrgUnit).where(OrgUnit.parent_id.is_(None))
                            .order_by(OrgUnit.position, OrgUnit.name)).all(), 0)
    return choices


@bp.route("/settings/profile", methods=["GET", "POST"])
@require_login
def edit_profile():
    form = ProfileForm(obj=current_user)
    form.org_unit_id.choices = _unit_choices()
    if request.method == "GET":
        form.org_unit_id.data = current_user.org_unit_id or 0
        form.locale.data = current_user.locale or str(get_locale())
    fields = services.profile_field_definitions()
    values = services.extra_fields(current_user)
    if form.validate_on_submit():
        data = {k: getattr(form, k).data for k in
                ("display_name", "email", "job_title", "phone", "room", "about", "locale")}
        data["org_unit_id"] = form.org_unit_id.data or None
        extra = {f["key"]: request.form.get(f["key"], "") for f in fields}
        try:
            services.update_profile(current_user, data, extra)
        except ServiceError as err:
            db.session.rollback()
            target = getattr(form, err.field, None) if err.field else None
            if target is not None:
                target.errors = [*target.errors, err.message]
            else:
                flash(err.message, "error")
            values.update(extra)
        else:
            flash(_("Your profile has been saved."), "success")
            return redirect(url_for("accounts.edit_profile"))
    return render_template("accounts/settings_profile.html", form=form, avatar_form=AvatarForm(),
                           fields=fields, values=values)


@bp.post("/settings/avatar")
@require_login
def upload_avatar():
    form = AvatarForm()
    if form.validate_on_submit() and form.avatar.data:
        try:
            data = uploads.read_limited(form.avatar.data.stream, 10 * 1024 * 1024)
            name = uploads.save_square_png(uploads.open_image(data), "avatars", 256)
        except ServiceError as err:
            flash(err.message, "error")
        else:
            uploads.delete_stored("avatars", current_user.avatar_file)
            current_user.avatar_file = name
            commit()
            flash(_("Your picture has been saved."), "success")
    elif request.form.get("remove") == "1" and form.validate_on_submit():
        uploads.delete_stored("avatars", current_user.avatar_file)
        current_user.avatar_file = None
        commit()
        flash(_("Your picture has been removed."), "success")
    else:
        for error in form.avatar.errors or [_("Please choose a picture.")]:
            flash(error, "error")
    return redirect(url_for("accounts.edit_profile"))


@bp.route("/settings/password", methods=["GET", "POST"])
@require_login
def change_password():
    form = PasswordForm()
    if form.validate_on_submit():
        try:
            services.change_password(current_user, form.current_password.data, form.new_password.data)
        except ServiceError as err:
            db.session.rollback()
            field = getattr(form, err.field or "", None) or form.new_password
            field.errors = [*field.errors, err.message]
        else:
            flash(_("Your password has been changed. Other sessions have been logged out."), "success")
            return redirect(url_for("accounts.change_password"))
    sessions = db.session.scalars(select(UserSession).where(UserSession.user_id == current_user.id)
                                  .order_by(UserSession.created_at.desc())).all()
    return render_template("accounts/settings_password.html", form=form, sessions=sessions,
                           current=services.current_session(), logout_form=EmptyForm())


@bp.route("/settings/tokens", methods=["GET", "POST"])
@require_login
def tokens():
    form = TokenForm()
    new_token = None
    if form.validate_on_submit():
        _token, new_token = services.create_token(current_user, form.name.data)
        form = TokenForm(formdata=None)
    rows = db.session.scalars(select(AccessToken).where(AccessToken.user_id == current_user.id)
                              .order_by(AccessToken.created_at.desc())).all()
    return render_template("accounts/settings_tokens.html", form=form, tokens=rows, new_token=new_token,
                           revoke_form=EmptyForm())


@bp.post("/settings/tokens/<int:token_id>/revoke")
@require_login
def revoke_token(token_id: int):
    if EmptyForm().validate_on_submit():
        services.revoke_token(current_user, token_id)
        flash(_("The token has been revoked."), "success")
    return redirect(url_for("accounts.tokens"))
