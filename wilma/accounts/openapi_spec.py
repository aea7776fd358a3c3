"""OpenAPI description of the accounts routes (``/me``, ``/users``, ``/users/{id}``); see core.openapi."""

from wilma.core.openapi import PAGE_PARAMETERS, error_responses, json_response, nullable, paginated, path_id, ref

_TEXT = {"type": "string"}

OPENAPI_SCHEMAS = {
    "OrgUnitRef": {
        "type": "object",
        "required": ["id", "name"],
        "properties": {"id": {"type": "integer"}, "name": _TEXT},
    },
    "User": {
        "type": "object",
        "description": "A person as the people directory lists them.",
        "required": ["id", "username", "display_name", "job_title", "org_unit", "avatar_url", "active"],
        "properties": {
            "id": {"type": "integer"},
            "username": _TEXT,
            "display_name": _TEXT,
            "job_title": _TEXT,
            "org_unit": nullable(ref("OrgUnitRef")),
            "avatar_url": {"type": ["string", "null"], "description": "null: show the initials instead."},
            "active": {"type": "boolean", "description": "false for deactivated accounts."},
        },
    },
    "UserProfile": {
        "type": "object",
        "description": "A person's whole profile.",
        "allOf": [ref("User")],
        "required": ["email", "phone", "room", "about", "about_html", "extra"],
        "properties": {
            "email": {"type": ["string", "null"]},
            "phone": _TEXT,
            "room": _TEXT,
            "about": {"type": "string", "description": "The 'about me' text as written (Markdown)."},
            "about_html": {"type": "string", "description": "The same, rendered and sanitized."},
            "extra": {"type": "object", "additionalProperties": _TEXT,
                      "description": "Extra profile fields of the city's plugin, by key."},
        },
    },
    "Me": {
        "type": "object",
        "description": "The logged-in person: the whole profile plus role and language.",
        "allOf": [ref("UserProfile")],
        "required": ["is_admin", "locale"],
        "properties": {
            "is_admin": {"type": "boolean"},
            "locale": {"type": ["string", "null"], "enum": ["de", "en", None],
                       "description": "The chosen interface language; null means the site default."},
        },
    },
}

OPENAPI_PATHS = {
    "/me": {
        "get": {
            "summary": "The current user",
            "tags": ["people"],
            "responses": {"200": json_response(ref("Me")), **error_responses(401)},
        }
    },
    "/users": {
        "get": {
            "summary": "The people directory",
            "description": "Active people, sorted by name. `q` matches every word against the name, "
                           "username, job title and organisation unit.",
            "tags": ["people"],
            "parameters": [{"name": "q", "in": "query", "required": False, "schema": {"type": "string"},
                            "description": "Search words (search-as-you-type)."}, *PAGE_PARAMETERS],
            "responses": {"200": json_response(paginated(ref("User"))), **error_responses(400, 401)},
        }
    },
    "/users/{id}": {
        "get": {
            "summary": "A person's profile",
            "tags": ["people"],
            "parameters": [path_id(description="The user's id.")],
            "responses": {"200": json_response(ref("UserProfile")), **error_responses(401, 404)},
        }
    },
}
