"""OpenAPI description of the wiki routes (``/wiki/pages...``, ``/groups/{id}/wiki/pages``); see
``wilma.core.openapi``. Imported only by the OpenAPI builder."""

from wilma.core.openapi import PAGE_PARAMETERS, error_responses, json_response, paginated, path_id, ref

_TEXT = {"type": "string"}
_INT = {"type": "integer"}
_TIME = {"type": "string", "format": "date-time"}
_INT_OR_NULL = {"type": ["integer", "null"]}

OPENAPI_SCHEMAS = {
    "WikiRevision": {
        "type": "object",
        "description": "One saved state of a page.",
        "required": ["id", "number", "title", "summary", "author_id", "author", "parent_revision_id",
                     "created_at"],
        "properties": {
            "id": _INT, "number": {"type": "integer", "description": "1 for the first revision of the page."},
            "title": _TEXT, "summary": _TEXT, "author_id": _INT_OR_NULL,
            "author": {"type": ["string", "null"], "description": "The author's display name."},
            "parent_revision_id": _INT_OR_NULL, "created_at": _TIME,
        },
    },
    "WikiRevisionFull": {
        "type": "object",
        "allOf": [ref("WikiRevision")],
        "required": ["body", "html"],
        "properties": {"body": {"type": "string", "description": "Markdown as written."},
                       "html": {"type": "string", "description": "Rendered and sanitized when it was saved."}},
    },
    "WikiPage": {
        "type": "object",
        "description": "A page of a group's wiki (`group_id`) or of the city-wide wiki (`group_id` null).",
        "required": ["id", "group_id", "parent_id", "title", "path", "url", "current_revision_id",
                     "created_at", "updated_at"],
        "properties": {
            "id": _INT, "group_id": _INT_OR_NULL, "parent_id": _INT_OR_NULL, "title": _TEXT,
            "path": {"type": "string", "description": "Slugs from the top page down, e.g. `faq/urlaub`."},
            "url": {"type": "string", "description": "The page in the browser; old paths redirect here."},
            "current_revision_id": _INT_OR_NULL, "created_at": _TIME, "updated_at": _TIME,
        },
    },
    "WikiPageFull": {
        "type": "object",
        "allOf": [ref("WikiPage")],
        "required": ["body", "html", "revision"],
        "properties": {
            "body": {"type": "string", "description": "Markdown of the current revision."},
            "html": {"type": "string", "description": "Rendered and sanitized, with `[[links]]` as they are now."},
            "revision": {"oneOf": [ref("WikiRevision"), {"type": "null"}]},
        },
    },
    "WikiSaved": {
        "type": "object",
        "allOf": [ref("WikiPageFull")],
        "required": ["merged", "changed"],
        "properties": {
            "merged": {"type": "boolean", "description": "The page had changed since `base_revision_id`; "
                                                         "the two edits did not overlap and were merged."},
            "changed": {"type": "boolean", "description": "false when the text was the same (no new revision)."},
        },
    },
    "WikiDiff": {
        "type": "object",
        "required": ["from", "to", "html", "lines"],
        "properties": {
            "from": _INT_OR_NULL, "to": _INT,
            "html": {"type": "string", "description": "Escaped text with `<del>`/`<ins>` marks only."},
            "lines": {"type": "array", "items": {
                "type": "object", "required": ["kind", "old_no", "new_no", "html"],
                "properties": {"kind": {"enum": ["equal", "delete", "insert", "skip"]},
                               "old_no": _INT_OR_NULL, "new_no": _INT_OR_NULL, "html": _TEXT}}},
        },
    },
    "WikiNewPage": {
        "type": "object",
        "required": ["title"],
        "properties": {"title": _TEXT, "body": {"type": "string", "description": "Markdown; `[[Page title]]` links."},
                       "parent_id": _INT_OR_NULL, "summary": _TEXT},
    },
    "WikiPageUpdate": {
        "type": "object",
        "required": ["body", "base_revision_id"],
        "properties": {
            "body": _TEXT,
            "base_revision_id": {"type": "integer", "description": "The revision the edit started from."},
            "summary": _TEXT,
            "title": {"type": "string", "description": "A new title (renames; old links keep working)."},
            "parent_id": {"type": ["integer", "null"], "description": "A new parent page (moves)."},
        },
    },
}

_CONFLICT = {
    "description": "The page changed since `base_revision_id` and the edits overlap. Nothing was saved; "
                   "`error.current_revision` is the newer revision (with `body`), `error.diff` its "
                   "difference to the text sent.",
    "content": {"application/json": {"schema": {
        "type": "object", "required": ["error"],
        "properties": {"error": {"type": "object", "required": ["code", "message", "current_revision"],
                                 "properties": {"code": _TEXT, "message": _TEXT,
                                                "current_revision": ref("WikiRevisionFull"),
                                                "base_revision_id": _INT, "diff": _TEXT}}}}}},
}


def _pages(scope: str, parameters: list) -> dict:
    return {
        "get": {"summary": f"Pages of {scope}", "tags": ["wiki"], "parameters": parameters + PAGE_PARAMETERS,
                "responses": {"200": json_response(paginated(ref("WikiPage"))), **error_responses(400, 401, 403, 404)}},
        "post": {"summary": f"Create a page in {scope}", "tags": ["wiki"], "parameters": parameters,
                 "requestBody": {"required": True, "content": {"application/json": {"schema": ref("WikiNewPage")}}},
                 "responses": {"201": json_response(ref("WikiPageFull"), "Created"),
                               **error_responses(400, 401, 403, 404)}},
    }


OPENAPI_PATHS = {
    "/wiki/pages": _pages("the city-wide wiki", []),
    "/groups/{id}/wiki/pages": _pages("a group's wiki", [path_id("id", "The group's id.")]),
    "/wiki/pages/{id}": {
        "get": {"summary": "A page with its current text", "tags": ["wiki"], "parameters": [path_id()],
                "responses": {"200": json_response(ref("WikiPageFull")), **error_responses(401, 404)}},
        "put": {"summary": "Save a new text (merged with newer changes when they do not overlap)",
                "tags": ["wiki"], "parameters": [path_id()],
                "requestBody": {"required": True, "content": {"application/json": {"schema": ref("WikiPageUpdate")}}},
                "responses": {"200": json_response(ref("WikiSaved")), "409": _CONFLICT,
                              **error_responses(400, 401, 403, 404)}},
    },
    "/wiki/pages/{id}/revisions": {
        "get": {"summary": "The page's revisions, newest first", "tags": ["wiki"], "parameters": [path_id()],
                "responses": {"200": json_response(paginated(ref("WikiRevision"))), **error_responses(401, 404)}},
    },
    "/wiki/pages/{id}/revisions/{revision_id}": {
        "get": {"summary": "One revision with its text", "tags": ["wiki"],
                "parameters": [path_id(), path_id("revision_id", "The revision's id.")],
                "responses": {"200": json_response(ref("WikiRevisionFull")), **error_responses(401, 404)}},
    },
    "/wiki/pages/{id}/diff": {
        "get": {"summary": "Difference between two revisions (line and word level)", "tags": ["wiki"],
                "parameters": [path_id(),
                               {"name": "from", "in": "query", "required": False, "schema": _INT,
                                "description": "Revision id; default: the predecessor of `to`."},
                               {"name": "to", "in": "query", "required": False, "schema": _INT,
                                "description": "Revision id; default: the current revision."}],
                "responses": {"200": json_response(ref("WikiDiff")), **error_responses(400, 401, 404)}},
    },
}
