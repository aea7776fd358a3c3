"""OpenAPI description of the groups routes (``/groups`` and its members); see core.openapi."""

from wilma.core.openapi import PAGE_PARAMETERS, error_responses, json_response, paginated, path_id, ref

_TEXT = {"type": "string"}
_MAYBE_TEXT = {"type": ["string", "null"]}
_GROUP_ID = path_id(description="The group's id.")
_USER_ID = path_id("user_id", "The person's id.")
_NO_CONTENT = {"204": {"description": "Done; no content."}}
_VISIBILITY = {"type": "string", "enum": ["public", "private", "secret"]}


def _body(schema: dict, description: str) -> dict:
    return {"required": True, "description": description, "content": {"application/json": {"schema": schema}}}


_SETTINGS = {
    "type": "object",
    "properties": {"name": _TEXT, "description": _TEXT, "visibility": _VISIBILITY, "category": _MAYBE_TEXT,
                   "color": _MAYBE_TEXT},
}

OPENAPI_SCHEMAS = {
    "Group": {
        "type": "object",
        "required": ["id", "name", "description", "html", "visibility", "category", "color", "image_url",
                     "archived", "member_count", "role", "can_read", "url", "created_at"],
        "properties": {
            "id": {"type": "integer"},
            "name": _TEXT,
            "description": {"type": "string", "description": "As written (Markdown)."},
            "html": {"type": "string", "description": "The description, rendered and sanitized."},
            "visibility": _VISIBILITY,
            "category": _MAYBE_TEXT,
            "color": _MAYBE_TEXT,
            "image_url": _MAYBE_TEXT,
            "archived": {"type": "boolean"},
            "member_count": {"type": "integer"},
            "role": {"type": ["string", "null"], "description": "Your role in the group, if any."},
            "can_read": {"type": "boolean", "description": "Whether you may read the group's content."},
            "url": {"type": "string", "description": "The group's page."},
            "created_at": {"type": ["string", "null"], "format": "date-time"},
        },
    },
    "GroupMember": {
        "type": "object",
        "description": "A person in the directory's shape, with their place in the group.",
        "allOf": [ref("User")],
        "required": ["user_id", "role", "joined_at"],
        "properties": {
            "user_id": {"type": "integer"},
            "role": {"type": "string", "description": "owner, moderator, member, or a pending state."},
            "joined_at": {"type": ["string", "null"], "format": "date-time"},
        },
    },
    "MembershipState": {
        "type": "object",
        "required": ["status"],
        "properties": {"user_id": {"type": "integer"},
                       "status": {"type": "string", "enum": ["member", "requested", "invited"]}},
    },
}

OPENAPI_PATHS = {
    "/groups": {
        "get": {
            "summary": "Groups I may see",
            "tags": ["groups"],
            "parameters": [
                {"name": "q", "in": "query", "required": False, "schema": _TEXT, "description": "Search words."},
                {"name": "mine", "in": "query", "required": False, "schema": {"type": "string", "enum": ["1"]},
                 "description": "Only groups I belong to."},
                {"name": "category", "in": "query", "required": False, "schema": _TEXT},
                *PAGE_PARAMETERS,
            ],
            "responses": {"200": json_response(paginated(ref("Group"))), **error_responses(400, 401)},
        },
        "post": {
            "summary": "Create a group",
            "tags": ["groups"],
            "requestBody": _body({**_SETTINGS, "required": ["name"]}, "The new group's settings."),
            "responses": {"201": json_response(ref("Group"), "Created."), **error_responses(400, 401, 429)},
        },
    },
    "/groups/{id}": {
        "get": {
            "summary": "A group",
            "tags": ["groups"],
            "parameters": [_GROUP_ID],
            "responses": {"200": json_response(ref("Group")), **error_responses(401, 404)},
        },
        "patch": {
            "summary": "Change a group's settings, or archive / reopen it",
            "tags": ["groups"],
            "parameters": [_GROUP_ID],
            "requestBody": _body({**_SETTINGS, "properties": {**_SETTINGS["properties"],
                                                              "archived": {"type": "boolean"}}},
                                 "The settings to change."),
            "responses": {"200": json_response(ref("Group")), **error_responses(400, 401, 403, 404)},
        },
        "delete": {
            "summary": "Delete a group",
            "tags": ["groups"],
            "parameters": [_GROUP_ID],
            "responses": {**_NO_CONTENT, **error_responses(401, 403, 404)},
        },
    },
    "/groups/{id}/members": {
        "get": {
            "summary": "The members",
            "tags": ["groups"],
            "parameters": [_GROUP_ID],
            "responses": {"200": json_response(paginated(ref("GroupMember"))), **error_responses(401, 403, 404)},
        },
        "post": {
            "summary": "Add or invite a person, or approve their request",
            "tags": ["groups"],
            "parameters": [_GROUP_ID],
            "requestBody": _body({"type": "object", "required": ["user_id"],
                                  "properties": {"user_id": {"type": "integer"}}}, "Who."),
            "responses": {"201": json_response(ref("MembershipState"), "Added, invited or approved."),
                          **error_responses(400, 401, 403, 404, 409)},
        },
    },
    "/groups/{id}/members/{user_id}": {
        "patch": {
            "summary": "Change a member's role",
            "tags": ["groups"],
            "parameters": [_GROUP_ID, _USER_ID],
            "requestBody": _body({"type": "object", "required": ["role"], "properties": {
                "role": {"type": "string", "enum": ["owner", "moderator", "member"]}}}, "The new role."),
            "responses": {"200": json_response(ref("GroupMember")), **error_responses(400, 401, 403, 404)},
        },
        "delete": {
            "summary": "Remove a member, decline a request or withdraw an invitation (your own id: leave)",
            "tags": ["groups"],
            "parameters": [_GROUP_ID, _USER_ID],
            "responses": {**_NO_CONTENT, **error_responses(401, 403, 404)},
        },
    },
    "/groups/{id}/join": {
        "post": {
            "summary": "Join a public group, accept an invitation, or ask to join a private group",
            "tags": ["groups"],
            "parameters": [_GROUP_ID],
            "responses": {"200": json_response(ref("MembershipState"), "You are a member."),
                          "202": json_response(ref("MembershipState"), "Your request waits for approval."),
                          **error_responses(401, 404, 429)},
        },
    },
    "/groups/{id}/leave": {
        "post": {
            "summary": "Leave a group",
            "tags": ["groups"],
            "parameters": [_GROUP_ID],
            "responses": {**_NO_CONTENT, **error_responses(401, 404, 409)},
        },
    },
}
