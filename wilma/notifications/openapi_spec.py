"""OpenAPI description of the notification routes; see core.openapi."""

from wilma.core.openapi import PAGE_PARAMETERS, error_responses, json_response, nullable, paginated, ref

OPENAPI_SCHEMAS = {
    "Notification": {
        "type": "object",
        "required": ["id", "kind", "text", "subject", "subject_type", "subject_id", "group_id", "actor",
                     "actor_count", "url", "read", "created_at"],
        "properties": {
            "id": {"type": "integer"},
            "kind": {"type": "string", "enum": ["mention", "comment", "reply", "like", "join_request",
                                                "invitation", "approval", "wiki", "chat"]},
            "text": {"type": "string", "description": "The sentence in the reader's language; likes are grouped "
                                                      "(\"Anna Müller and 4 others liked your post: ...\")."},
            "subject": {"type": "string", "description": "What the sentence quotes (a post's first words, "
                                                         "a group's name)."},
            "subject_type": {"type": "string"},
            "subject_id": {"type": "integer"},
            "group_id": {"type": ["integer", "null"]},
            "actor": nullable({"type": "object", "required": ["id", "display_name"],
                               "properties": {"id": {"type": "integer"}, "display_name": {"type": "string"}}}),
            "actor_count": {"type": "integer", "description": "How many people did it (grouped likes)."},
            "url": {"type": "string", "description": "Where it leads (a path on this site)."},
            "read": {"type": "boolean"},
            "created_at": {"type": "string", "format": "date-time"},
        },
    },
    "NotificationPage": {
        "type": "object",
        "description": "A page of notifications, newest first, with the bell's number.",
        "allOf": [paginated(ref("Notification"))],
        "required": ["unread_count"],
        "properties": {"unread_count": {"type": "integer"}},
    },
}

OPENAPI_PATHS = {
    "/notifications": {
        "get": {
            "summary": "My notifications",
            "description": "Notifications about groups I can no longer read are left out.",
            "tags": ["notifications"],
            "parameters": [{"name": "unread", "in": "query", "required": False,
                            "schema": {"type": "string", "enum": ["1"]}, "description": "Only unread ones."},
                           *PAGE_PARAMETERS],
            "responses": {"200": json_response(ref("NotificationPage")), **error_responses(400, 401)},
        }
    },
    "/notifications/read": {
        "post": {
            "summary": "Mark notifications as read",
            "tags": ["notifications"],
            "requestBody": {"required": True, "content": {"application/json": {"schema": {"oneOf": [
                {"type": "object", "required": ["ids"],
                 "properties": {"ids": {"type": "array", "items": {"type": "integer"}}}},
                {"type": "object", "required": ["all"], "properties": {"all": {"const": True}}},
            ]}}}},
            "responses": {"200": json_response({"type": "object", "required": ["marked", "unread_count"],
                                                "properties": {"marked": {"type": "integer"},
                                                               "unread_count": {"type": "integer"}}}),
                          **error_responses(400, 401)},
        }
    },
}
