"""OpenAPI description of the chat routes (``/channels`` and their messages); see core.openapi."""

from wilma.core.openapi import error_responses, json_response, nullable, path_id, ref

_TEXT = {"type": "string"}
_INT = {"type": "integer"}
_CHANNEL_ID = path_id(description="The channel's id.")
_MESSAGE_ID = path_id("message_id", "The message's id.")


def _query(name: str, description: str) -> dict:
    return {"name": name, "in": "query", "required": False, "schema": _INT, "description": description}


def _body(properties: dict, required: list[str]) -> dict:
    return {"required": True, "content": {"application/json": {"schema": {
        "type": "object", "required": required, "properties": properties}}}}


OPENAPI_SCHEMAS = {
    "ChannelMemberRef": {"type": "object", "required": ["id", "display_name"],
                         "properties": {"id": _INT, "display_name": _TEXT}},
    "Channel": {
        "type": "object",
        "description": "A group's channel (its members) or a direct conversation (a fixed set of people).",
        "required": ["id", "kind", "group_id", "name", "unread", "last_message_id", "last_message_at", "url"],
        "properties": {
            "id": _INT,
            "kind": {"type": "string", "enum": ["group", "direct"]},
            "group_id": {"type": ["integer", "null"]},
            "name": {"type": "string", "description": "The group's name, or the other people's names."},
            "unread": {"type": "integer", "description": "Messages of others after my read marker."},
            "last_message_id": {"type": ["integer", "null"]},
            "last_message_at": {"type": ["string", "null"], "format": "date-time"},
            "url": {"type": "string", "description": "The channel on the chat page."},
            "members": {"type": "array", "items": ref("ChannelMemberRef"),
                        "description": "Only for direct conversations."},
        },
    },
    "ChatMessage": {
        "type": "object",
        "description": "A message; deleted ones keep their place with empty body and html.",
        "required": ["id", "channel_id", "author", "body", "html", "client_msg_id", "created_at", "edited_at",
                     "deleted", "reactions", "attachments", "url"],
        "properties": {
            "id": {"type": "integer", "description": "Server id; ids grow in the order messages were stored."},
            "channel_id": _INT,
            "author": nullable({"type": "object", "required": ["id", "username", "display_name", "initials"],
                                "properties": {"id": _INT, "username": _TEXT, "display_name": _TEXT,
                                               "initials": _TEXT}}),
            "body": {"type": "string", "description": "The text as written (a Markdown subset)."},
            "html": {"type": "string", "description": "The same, rendered and sanitized."},
            "client_msg_id": {"type": ["string", "null"]},
            "created_at": {"type": "string", "format": "date-time"},
            "edited_at": {"type": ["string", "null"], "format": "date-time"},
            "deleted": {"type": "boolean"},
            "reactions": {"type": "array", "items": {
                "type": "object", "required": ["emoji", "count", "user_ids"],
                "properties": {"emoji": _TEXT, "count": _INT, "user_ids": {"type": "array", "items": _INT}}}},
            "attachments": {"type": "array", "items": {
                "type": "object", "required": ["id", "filename", "size", "is_image", "url"],
                "properties": {"id": _INT, "filename": _TEXT, "size": _INT, "is_image": {"type": "boolean"},
                               "url": _TEXT}}},
            "url": {"type": "string", "description": "Permalink: opens the message in its context."},
        },
    },
    "ReadState": {
        "type": "object",
        "required": ["channel_id", "message_id", "unread", "unread_total"],
        "properties": {"channel_id": _INT, "message_id": _INT, "unread": _INT, "unread_total": _INT},
    },
}

_MESSAGE_PAGE = {
    "type": "object",
    "required": ["items", "has_more", "next_cursor"],
    "properties": {
        "items": {"type": "array", "items": ref("ChatMessage"), "description": "Always oldest first."},
        "has_more": {"type": "boolean", "description": "Another page exists in the direction asked."},
        "has_older": {"type": "boolean", "description": "Only with `around`: older messages exist."},
        "next_cursor": {"type": ["string", "null"]},
    },
}

_MEMBER_PAGE = {
    "type": "object",
    "required": ["items", "next_cursor"],
    "properties": {
        "items": {"type": "array", "items": {
            "type": "object", "required": ["id", "username", "display_name", "presence"],
            "properties": {"id": _INT, "username": _TEXT, "display_name": _TEXT,
                           "presence": {"type": ["string", "null"], "enum": ["online", "away", "offline", None],
                                        "description": "null when presence is switched off."}}}},
        "next_cursor": {"type": "null"},
    },
}

