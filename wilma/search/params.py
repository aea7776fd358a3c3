"""Reading the search parameters of a request (page and API share them)."""

from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta

from flask import request
from flask_babel import gettext as _

from wilma.core.errors import ValidationError
from wilma.search.registry import normalise_type


@dataclass
class SearchParams:
    query: str
    type_name: str | None
    group_id: int | None
    date_from: datetime | None
    date_to: datetime | None
    raw_from: str
    raw_to: str


def _int_arg(name: str) -> int | None:
    raw = (request.args.get(name) or "").strip()
    if not raw:
        return None
    try:
        return int(raw)
    except ValueError:
        raise ValidationError(_("'%(key)s' must be a number.", key=name), field=name) from None


def _date_arg(name: str, *, end: bool) -> tuple[datetime | None, str]:
    raw = (request.args.get(name) or "").strip()[:10]
    if not raw:
        return None, ""
    try:
        day = date.fromisoformat(raw)
    except ValueError:
        raise ValidationError(_("Enter dates as YYYY-MM-DD."), field=name) from None
    moment = datetime.combine(day + timedelta(days=1) if end else day, time.min, tzinfo=UTC)
    return moment, raw


def read_params() -> SearchParams:
    """``q``, ``type``, ``group_id`` (or ``group``), ``from`` and ``to`` (YYYY-MM-DD, inclusive)."""
    date_from, raw_from = _date_arg("from", end=False)
    date_to, raw_to = _date_arg("to", end=True)
    group_id = _int_arg("group_id")
    if group_id is None:
        group_id = _int_arg("group")
    return SearchParams(query=request.args.get("q", ""), type_name=normalise_type(request.args.get("type")),
                        group_id=group_id, date_from=date_from, date_to=date_to, raw_from=raw_from,
                        raw_to=raw_to)


def page_number() -> int:
    """The results page asked for (1 to 500); anything else means the first page."""
    try:
        value = int(request.args.get("page", 1))
    except ValueError:
        value = 1
    return max(1, min(value, 500))
