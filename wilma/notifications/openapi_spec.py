"""OpenAPI description of the notifications routes; see core.openapi."""

from wilma.core.openapi import PAGE_PARAMETERS, error_responses, json_response, paginated

_TEXT = {"type": "string"}

OPENAPI_SCHEMAS = {
    "Notification": {
        "type": "object",
        "required": ["id", "kind", "text", "subject", "subject_type", "subject_id", "group_id", "actor",
                     "actor_count", "url", "read", "created_at"],
        "properties": {
            "id": {"type": "integer"},
            "kind": _TEXT,
            "text": {"type": "string", "description": "What happened, as a sentence in your language."},
            "subject": {"type": ["string", "null"]},
            "subject_type": {"type": ["string", "null"]},
            "subject_id": {"type": ["integer", "null"]},
            "group_id": {"type": ["integer", "null"]},
            "actor": {"oneOf": [{"type": "object", "required": ["id", "display_name"],
                                 "properties": {"id": {"type": "integer"}, "display_name": _TEXT}},
                                {"type": "null"}]},
            "actor_count": {"type": "integer"},
            "url": {"type": ["string", "null"], "description": "Where the notification leads (a site path)."},
            "read": {"type": "boolean"},
            "created_at": {"type": "string", "format": "date-time"},
        },
    },
}

_PAGE = paginated({"$ref": "#/components/schemas/Notification"})
_PAGE["required"] = [*_PAGE["required"], "unread_count"]
_PAGE["properties"]["unread_count"] = {"type": "integer", "description": "The number on the bell."}

OPENAPI_PATHS = {
    "/notifications": {
        "get": {
            "summary": "My notifications, newest first",
            "tags": ["notifications"],
            "parameters": [{"name": "unread", "in": "query", "required": False,
                            "schema": {"type": "string", "enum": ["1"]}, "description": "Unread ones only."},
                           *PAGE_PARAMETERS],
            "responses": {"200": json_response(_PAGE), **error_responses(400, 401)},
        },
    },
    "/notifications/read": {
        "post": {
            "summary": "Mark notifications read",
            "tags": ["notifications"],
            "requestBody": {"required": True, "content": {"application/json": {"schema": {
                "oneOf": [{"type": "object", "required": ["ids"],
                           "properties": {"ids": {"type": "array", "items": {"type": "integer"}}}},
                          {"type": "object", "required": ["all"], "properties": {"all": {"const": True}}}]}}}},
            "responses": {"200": json_response({"type": "object", "required": ["marked", "unread_count"],
                                                "properties": {"marked": {"type": "integer"},
                                                               "unread_count": {"type": "integer"}}}),
                          **error_responses(400, 401)},
        },
    },
}
