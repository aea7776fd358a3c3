"""The JSON API blueprint under ``/api/v1``; each feature's ``api.py`` adds its routes to ``api_bp``.

Helpers here keep every endpoint's shape the same: JSON bodies, opaque cursors, the error format.
"""

import base64
import binascii
import json

from flask import Blueprint, request
from flask_babel import gettext as _

from wilma.core.errors import ValidationError

api_bp = Blueprint("api", __name__, url_prefix="/api/v1")
DEFAULT_LIMIT = 20
MAX_LIMIT = 100


def json_body() -> dict:
    """The request's JSON object, or a 400 that says what is wrong."""
    data = request.get_json(silent=True)
    if not isinstance(data, dict):
        raise ValidationError(_("Send a JSON object with Content-Type: application/json."))
    return data


def require_str(data: dict, key: str, *, max_length: int, required: bool = True) -> str:
    value = data.get(key)
    if value is None and not required:
        return ""
    if not isinstance(value, str) or (required and not value.strip()):
        raise ValidationError(_("'%(key)s' must be a non-empty text.", key=key), field=key)
    if len(value) > max_length:
        raise ValidationError(_("'%(key)s' is longer than %(n)d characters.", key=key, n=max_length), field=key)
    return value


def encode_cursor(values: dict) -> str:
    return base64.urlsafe_b64encode(json.dumps(values, separators=(",", ":")).encode()).decode().rstrip("=")


def decode_cursor(raw: str | None) -> dict | None:
    if not raw:
        return None
    try:
        padded = raw + "=" * (-len(raw) % 4)
        value = json.loads(base64.urlsafe_b64decode(padded.encode()).decode())
    except (binascii.Error, ValueError, UnicodeDecodeError):
        raise ValidationError(_("The cursor is not valid."), field="cursor") from None
    if not isinstance(value, dict):
        raise ValidationError(_("The cursor is not valid."), field="cursor")
    return value


def cursor_int(cursor: dict | None, key: str) -> int | None:
    """The whole number ``key`` of a decoded cursor, or ``None`` without a cursor; 400 when it is not one."""
    if cursor is None:
        return None
    value = cursor.get(key)
    if not isinstance(value, int) or isinstance(value, bool):
        raise ValidationError(_("The cursor is not valid."), field="cursor")
    return value


def page_limit() -> int:
    try:
        limit = int(request.args.get("limit", DEFAULT_LIMIT))
    except ValueError:
        raise ValidationError(_("'limit' must be a number."), field="limit") from None
    return max(1, min(limit, MAX_LIMIT))


def page(items: list, next_cursor: str | None) -> dict:
    return {"items": items, "next_cursor": next_cursor}


@api_bp.get("/openapi.json")
def openapi_document():
    """The OpenAPI 3.1 document of this API (public: integrators read it before they have a token)."""
    from wilma.core.openapi import cached_document

    return cached_document()
