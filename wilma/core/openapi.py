"""The OpenAPI 3.1 document of ``/api/v1``, served at ``/api/v1/openapi.json``.

Each feature describes its own routes in ``wilma/<feature>/openapi_spec.py``::

    from wilma.core.openapi import error_responses, json_response, paginated, ref

    OPENAPI_SCHEMAS = {"Group": {"type": "object", "properties": {...}}}
    OPENAPI_PATHS = {
        "/groups": {
            "get": {"summary": "Groups I may see", "tags": ["groups"],
                    "responses": {"200": json_response(paginated(ref("Group"))), **error_responses(400, 401)}},
        },
    }

Paths are relative to ``/api/v1`` and use ``{id}`` for URL variables, as OpenAPI does. The core merges
every installed feature's paths and schemas with the shared parts below (the error shape, the two ways
to authenticate, the cursor parameters). A test compares the document with ``app.url_map``, so a route
without a description fails the suite.
"""

import copy

from flask import current_app

from wilma import __version__, import_feature_module, installed_features

API_PREFIX = "/api/v1"

ERROR_SCHEMA = {
    "type": "object",
    "required": ["error"],
    "properties": {
        "error": {
            "type": "object",
            "required": ["code", "message"],
            "properties": {
                "code": {"type": "string", "description": "Stable machine-readable reason, e.g. `not_found`."},
                "message": {"type": "string", "description": "A sentence for people, in their language."},
                "field": {"type": "string", "description": "The input field the error is about, if any."},
            },
        }
    },
}

ERROR_DESCRIPTIONS = {
    400: "Bad input (the message says what), or a session-cookie write without a CSRF token.",
    401: "Not logged in: no valid session cookie and no valid Bearer token.",
    403: "Not allowed.",
    404: "Missing, or not visible to you.",
    409: "Conflict: someone else changed it in the meantime.",
    413: "Too large.",
    429: "Too many requests; wait and try again.",
}

CORE_PATHS = {
    "/openapi.json": {
        "get": {
            "summary": "This document",
            "tags": ["meta"],
            "security": [],
            "responses": {"200": {"description": "The OpenAPI 3.1 document of the API.",
                                  "content": {"application/json": {"schema": {"type": "object"}}}}},
        }
    }
}


def ref(name: str) -> dict:
    """A reference to ``components/schemas/<name>``."""
    return {"$ref": f"#/components/schemas/{name}"}


def nullable(schema: dict) -> dict:
    """``schema`` or ``null``."""
    return {"oneOf": [schema, {"type": "null"}]}


def paginated(item_schema: dict) -> dict:
    """The shape of every list: ``{"items": [...], "next_cursor": "..." | null}``."""
    return {
        "type": "object",
        "required": ["items", "next_cursor"],
        "properties": {
            "items": {"type": "array", "items": item_schema},
            "next_cursor": {"type": ["string", "null"],
                            "description": "Pass as `cursor` to get the next page; null on the last page."},
        },
    }


def json_response(schema: dict, description: str = "OK") -> dict:
    return {"description": description, "content": {"application/json": {"schema": schema}}}


def error_responses(*statuses: int) -> dict:
    """The JSON error responses ``statuses`` (references to the shared responses)."""
    return {str(s): {"$ref": f"#/components/responses/Error{s}"} for s in statuses}


def path_id(name: str = "id", description: str = "The object's id.") -> dict:
    return {"name": name, "in": "path", "required": True, "description": description,
            "schema": {"type": "integer"}}


PAGE_PARAMETERS = [
    {"$ref": "#/components/parameters/cursor"},
    {"$ref": "#/components/parameters/limit"},
]


def _components() -> dict:
    return {
        "securitySchemes": {
            "bearerAuth": {"type": "http", "scheme": "bearer",
                           "description": "A personal access token (profile settings, or "
                                          "`flask wilma users token USERNAME`). No CSRF token needed."},
            "cookieAuth": {"type": "apiKey", "in": "cookie", "name": "wilma_session",
                           "description": "The browser session. Writes must send the page's CSRF token "
                                          "in the `X-CSRFToken` header."},
        },
        "schemas": {"Error": copy.deepcopy(ERROR_SCHEMA)},
        "responses": {
            f"Error{status}": {"description": text,
                               "content": {"application/json": {"schema": ref("Error")}}}
            for status, text in ERROR_DESCRIPTIONS.items()
        },
        "parameters": {
            "cursor": {"name": "cursor", "in": "query", "required": False, "schema": {"type": "string"},
                       "description": "The `next_cursor` of the previous page (opaque)."},
            "limit": {"name": "limit", "in": "query", "required": False,
                      "schema": {"type": "integer", "minimum": 1, "maximum": 100, "default": 20},
                      "description": "Items per page."},
        },
    }


def _merge(target: dict, extra: dict, what: str, source: str) -> None:
    for key, value in extra.items():
        if key in target:
            raise ValueError(f"OpenAPI {what} {key!r} of {source} is already defined by another feature")
        target[key] = copy.deepcopy(value)


WRITE_METHODS = ("post", "put", "patch", "delete")


def _add_core_refusals(paths: dict) -> None:
    """Answers the core gives on every route, whatever the feature does: a write sent with the session
    cookie but without its CSRF token is a 400, and a body above ``MAX_CONTENT_LENGTH`` is a 413."""
    for operations in paths.values():
        for method, operation in operations.items():
            if method not in WRITE_METHODS:
                continue
            responses = operation.setdefault("responses", {})
            responses.setdefault("400", error_responses(400)["400"])
            if "requestBody" in operation:
                responses.setdefault("413", error_responses(413)["413"])


def build_document() -> dict:
    """The whole document: core parts plus every installed feature's ``openapi_spec``."""
    components = _components()
    paths: dict[str, dict] = copy.deepcopy(CORE_PATHS)
    for feature in installed_features():
        spec = import_feature_module(feature, "openapi_spec")
        if spec is None:
            continue
        _merge(components["schemas"], getattr(spec, "OPENAPI_SCHEMAS", {}), "schema", feature)
        for path, operations in getattr(spec, "OPENAPI_PATHS", {}).items():
            _merge(paths.setdefault(path, {}), operations, f"operation on {path}:", feature)
    _add_core_refusals(paths)
    return {
        "openapi": "3.1.0",
        "info": {
            "title": "WILMA API",
            "version": __version__,
            "description": "The JSON API of WILMA. Errors are `{\"error\": {\"code\", \"message\"}}`; "
                           "lists are `{\"items\", \"next_cursor\"}` and take `cursor` and `limit`.",
        },
        "servers": [{"url": API_PREFIX}],
        "security": [{"bearerAuth": []}, {"cookieAuth": []}],
        "paths": dict(sorted(paths.items())),
        "components": components,
    }


def cached_document() -> dict:
    """The document, built once per app (features do not change while it runs)."""
    cache = current_app.extensions.setdefault("wilma_openapi", {})
    if "document" not in cache:
        cache["document"] = build_document()
    return cache["document"]
