"""OpenAPI description of the group routes (``/groups...``); see core.openapi."""

from wilma.core.openapi import PAGE_PARAMETERS, error_responses, json_response, paginated, path_id, ref

_TEXT = {"type": "string"}
_GROUP_ID = path_id(description="The group's id. Secret groups answer 404 to non-members, like a missing id.")
_USER_ID = path_id("user_id", "The person's id.")
_VISIBILITY = {"type": "string", "enum": ["public", "private", "secret"]}
_ROLE = {"type": "string", "enum": ["owner", "moderator", "member"]}


def _body(schema: dict, required: bool = True) -> dict:
    return {"required": required, "content": {"application/json": {"schema": schema}}}


def _person_with(extra: dict, required: list[str], description: str) -> dict:
    return {"type": "object", "description": description, "allOf": [ref("User")], "required": required,
            "properties": extra}


_SETTINGS = {
    "name": {"type": "string", "maxLength": 120, "description": "Control characters are removed, blanks trimmed."},
    "description": {"type": "string", "maxLength": 10000, "description": "Markdown."},
    "visibility": _VISIBILITY,
    "category": {"type": "string", "maxLength": 80},
    "color": {"type": "string", "pattern": "^#[0-9a-fA-F]{6}$"},
}

OPENAPI_SCHEMAS = {
    "Group": {
        "type": "object",
        "description": "A group as the caller sees it.",
        "required": ["id", "name", "description", "html", "visibility", "category", "color", "image_url",
                     "archived", "member_count", "role", "can_read", "url", "created_at"],
        "properties": {
            "id": {"type": "integer"},
            "name": _TEXT,
            "description": {"type": "string", "description": "As written (Markdown)."},
            "html": {"type": "string", "description": "The description rendered and sanitized."},
            "visibility": _VISIBILITY,
            "category": _TEXT,
            "color": _TEXT,
            "image_url": {"type": ["string", "null"]},
            "archived": {"type": "boolean", "description": "Archived groups are read-only."},
            "member_count": {"type": "integer"},
            "role": {"type": ["string", "null"], "enum": ["owner", "moderator", "member", None],
                     "description": "The caller's role; null for non-members."},
            "can_read": {"type": "boolean", "description": "May the caller read the group's content?"},
            "url": {"type": "string", "description": "The group's page."},
            "created_at": {"type": ["string", "null"], "format": "date-time"},
        },
    },
    "GroupMember": _person_with({"user_id": {"type": "integer"}, "role": _ROLE,
                                 "joined_at": {"type": ["string", "null"], "format": "date-time"}},
                                ["user_id", "role", "joined_at"], "A member with their role."),
    "GroupRequest": _person_with({"user_id": {"type": "integer"},
                                  "kind": {"type": "string", "enum": ["request", "invite"]},
                                  "created_at": {"type": "string", "format": "date-time"}},
                                 ["user_id", "kind", "created_at"], "An open request to join, or an invitation."),
    "GroupSettings": {"type": "object", "properties": _SETTINGS},
    "GroupChange": {
        "type": "object",
        "properties": {**_SETTINGS, "archived": {"type": "boolean",
                                                 "description": "Archive or reopen (owners and admins)."}},
    },
}

_GROUPS_ERRORS = error_responses(401, 403, 404)

