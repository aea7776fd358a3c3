"""``GET /api/v1/search?q=&type=&group_id=`` (also ``from``, ``to`` and ``cursor``).

Answer: ``{"items": [...], "next_cursor": ..., "counts": {type: n}, "total": n}``; each item has
``id`` (the document key, e.g. ``"posts:12"``), ``type``, ``object_id``, ``title``, ``title_html``,
``snippet_html`` (sanitized, matches in ``<mark>``), ``url``, ``group_id`` and ``created_at``.
A malformed query answers 400 with a message that says what to fix.
"""

from flask import request
from flask_babel import gettext as _
from flask_login import current_user

from wilma.core.api import api_bp, decode_cursor, encode_cursor, page_limit
from wilma.core.errors import ValidationError
from wilma.core.models import as_utc
from wilma.core.security import require_login
from wilma.search import services
from wilma.search.backend import QuerySyntaxError
from wilma.search.params import read_params


def item_json(item: services.ResultItem) -> dict:
    created = as_utc(item.created_at)
    return {"id": item.key, "type": item.type, "object_id": item.object_id, "title": item.document.title,
            "title_html": item.title_html, "snippet_html": item.snippet_html, "url": item.url,
            "group_id": item.group_id, "created_at": created.isoformat() if created else None}


@api_bp.get("/search")
@require_login
def search():
    params = read_params()
    cursor = decode_cursor(request.args.get("cursor"))
    page = cursor.get("page", 1) if cursor else 1
    if not isinstance(page, int) or not 1 <= page <= 500:
        raise ValidationError(_("The cursor is not valid."), field="cursor")
    try:
        results = services.search(current_user, params.query, type_name=params.type_name,
                                  group_id=params.group_id, date_from=params.date_from,
                                  date_to=params.date_to, page=page, per_page=page_limit())
    except QuerySyntaxError as err:
        raise ValidationError(err.message, field="q") from None
    more = results.page < results.pages
    return {"items": [item_json(item) for item in results.items],
            "next_cursor": encode_cursor({"page": results.page + 1}) if more else None,
            "counts": results.counts, "total": results.total}

