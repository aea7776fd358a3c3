"""OpenAPI description of the group routes (``/groups`` and below); see core.openapi.

Every write with a body may answer 413 (the request is larger than the upload limit); every write sent
with the session cookie answers 400 without its CSRF token. Secret groups answer 404 to outsiders.
"""

from wilma.core.openapi import PAGE_PARAMETERS, error_responses, json_response, paginated, path_id, ref

_TEXT = {"type": "string"}
_DATE = {"type": ["string", "null"], "format": "date-time"}
_ROLE = {"type": "string", "enum": ["owner", "moderator", "member"]}
_VISIBILITY = {"type": "string", "enum": ["public", "private", "secret"],
               "description": "public: anyone sees and joins; private: anyone sees it, members see the "
                              "content, joining is a request; secret: only members know it exists."}
_GROUP_ID = path_id(description="The group's id.")
_USER_ID = path_id("user_id", "The person's id.")


def _body(schema: dict, description: str = "") -> dict:
    body = {"required": True, "content": {"application/json": {"schema": schema}}}
    if description:
        body["description"] = description
    return body


def _no_content(description: str) -> dict:
    return {"204": {"description": description}}


_SETTINGS = {
    "name": {"type": "string", "minLength": 1, "maxLength": 120},
    "description": {"type": "string", "maxLength": 10000, "description": "Markdown."},
    "visibility": _VISIBILITY,
    "category": {"type": "string", "maxLength": 80},
    "color": {"type": "string", "pattern": "^#[0-9a-fA-F]{6}$", "description": "Like `#0b5cad`."},
}

OPENAPI_SCHEMAS = {
    "Group": {
        "type": "object",
        "description": "A group (workspace) as the caller sees it.",
        "required": ["id", "name", "description", "html", "visibility", "category", "color", "image_url",
                     "archived", "member_count", "role", "can_read", "url", "created_at"],
        "properties": {
            "id": {"type": "integer"},
            "name": _TEXT,
            "description": {"type": "string", "description": "The description as written (Markdown)."},
            "html": {"type": "string", "description": "The description, rendered and sanitized."},
            "visibility": _VISIBILITY,
            "category": {"type": "string", "description": "Empty when the group has none."},
            "color": {"type": "string", "description": "The group's colour, like `#0b5cad`."},
            "image_url": {"type": ["string", "null"], "description": "null: the group has no picture."},
            "archived": {"type": "boolean", "description": "Archived groups are read-only."},
            "member_count": {"type": "integer"},
            "role": {"type": ["string", "null"], "enum": ["owner", "moderator", "member", None],
                     "description": "The caller's role; null when not a member."},
            "can_read": {"type": "boolean",
                         "description": "Whether the caller may read the content (stream, members, wiki)."},
            "url": {"type": "string", "description": "The group's page in the web interface."},
            "created_at": _DATE,
        },
    },
    "GroupMember": {
        "type": "object",
        "description": "A member: the person (as in the directory) with their role in the group.",
        "allOf": [ref("User")],
        "required": ["user_id", "role", "joined_at"],
        "properties": {
            "user_id": {"type": "integer", "description": "The same as `id`."},
            "role": _ROLE,
            "joined_at": _DATE,
        },
    },
    "GroupCreate": {
        "type": "object",
        "required": ["name"],
        "properties": _SETTINGS,
        "description": "Unknown keys are ignored. `visibility` defaults to public.",
    },
    "GroupUpdate": {
        "type": "object",
        "properties": {
            **_SETTINGS,
            "archived": {"type": "boolean", "description": "Archive (read-only) or reopen; owners and admins."},
        },
        "description": "Only the keys sent change. Settings: owners and moderators; `visibility` and "
                       "`archived`: owners and site admins.",
    },
}

_MEMBERSHIP_STATE = {
    "type": "object",
    "required": ["user_id", "status"],
    "properties": {
        "user_id": {"description": "The `user_id` that was sent."},
        "status": {"type": "string", "enum": ["member", "invited"],
                   "description": "member: already a member, or their request was approved; "
                                  "invited: an invitation was sent (or was already open)."},
    },
}
_JOIN_STATE = {
    "type": "object",
    "required": ["status"],
    "properties": {"status": {"type": "string", "enum": ["member", "requested"]}},
}

