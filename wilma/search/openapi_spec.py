"""OpenAPI description of ``GET /api/v1/search``; see core.openapi."""

from wilma.core.openapi import PAGE_PARAMETERS, error_responses, json_response, paginated, ref

_TEXT = {"type": "string"}
_TYPES = ["posts", "comments", "wiki", "people", "groups", "chat"]


def _query(name: str, description: str, schema: dict | None = None) -> dict:
    return {"name": name, "in": "query", "required": False, "schema": schema or _TEXT, "description": description}


OPENAPI_SCHEMAS = {
    "SearchHit": {
        "type": "object",
        "description": "One result. Title and snippet are made from the current text, with the matched "
                       "words in `<mark>`, and passed through the sanitizer.",
        "required": ["id", "type", "object_id", "title", "title_html", "snippet_html", "url", "group_id",
                     "created_at"],
        "properties": {
            "id": {"type": "string", "description": "The document key, `<type>:<object_id>` (e.g. `posts:12`)."},
            "type": {"type": "string", "enum": _TYPES},
            "object_id": {"type": "integer"},
            "title": _TEXT,
            "title_html": _TEXT,
            "snippet_html": _TEXT,
            "url": {"type": ["string", "null"]},
            "group_id": {"type": ["integer", "null"]},
            "created_at": {"type": ["string", "null"], "format": "date-time"},
        },
    },
    "SearchResults": {
        "type": "object",
        "allOf": [paginated(ref("SearchHit"))],
        "required": ["counts", "total"],
        "properties": {
            "counts": {"type": "object", "additionalProperties": {"type": "integer"},
                       "description": "Matches by type (whatever `type` is), only of what you may see."},
            "total": {"type": "integer", "description": "Matches of the requested type(s)."},
        },
    },
}

OPENAPI_PATHS = {
    "/search": {
        "get": {
            "summary": "Search posts, comments, wiki pages, people, groups and chats",
            "description": "German words are found in their other forms (Straße = Strasse, Häuser = Haus, "
                           "Müller = Mueller); names match by their beginning. Syntax: words (all must "
                           "match), \"a phrase\", OR, NOT, ( ), and `word*`. Only what the caller may see "
                           "is returned or counted. A malformed query is a 400 whose message says what to fix.",
            "tags": ["search"],
            "parameters": [
                {**_query("q", "The search."), "required": True},
                _query("type", "Only this type.", {"type": "string", "enum": _TYPES}),
                _query("group_id", "Only content of this group.", {"type": "integer"}),
                _query("from", "Created on or after this day (YYYY-MM-DD).", {"type": "string", "format": "date"}),
                _query("to", "Created on or before this day (YYYY-MM-DD).", {"type": "string", "format": "date"}),
                *PAGE_PARAMETERS,
            ],
            "responses": {"200": json_response(ref("SearchResults")), **error_responses(400, 401)},
        }
    },
}
