"""Admin pages: the dashboard and the audit log; the personal data download in the settings.

The pages of people, groups and the organisation tree are in ``views_users``, ``views_groups`` and
``views_org`` (imported at the end, so that importing this module registers all of them).
"""

from flask import Response, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user

from wilma.accounts.forms import EmptyForm
from wilma.admin import bp, privacy, services
from wilma.admin.audit import ACTIONS, audit_page, parse_day
from wilma.core.api import decode_cursor, encode_cursor
from wilma.core.errors import ValidationError
from wilma.core.security import require_admin, require_login
from wilma.extensions import limiter


@bp.get("/")
@require_admin
def index():
    entries, _more = audit_page(limit=8)
    return render_template("admin/index.html", counts=services.dashboard_counts(), entries=entries)


@bp.get("/audit")
@require_admin
def audit():
    """The audit log, newest first; filters by action, user and UTC days; an opaque cursor for older pages."""
    args = request.args
    try:
        cursor = decode_cursor(args.get("cursor"))
    except ValidationError:
        cursor = None
    before = cursor.get("before") if cursor else None
    filters = {"action": args.get("action", "")[:60], "user": args.get("user", "")[:80],
               "from": args.get("from", "")[:10], "to": args.get("to", "")[:10]}
    entries, next_before = audit_page(
        action=filters["action"], user=filters["user"], day_from=parse_day(filters["from"]),
        day_to=parse_day(filters["to"]), before_id=before if isinstance(before, int) else None)
    next_url = None
    if next_before:
        next_url = url_for("admin.audit", **{k: v for k, v in filters.items() if v},
                           cursor=encode_cursor({"before": next_before}))
    return render_template("admin/audit.html", entries=entries, filters=filters, actions=ACTIONS,
                           next_url=next_url, first_page=before is None)


def _export_key() -> str:
    return f"export:{current_user.get_id()}"


@limiter.limit("20 per hour", methods=["POST"], key_func=_export_key, scope="data-export")
@require_login
def export_data():
    """A person's own data (DSGVO): the page explains, the button downloads the ZIP."""
    form = EmptyForm()
    if request.method == "POST":
        if not form.validate_on_submit():
            flash(_("The form has expired. Please try again."), "error")
            return redirect(url_for("admin.export_data"))
        user = current_user._get_current_object()
        archive = privacy.export_archive(user)
        return Response(archive, mimetype="application/zip", headers={
            "Content-Disposition": f'attachment; filename="wilma-data-{user.id}.zip"',
            "Cache-Control": "no-store"})
    return render_template("admin/export.html", form=form)


@bp.record_once
def _register_settings_routes(state) -> None:
    """The download lives in the settings (/settings/export), outside the blueprint's /admin prefix."""
    state.app.add_url_rule("/settings/export", endpoint="admin.export_data", view_func=export_data,
                           methods=["GET", "POST"])


from wilma.admin import receivers, views_groups, views_org, views_users  # noqa: E402, F401