OPENAPI_PATHS = {
    "/groups": {
        "get": {
            "summary": "Groups I may see",
            "description": "Public and private groups, and the secret groups I belong to, ordered by id. "
                           "`q` matches every word against the name.",
            "tags": ["groups"],
            "parameters": [
                {"name": "q", "in": "query", "required": False, "schema": {"type": "string"},
                 "description": "Words the name must contain."},
                {"name": "mine", "in": "query", "required": False, "schema": {"type": "string",
                                                                              "enum": ["1", "true"]},
                 "description": "Only groups I am a member of."},
                {"name": "category", "in": "query", "required": False, "schema": {"type": "string"},
                 "description": "Only groups of this category."},
                *PAGE_PARAMETERS,
            ],
            "responses": {"200": json_response(paginated(ref("Group"))), **error_responses(400, 401)},
        },
        "post": {
            "summary": "Create a group",
            "description": "The caller becomes its owner. At most 20 per hour and person.",
            "tags": ["groups"],
            "requestBody": _body(ref("GroupCreate")),
            "responses": {"201": json_response(ref("Group"), "Created."),
                          **error_responses(400, 401, 413, 429)},
        },
    },
    "/groups/{id}": {
        "parameters": [_GROUP_ID],
        "get": {
            "summary": "A group",
            "tags": ["groups"],
            "responses": {"200": json_response(ref("Group")), **error_responses(401, 404)},
        },
        "patch": {
            "summary": "Change a group's settings, archive or reopen it",
            "description": "403 for people who may not change it and for settings of an archived group.",
            "tags": ["groups"],
            "requestBody": _body(ref("GroupUpdate")),
            "responses": {"200": json_response(ref("Group")), **error_responses(400, 401, 403, 404, 413)},
        },
        "delete": {
            "summary": "Delete a group",
            "description": "Owners and site admins. The group answers 404 from then on.",
            "tags": ["groups"],
            "responses": {**_no_content("Deleted."), **error_responses(400, 401, 403, 404)},
        },
    },
    "/groups/{id}/members": {
        "parameters": [_GROUP_ID],
        "get": {
            "summary": "The members",
            "description": "All members in one page (owners, then moderators, then by name); "
                           "`next_cursor` is always null. 403 for non-members of private groups.",
            "tags": ["groups"],
            "responses": {"200": json_response(paginated(ref("GroupMember"))),
                          **error_responses(401, 403, 404)},
        },
        "post": {
            "summary": "Invite someone, or approve their request to join",
            "description": "Owners and moderators. 400 for unknown or deactivated people.",
            "tags": ["groups"],
            "requestBody": _body({"type": "object", "required": ["user_id"],
                                  "properties": {"user_id": {"type": "integer"}}}),
            "responses": {"201": json_response(_MEMBERSHIP_STATE, "Invited, or a member."),
                          **error_responses(400, 401, 403, 404, 413)},
        },
    },
    "/groups/{id}/members/{user_id}": {
        "parameters": [_GROUP_ID, _USER_ID],
        "patch": {
            "summary": "Change a member's role",
            "description": "Owners and site admins. 409 when the last owner would step down.",
            "tags": ["groups"],
            "requestBody": _body({"type": "object", "required": ["role"], "properties": {"role": _ROLE}}),
            "responses": {"200": json_response(ref("GroupMember")),
                          **error_responses(400, 401, 403, 404, 409, 413)},
        },
        "delete": {
            "summary": "Remove a member, decline a request or withdraw an invitation",
            "description": "Moderators remove members; only owners remove moderators and owners. One's own "
                           "id means leaving. 409 for the last owner.",
            "tags": ["groups"],
            "responses": {**_no_content("Removed."), **error_responses(400, 401, 403, 404, 409)},
        },
    },
    "/groups/{id}/join": {
        "parameters": [_GROUP_ID],
        "post": {
            "summary": "Join a group, accept an invitation, or request to join",
            "description": "Public groups (and invitations) make a member at once (200); private groups "
                           "get a request the moderators answer (202). 403 for archived groups. At most "
                           "30 per 10 minutes and person. No request body.",
            "tags": ["groups"],
            "responses": {"200": json_response(_JOIN_STATE, "A member now (or already)."),
                          "202": json_response(_JOIN_STATE, "Requested; the moderators decide."),
                          **error_responses(400, 401, 403, 404, 429)},
        },
    },
    "/groups/{id}/leave": {
        "parameters": [_GROUP_ID],
        "post": {
            "summary": "Leave a group, withdraw a request or decline an invitation",
            "description": "409 when not a member, and for the last owner (hand ownership over first).",
            "tags": ["groups"],
            "responses": {**_no_content("Left."), **error_responses(400, 401, 404, 409)},
        },
    },
}