OPENAPI_PATHS = {
    "/channels": {
        "get": {
            "summary": "My channels with unread counts",
            "tags": ["chat"],
            "responses": {"200": json_response({
                "type": "object", "required": ["items", "next_cursor", "unread_total"],
                "properties": {"items": {"type": "array", "items": ref("Channel")},
                               "next_cursor": {"type": "null"}, "unread_total": _INT}}),
                **error_responses(401)},
        },
        "post": {
            "summary": "Open a direct conversation",
            "description": "The same people (me included) always get the same conversation: 201 when it "
                           "is new, 200 when it existed.",
            "tags": ["chat"],
            "requestBody": _body({"member_ids": {"type": "array", "items": _INT}}, ["member_ids"]),
            "responses": {"200": json_response(ref("Channel")), "201": json_response(ref("Channel"), "Created"),
                          **error_responses(400, 401)},
        },
    },
    "/channels/{id}": {
        "get": {"summary": "A channel", "tags": ["chat"], "parameters": [_CHANNEL_ID],
                "responses": {"200": json_response(ref("Channel")), **error_responses(401, 404)}},
    },
    "/channels/{id}/members": {
        "get": {
            "summary": "The people in a channel (for mentions), with presence",
            "tags": ["chat"], "parameters": [_CHANNEL_ID],
            "responses": {"200": json_response(_MEMBER_PAGE), **error_responses(401, 404)},
        },
    },
    "/channels/{id}/messages": {
        "get": {
            "summary": "Messages of a channel",
            "description": "`after=<id>`: the next ones after that id (what a reconnecting client asks for); "
                           "`before=<id>`: the ones before it; `around=<id>`: a page with that message; none: "
                           "the newest page. `cursor` continues in the direction asked.",
            "tags": ["chat"],
            "parameters": [_CHANNEL_ID, _query("after", "Messages after this id."),
                           _query("before", "Messages before this id."),
                           _query("around", "A page around this id."),
                           {"$ref": "#/components/parameters/cursor"},
                           _query("limit", "Page size, 1 to 200 (default 50).")],
            "responses": {"200": json_response(_MESSAGE_PAGE), **error_responses(400, 401, 404)},
        },
        "post": {
            "summary": "Send a message",
            "description": "Stored once per `client_msg_id`: 201 with the new message, 200 with the stored "
                           "one when the same id was sent before. At most 4,000 characters; sending too "
                           "fast answers 429.",
            "tags": ["chat"], "parameters": [_CHANNEL_ID],
            "requestBody": _body({"body": {"type": "string", "maxLength": 4000},
                                  "client_msg_id": {"type": "string", "maxLength": 64}}, ["body"]),
            "responses": {"200": json_response(ref("ChatMessage")),
                          "201": json_response(ref("ChatMessage"), "Created"),
                          **error_responses(400, 401, 403, 404, 409, 429)},
        },
    },
    "/channels/{id}/messages/{message_id}": {
        "patch": {
            "summary": "Edit my message", "tags": ["chat"], "parameters": [_CHANNEL_ID, _MESSAGE_ID],
            "requestBody": _body({"body": {"type": "string", "maxLength": 4000}}, ["body"]),
            "responses": {"200": json_response(ref("ChatMessage")), **error_responses(400, 401, 403, 404)},
        },
        "delete": {
            "summary": "Delete my message (its text and files)", "tags": ["chat"],
            "parameters": [_CHANNEL_ID, _MESSAGE_ID],
            "responses": {"200": json_response(ref("ChatMessage")), **error_responses(401, 403, 404)},
        },
    },
    "/channels/{id}/messages/{message_id}/reactions": {
        "post": {
            "summary": "Add my reaction, or take it back", "tags": ["chat"],
            "parameters": [_CHANNEL_ID, _MESSAGE_ID],
            "requestBody": _body({"emoji": {"type": "string", "enum": ["👍", "❤️", "😂", "🎉", "😮", "😢", "🙏", "✅"]}},
                                 ["emoji"]),
            "responses": {"200": json_response(ref("ChatMessage")), **error_responses(400, 401, 404)},
        },
    },
    "/channels/{id}/read": {
        "post": {
            "summary": "I have read up to here", "tags": ["chat"], "parameters": [_CHANNEL_ID],
            "requestBody": _body({"message_id": _INT}, ["message_id"]),
            "responses": {"200": json_response(ref("ReadState")), **error_responses(400, 401, 404)},
        },
    },
}