OPENAPI_PATHS = {
    "/groups": {
        "get": {
            "summary": "Groups I may see",
            "description": "Public and private groups, and the secret ones I am a member of, by id.",
            "tags": ["groups"],
            "parameters": [
                {"name": "q", "in": "query", "required": False, "schema": _TEXT, "description": "Name words."},
                {"name": "mine", "in": "query", "required": False, "schema": {"type": "string", "enum": ["1"]},
                 "description": "Only groups I am a member of."},
                {"name": "category", "in": "query", "required": False, "schema": _TEXT},
                *PAGE_PARAMETERS,
            ],
            "responses": {"200": json_response(paginated(ref("Group"))), **error_responses(400, 401)},
        },
        "post": {
            "summary": "Create a group (I become its owner)",
            "tags": ["groups"],
            "requestBody": _body({**ref("GroupSettings"), "required": ["name"]}),
            "responses": {"201": json_response(ref("Group"), "Created"), **error_responses(400, 401, 429)},
        },
    },
    "/groups/{id}": {
        "get": {"summary": "A group", "tags": ["groups"], "parameters": [_GROUP_ID],
                "responses": {"200": json_response(ref("Group")), **error_responses(401, 404)}},
        "patch": {"summary": "Change settings, archive or reopen (owners and moderators)", "tags": ["groups"],
                  "parameters": [_GROUP_ID], "requestBody": _body(ref("GroupChange")),
                  "responses": {"200": json_response(ref("Group")), **error_responses(400, *_GROUPS_ERRORS)}},
        "delete": {"summary": "Delete a group (owners and admins)", "tags": ["groups"], "parameters": [_GROUP_ID],
                   "responses": {"204": {"description": "Deleted"}, **_GROUPS_ERRORS}},
    },
    "/groups/{id}/members": {
        "get": {"summary": "Members, owners first (403 for non-members of private groups)", "tags": ["groups"],
                "parameters": [_GROUP_ID],
                "responses": {"200": json_response(paginated(ref("GroupMember"))), **_GROUPS_ERRORS}},
        "post": {
            "summary": "Approve a person's request, or invite them (moderators)",
            "tags": ["groups"], "parameters": [_GROUP_ID],
            "requestBody": _body({"type": "object", "required": ["user_id"],
                                  "properties": {"user_id": {"type": "integer"}}}),
            "responses": {"201": json_response({"type": "object", "required": ["user_id", "status"], "properties": {
                "user_id": {"type": "integer"}, "status": {"type": "string", "enum": ["member", "invited"]}}}),
                **error_responses(400, *_GROUPS_ERRORS)},
        },
    },
    "/groups/{id}/members/{user_id}": {
        "patch": {"summary": "Change a member's role (owners and admins)", "tags": ["groups"],
                  "parameters": [_GROUP_ID, _USER_ID],
                  "requestBody": _body({"type": "object", "required": ["role"], "properties": {"role": _ROLE}}),
                  "responses": {"200": json_response(ref("GroupMember")),
                                **error_responses(400, 401, 403, 404, 409)}},
        "delete": {"summary": "Remove a member, decline a request or withdraw an invitation; my own id: leave",
                   "tags": ["groups"], "parameters": [_GROUP_ID, _USER_ID],
                   "responses": {"204": {"description": "Done"}, **error_responses(401, 403, 404, 409)}},
    },
    "/groups/{id}/requests": {
        "get": {"summary": "Open requests and invitations (moderators)", "tags": ["groups"],
                "parameters": [_GROUP_ID],
                "responses": {"200": json_response(paginated(ref("GroupRequest"))), **_GROUPS_ERRORS}},
    },
    "/groups/{id}/join": {
        "post": {
            "summary": "Join a public group, accept an invitation, or ask to join a private group",
            "tags": ["groups"], "parameters": [_GROUP_ID],
            "responses": {
                "200": json_response({"type": "object", "required": ["status"],
                                      "properties": {"status": {"type": "string", "enum": ["member"]}}}),
                "202": json_response({"type": "object", "required": ["status"],
                                      "properties": {"status": {"type": "string", "enum": ["requested"]}}},
                                     "The request waits for the group's owners and moderators."),
                **error_responses(401, 403, 404, 429)},
        },
    },
    "/groups/{id}/leave": {
        "post": {"summary": "Leave, withdraw my request or decline my invitation", "tags": ["groups"],
                 "parameters": [_GROUP_ID],
                 "responses": {"204": {"description": "Done"},
                               **error_responses(401, 404, 409)}},
    },
}
