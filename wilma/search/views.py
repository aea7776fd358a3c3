"""The results page at ``/search`` (tabs by type, group and date filters, pagination)."""

from flask import current_app, render_template, request
from flask_babel import lazy_gettext as _l
from flask_login import current_user

from wilma.core.errors import ValidationError
from wilma.core.security import require_login
from wilma.search import admin, bp, services
from wilma.search.backend import QuerySyntaxError
from wilma.search.outbox import catch_up
from wilma.search.params import page_number, read_params

assert admin  # imported for its routes under /admin/search

TABS = [
    (None, _l("All")),
    ("posts", _l("Posts")),
    ("comments", _l("Comments")),
    ("wiki", _l("Wiki")),
    ("people", _l("People")),
    ("groups", _l("Groups")),
    ("chat", _l("Chat")),
]


def group_choices(user) -> list[tuple[int, str]]:
    """The groups the user may read, for the group filter (empty until the groups feature exists)."""
    ids = services.readable_group_ids(user)
    if not ids:
        return []
    try:
        from wilma.extensions import db
        from wilma.groups.models import Group
    except ImportError:
        return [(gid, str(gid)) for gid in sorted(ids)]
    from sqlalchemy import select

    rows = db.session.execute(select(Group.id, Group.name).where(Group.id.in_(ids)).order_by(Group.name))
    return [(row.id, row.name) for row in rows]


@bp.before_app_request
def catch_up_once():
    """The first request of a process starts the outbox worker (``outbox.catch_up``)."""
    catch_up(current_app._get_current_object())


@bp.get("/search")
@require_login
def results():
    error, found = None, None
    try:
        params = read_params()
    except ValidationError as err:
        params, error = None, err.message
    if params is not None and params.query.strip():
        try:
            found = services.search(current_user, params.query, type_name=params.type_name,
                                    group_id=params.group_id, date_from=params.date_from,
                                    date_to=params.date_to, page=page_number())
        except (QuerySyntaxError, ValidationError) as err:
            error = err.message
    args = {k: v for k, v in request.args.items() if k not in ("type", "page") and v}
    status = 400 if error else 200
    return render_template("search/results.html", params=params, found=found, error=error, tabs=TABS,
                           groups=group_choices(current_user), base_args=args), status
