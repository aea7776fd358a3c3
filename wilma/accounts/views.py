"""Account pages: login, logout, profile, settings, password, tokens, people directory, org tree."""

from flask import abort, current_app, flash, jsonify, redirect, render_template, request, send_file, url_for
from flask_babel import get_locale
from flask_babel import gettext as _
from flask_login import current_user, login_user
from sqlalchemy import select

from wilma.accounts import bp, services
from wilma.accounts.forms import AvatarForm, EmptyForm, LoginForm, PasswordForm, ProfileForm, TokenForm
from wilma.accounts.models import AccessToken, OrgUnit, User, UserSession
from wilma.core import uploads
from wilma.core.errors import ServiceError, error_page
from wilma.core.sanitize import is_site_path
from wilma.core.security import require_login
from wilma.extensions import db, limiter

DIRECTORY_PAGE = 200
AVATAR_MAX_BYTES = 10 * 1024 * 1024


def _account_key() -> str:
    """One counter per account, whether it is named by username or e-mail address."""
    identifier = services.normalise_username(request.form.get("login", ""))[:254]
    user = services.find_login(identifier)
    return f"login:user:{user.id}" if user is not None else f"login:name:{identifier}"


def _failed(response) -> bool:
    """Only failed attempts count against the limits."""
    return response.status_code != 302


def _login_limit(kind: str):
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
            current_app.extensions["wilma_plugins"].hook.wilma_user_logged_in(user=user)
            target = request.args.get("next", "")
            return redirect(target if is_site_path(target) else url_for("web.index"))
        form.password.errors = [*form.password.errors, _("Unknown username or wrong password.")]
        from wilma.core.signals import send_login_failed  # the audit log listens (wilma.admin)

        send_login_failed(form.login.data)
    return render_template("accounts/login.html", form=form), 200


@bp.errorhandler(429)
def too_many_login_attempts(_err):
    """A locked login answers with the login form and a sentence, not an error page."""
    if request.endpoint != "accounts.login":
        return error_page(429)
    notice = _("Too many failed login attempts. Please wait a few minutes and try again.")
    form = LoginForm(formdata=None, login=request.form.get("login", "")[:254])
    return render_template("accounts/login.html", form=form, notice=notice), 429


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
    people = services.search_people(query, limit=DIRECTORY_PAGE + 1)
    return render_template("accounts/directory.html", people=people[:DIRECTORY_PAGE], query=query,
                           more=len(people) > DIRECTORY_PAGE)


@bp.get("/people/suggest")
@require_login
def suggest():
    """Search-as-you-type for the directory and @mentions (active people only)."""
    query = request.args.get("q", "")[:100]
    people = services.search_people(query, limit=10) if query.strip() else []
    return jsonify([{"id": p.id, "username": p.username, "name": p.display_name, "title": p.job_title,
                     "unit": p.org_unit.label if p.org_unit else None,
                     "url": url_for("accounts.profile", user_id=p.id)} for p in people])


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
    path = uploads.path_for("avatars", person.avatar_file) if person.avatar_file else None
    if path is None or not path.is_file():  # no picture, or its file was lost: the initials are shown
        abort(404)
    response = send_file(path, mimetype="image/png", max_age=300)
    response.cache_control.public = False
    response.cache_control.private = True  # only for logged-in staff: no shared proxy may keep it
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


def _profile_form(sent: bool = False) -> ProfileForm:
    """The profile form: with what was just sent (``sent``), else with the stored values."""
    form = ProfileForm(obj=current_user) if sent else ProfileForm(formdata=None, obj=current_user)
    form.org_unit_id.choices = _unit_choices()
    if not sent:
        form.org_unit_id.data = current_user.org_unit_id or 0
        form.locale.data = current_user.locale or str(get_locale())
    return form


def _profile_page(form=None, avatar_form=None, values=None, extra_errors=None):
    """The profile settings page; a form that was just sent comes back with its errors at the fields."""
    return render_template("accounts/settings_profile.html", form=form or _profile_form(),
                           avatar_form=avatar_form or AvatarForm(formdata=None),
                           fields=services.profile_field_definitions(),
                           values=values if values is not None else services.extra_fields(current_user),
                           extra_errors=extra_errors or {})


@bp.route("/settings/profile", methods=["GET", "POST"])
@require_login
def edit_profile():
    form = _profile_form(sent=request.method == "POST")
    fields = services.profile_field_definitions()
    values = services.extra_fields(current_user)
    extra_errors: dict[str, str] = {}
    if request.method == "POST":
        values.update({f["key"]: request.form.get(f["key"], "") for f in fields})  # keep what was typed
    if form.validate_on_submit():
        data = {k: getattr(form, k).data for k in
                ("display_name", "email", "job_title", "phone", "room", "about", "locale")}
        data["org_unit_id"] = form.org_unit_id.data or None
        extra = {f["key"]: values[f["key"]] for f in fields}
        try:
            services.update_profile(current_user, data, extra)
        except ServiceError as err:
            db.session.rollback()
            if err.field in extra:
                extra_errors[err.field] = err.message
            elif err.field and err.field in form:
                form[err.field].errors = [*form[err.field].errors, err.message]
            else:
                flash(err.message, "error")
        else:
            flash(_("Your profile has been saved."), "success")
            return redirect(url_for("accounts.edit_profile"))
    return _profile_page(form, values=values, extra_errors=extra_errors)


@bp.post("/settings/avatar")
@require_login
def upload_avatar():
    """Upload or remove the picture; a refused file is explained at the picture field."""
    form = AvatarForm()
    if form.validate_on_submit():
        if request.form.get("remove") == "1":
            services.remove_avatar(current_user)
            flash(_("Your picture has been removed."), "success")
            return redirect(url_for("accounts.edit_profile"))
        if not form.avatar.data:
            form.avatar.errors = [_("Please choose a picture.")]
        else:
            try:
                services.set_avatar(current_user, uploads.read_limited(form.avatar.data.stream, AVATAR_MAX_BYTES))
            except ServiceError as err:
                db.session.rollback()
                form.avatar.errors = [err.message]
            else:
                flash(_("Your picture has been saved."), "success")
                return redirect(url_for("accounts.edit_profile"))
    return _profile_page(avatar_form=form)


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
