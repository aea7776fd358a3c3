"""Notification pages: the list (mark read, mark all read), the click-through link, the settings."""

from flask import abort, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user

from wilma.accounts.forms import EmptyForm
from wilma.core.errors import ServiceError
from wilma.core.sanitize import is_site_path
from wilma.core.security import require_login
from wilma.notifications import bp, services
from wilma.notifications.models import KINDS
from wilma.notifications.texts import KIND_LABELS, describe

PAGE_SIZE = 30


@bp.app_context_processor
def bell():
    """``notification_unread()`` for the bell in the layout (queried only where the layout asks)."""

    def notification_unread() -> int:
        return services.unread_count(current_user) if current_user.is_authenticated else 0

    return {"notification_unread": notification_unread}


@bp.get("/notifications")
@require_login
def index():
    try:
        before = int(request.args.get("before", 0)) or None
    except ValueError:
        before = None
    items = services.list_notifications(current_user, before_id=before, limit=PAGE_SIZE + 1)
    more = len(items) > PAGE_SIZE
    items = items[:PAGE_SIZE]
    return render_template("notifications/index.html", items=[(n, describe(n)) for n in items],
                           next_before=items[-1].id if more and items else None, form=EmptyForm())


@bp.post("/notifications/read")
@require_login
def read():
    """Mark one notification (``id``) or all (``all=1``) as read."""
    if not EmptyForm().validate_on_submit():
        abort(400)
    if request.form.get("all") == "1":
        services.mark_read(current_user)
        flash(_("All notifications are marked as read."), "success")
    else:
        try:
            services.mark_read(current_user, [request.form.get("id", "")])
        except ServiceError:
            abort(400)
    return redirect(url_for("notifications.index"))


@bp.get("/notifications/<int:notification_id>")
@require_login
def open_notification(notification_id: int):
    """Follow a notification: it is marked read and leads to its subject."""
    notification = services.open_notification(current_user, notification_id)
    if notification is None:
        abort(404)
    target = notification.url if is_site_path(notification.url) else url_for("notifications.index")
    return redirect(target)


@bp.route("/settings/notifications", methods=["GET", "POST"])
@require_login
def settings():
    form = EmptyForm()
    if form.validate_on_submit():
        enabled = {kind: request.form.get(f"kind_{kind}") == "1" for kind in KINDS}
        try:
            services.save_settings(current_user, enabled=enabled, frequency=request.form.get("frequency", ""))
        except ServiceError as err:
            flash(err.message, "error")
        else:
            flash(_("Your notification settings have been saved."), "success")
            return redirect(url_for("notifications.settings"))
    return render_template("notifications/settings.html", form=form, labels=KIND_LABELS,
                           enabled=services.enabled_kinds(current_user),
                           frequency=services.digest_frequency(current_user))
