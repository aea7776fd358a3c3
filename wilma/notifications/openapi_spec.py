"""OpenAPI description of the notification routes (``/notifications``, ``/notifications/read``)."""

from wilma.core.openapi import PAGE_PARAMETERS, error_responses, json_response, nullable, paginated, ref

_UNREAD_COUNT = {"type": "integer", "minimum": 0, "description": "Unread notifications: the bell's number."}

OPENAPI_SCHEMAS = {
    "NotificationActor": {
        "type": "object",
        "required": ["id", "display_name"],
        "properties": {"id": {"type": "integer"}, "display_name": {"type": "string"}},
    },
    "Notification": {
        "type": "object",
        "description": "One notification. Likes of the same thing are one notification with "
                       "`actor_count` people and the latest of them as `actor`.",
        "required": ["id", "kind", "text", "subject", "subject_type", "subject_id", "group_id", "actor",
                     "actor_count", "url", "read", "created_at"],
        "properties": {
            "id": {"type": "integer"},
            "kind": {"type": "string",
                     "description": "mention, comment, reply, like, join_request, invitation, approval, "
                                    "wiki or chat (plugins may add more)."},
            "text": {"type": "string",
                     "description": "The whole sentence in the reader's language (plain text)."},
            "subject": {"type": "string",
                        "description": "What the sentence quotes: a post's first words, a group's name "
                                       "(plain text)."},
            "subject_type": {"type": "string", "description": "e.g. post, comment, group."},
            "subject_id": {"type": "integer"},
            "group_id": {"type": ["integer", "null"]},
            "actor": nullable(ref("NotificationActor")),
            "actor_count": {"type": "integer", "minimum": 1},
            "url": {"type": "string", "description": "Where it leads in the web interface; may be empty."},
            "read": {"type": "boolean"},
            "created_at": {"type": "string", "format": "date-time"},
        },
    },
}

_LIST = paginated(ref("Notification"))
_LIST["required"] = [*_LIST["required"], "unread_count"]
_LIST["properties"]["unread_count"] = _UNREAD_COUNT

OPENAPI_PATHS = {
    "/notifications": {
        "get": {
            "summary": "My notifications",
            "description": "Newest first. Notifications of groups I can no longer read are left out.",
            "tags": ["notifications"],
            "parameters": [
                {"name": "unread", "in": "query", "required": False,
                 "schema": {"type": "string", "enum": ["1", "true"]}, "description": "Only unread ones."},
                *PAGE_PARAMETERS,
            ],
            "responses": {"200": json_response(_LIST), **error_responses(400, 401)},
        }
    },
    "/notifications/read": {
        "post": {
            "summary": "Mark notifications read",
            "description": "`{\"ids\": [...]}` marks those of mine (others' ids are ignored); "
                           "`{\"all\": true}` marks all. 400 for anything else.",
            "tags": ["notifications"],
            "requestBody": {
                "required": True,
                "content": {"application/json": {"schema": {
                    "anyOf": [
                        {"type": "object", "required": ["ids"],
                         "properties": {"ids": {"type": "array", "items": {"type": "integer"}}}},
                        {"type": "object", "required": ["all"], "properties": {"all": {"const": True}}},
                    ]
                }}},
            },
            "responses": {
                "200": json_response({
                    "type": "object",
                    "required": ["marked", "unread_count"],
                    "properties": {
                        "marked": {"type": "integer", "minimum": 0,
                                   "description": "How many were unread and are read now."},
                        "unread_count": _UNREAD_COUNT,
                    },
                }),
                **error_responses(400, 401, 413),
            },
        }
    },
}
