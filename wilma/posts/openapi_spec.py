"""OpenAPI description of the posts routes (streams, posts, comments, likes, polls, follows); see core.openapi."""

from wilma.core.openapi import PAGE_PARAMETERS, error_responses, json_response, nullable, paginated, path_id, ref

_TEXT = {"type": "string"}
_ID = {"type": "integer"}
_TIME = {"type": "string", "format": "date-time"}


def _body(schema: dict, description: str) -> dict:
    return {"required": True, "description": description, "content": {"application/json": {"schema": schema}}}


_NO_CONTENT = {"204": {"description": "Done; no content."}}

OPENAPI_SCHEMAS = {
    "PersonRef": {
        "type": "object",
        "required": ["id", "username", "display_name"],
        "properties": {"id": _ID, "username": _TEXT, "display_name": _TEXT},
    },
    "AttachmentRef": {
        "type": "object",
        "required": ["id", "name", "content_type", "size", "url", "thumbnail_url"],
        "properties": {
            "id": _ID, "name": {"type": "string", "description": "The file name as uploaded."},
            "content_type": {"type": "string", "description": "Sniffed from the content, not from the name."},
            "size": _ID, "url": _TEXT,
            "thumbnail_url": {"type": ["string", "null"], "description": "Images only."},
        },
    },
    "Post": {
        "type": "object",
        "description": "A post in a group (`group_id`) or on a profile (`profile_user_id`).",
        "required": ["id", "body", "html", "group_id", "profile_user_id", "author", "created_at", "edited_at",
                     "pinned", "like_count", "comment_count", "liked", "poll_id", "attachments", "url"],
        "properties": {
            "id": _ID,
            "body": {"type": "string", "description": "The text as written (Markdown)."},
            "html": {"type": "string", "description": "The same, rendered and sanitized."},
            "group_id": {"type": ["integer", "null"]},
            "profile_user_id": {"type": ["integer", "null"]},
            "author": ref("PersonRef"),
            "created_at": _TIME,
            "edited_at": nullable(_TIME),
            "pinned": {"type": "boolean"},
            "like_count": _ID,
            "comment_count": _ID,
            "liked": {"type": ["boolean", "null"], "description": "Whether you like it."},
            "poll_id": {"type": ["integer", "null"], "description": "See `/polls/{id}`."},
            "attachments": {"type": "array", "items": ref("AttachmentRef")},
            "url": {"type": "string", "description": "The post's page."},
        },
    },
    "NewPost": {
        "type": "object",
        "required": ["body"],
        "properties": {
            "body": {"type": "string", "maxLength": 20000, "description": "Markdown; @username mentions."},
            "attachment_ids": {"type": "array", "items": _ID, "maxItems": 10,
                               "description": "Files you uploaded and have not posted yet."},
            "poll": {"type": "object", "required": ["options"], "properties": {
                "options": {"type": "array", "items": {"type": "string", "maxLength": 200},
                            "minItems": 2, "maxItems": 20},
                "multiple": {"type": "boolean", "default": False},
                "closes_at": nullable(_TIME)}},
        },
    },
    "Comment": {
        "type": "object",
        "required": ["id", "post_id", "parent_id", "body", "html", "author", "created_at", "like_count"],
        "properties": {
            "id": _ID, "post_id": _ID,
            "parent_id": {"type": ["integer", "null"], "description": "Set for a reply (one level deep)."},
            "body": _TEXT, "html": _TEXT, "author": ref("PersonRef"), "created_at": _TIME, "like_count": _ID,
        },
    },
    "LikeState": {
        "type": "object",
        "required": ["id", "liked", "like_count"],
        "properties": {"id": _ID, "liked": {"type": "boolean"}, "like_count": _ID},
    },
    "Poll": {
        "type": "object",
        "description": "Counts are null until you voted or the poll closed.",
        "required": ["id", "post_id", "multiple", "closes_at", "closed", "my_votes", "results_visible",
                     "voter_count", "options"],
        "properties": {
            "id": _ID, "post_id": _ID, "multiple": {"type": "boolean"}, "closes_at": nullable(_TIME),
            "closed": {"type": "boolean"}, "my_votes": {"type": "array", "items": _ID},
            "results_visible": {"type": "boolean"}, "voter_count": {"type": ["integer", "null"]},
            "options": {"type": "array", "items": {
                "type": "object", "required": ["id", "label", "votes"],
                "properties": {"id": _ID, "label": _TEXT, "votes": {"type": ["integer", "null"]}}}},
        },
    },
    "FollowState": {
        "type": "object",
        "required": ["user_id", "following"],
        "properties": {"user_id": _ID, "following": {"type": "boolean"}},
    },
}

_STREAM = json_response(paginated(ref("Post")))
_NEW_POST = _body(ref("NewPost"), "The post. Write rate per person is limited (429).")

OPENAPI_PATHS = {
    "/feed": {
        "get": {
            "summary": "My stream",
            "description": "Posts of groups I may read, profile posts of people I follow and my own, newest "
                           "first (pinned posts are not lifted here). `filter`: `all`, `groups` (groups I am a "
                           "member of) or `mentions`.",
            "tags": ["posts"],
            "parameters": [{"name": "filter", "in": "query", "required": False,
                            "schema": {"type": "string", "enum": ["all", "groups", "mentions"]}},
                           *PAGE_PARAMETERS],
            "responses": {"200": _STREAM, **error_responses(400, 401)},
        }
    },
    "/groups/{id}/posts": {
        "get": {
            "summary": "A group's stream",
            "description": "On the first page, pinned posts come first.",
            "tags": ["posts"],
            "parameters": [path_id(description="The group's id."), *PAGE_PARAMETERS],
            "responses": {"200": _STREAM, **error_responses(400, 401, 403, 404)},
        },
        "post": {
            "summary": "Post into a group (members only)",
            "tags": ["posts"],
            "parameters": [path_id(description="The group's id.")],
            "requestBody": _NEW_POST,
            "responses": {"201": json_response(ref("Post"), "Created"), **error_responses(400, 401, 403, 404, 429)},
        },
    },
    "/posts": {
        "post": {
            "summary": "Post on my own profile",
            "tags": ["posts"],
            "requestBody": _NEW_POST,
            "responses": {"201": json_response(ref("Post"), "Created"), **error_responses(400, 401, 429)},
        }
    },
    "/attachments": {
        "post": {
            "summary": "Upload a file to attach to a new post",
            "description": "The type is taken from the content; images get a thumbnail. Until it is posted "
                           "(`attachment_ids` of a new post) only you can fetch it.",
            "tags": ["posts"],
            "requestBody": {"required": True, "content": {"multipart/form-data": {"schema": {
                "type": "object", "required": ["file"],
                "properties": {"file": {"type": "string", "contentMediaType": "application/octet-stream"}}}}}},
            "responses": {"201": json_response(ref("AttachmentRef"), "Stored"),
                          **error_responses(400, 401, 413, 429)},
        }
    },
    "/posts/{id}": {
        "get": {
            "summary": "A post",
            "tags": ["posts"],
            "parameters": [path_id()],
            "responses": {"200": json_response(ref("Post")), **error_responses(401, 403, 404)},
        },
        "patch": {
            "summary": "Edit a post (its author); it is marked as edited",
            "tags": ["posts"],
            "parameters": [path_id()],
            "requestBody": _body({"type": "object", "required": ["body"],
                                  "properties": {"body": {"type": "string", "maxLength": 20000}}}, "The new text."),
            "responses": {"200": json_response(ref("Post")), **error_responses(400, 401, 403, 404)},
        },
        "delete": {
            "summary": "Delete a post (author, the group's moderators and owners, admins)",
            "tags": ["posts"],
            "parameters": [path_id()],
            "responses": {**_NO_CONTENT, **error_responses(401, 403, 404)},
        },
    },
    "/posts/{id}/comments": {
        "get": {
            "summary": "A post's comments, oldest first, each reply right after its comment",
            "tags": ["posts"],
            "parameters": [path_id()],
            "responses": {"200": json_response(paginated(ref("Comment"))), **error_responses(401, 403, 404)},
        },
        "post": {
            "summary": "Comment on a post, or reply to a comment",
            "tags": ["posts"],
            "parameters": [path_id()],
            "requestBody": _body({"type": "object", "required": ["body"], "properties": {
                "body": {"type": "string", "maxLength": 5000},
                "parent_id": {"type": ["integer", "null"],
                              "description": "Reply to this comment (a reply to a reply joins its comment)."}}},
                "The comment. Write rate per person is limited (429)."),
            "responses": {"201": json_response(ref("Comment"), "Created"),
                          **error_responses(400, 401, 403, 404, 429)},
        },
    },
    "/comments/{id}": {
        "delete": {
            "summary": "Delete a comment (author, the group's moderators and owners, admins)",
            "tags": ["posts"],
            "parameters": [path_id()],
            "responses": {**_NO_CONTENT, **error_responses(401, 403, 404)},
        }
    },
    "/posts/{id}/like": {
        "post": {
            "summary": "Like a post",
            "tags": ["posts"],
            "parameters": [path_id()],
            "responses": {"200": json_response(ref("LikeState")), **error_responses(401, 403, 404)},
        },
        "delete": {
            "summary": "Take the like back",
            "tags": ["posts"],
            "parameters": [path_id()],
            "responses": {"200": json_response(ref("LikeState")), **error_responses(401, 403, 404)},
        },
    },
    "/posts/{id}/likes": {
        "get": {
            "summary": "Who likes a post",
            "tags": ["posts"],
            "parameters": [path_id()],
            "responses": {"200": json_response(paginated(ref("PersonRef"))), **error_responses(401, 403, 404)},
        }
    },
    "/polls/{id}": {
        "get": {
            "summary": "A poll (results once you voted or it closed)",
            "tags": ["posts"],
            "parameters": [path_id()],
            "responses": {"200": json_response(ref("Poll")), **error_responses(401, 403, 404)},
        }
    },
    "/polls/{id}/vote": {
        "post": {
            "summary": "Vote, or change your vote",
            "tags": ["posts"],
            "parameters": [path_id()],
            "requestBody": _body({"type": "object", "required": ["option_ids"], "properties": {
                "option_ids": {"type": "array", "items": _ID, "minItems": 1}}},
                "One option id for a single-choice poll, one or more for multiple choice."),
            "responses": {"200": json_response(ref("Poll")), **error_responses(400, 401, 403, 404, 409)},
        }
    },
    "/mentions/suggest": {
        "get": {
            "summary": "People to @mention",
            "description": "Only people who can read the group; a secret group you are not a member of "
                           "answers 404 exactly like a missing one.",
            "tags": ["posts"],
            "parameters": [
                {"name": "group_id", "in": "query", "required": False, "schema": _ID,
                 "description": "The group of the post; without it, everyone (profile posts)."},
                {"name": "q", "in": "query", "required": False, "schema": _TEXT,
                 "description": "The start of a username or name."}],
            "responses": {"200": json_response(paginated(ref("PersonRef"))), **error_responses(401, 403, 404)},
        }
    },
    "/users/{id}/follow": {
        "post": {
            "summary": "Follow a person (their profile posts appear in your feed)",
            "tags": ["posts"],
            "parameters": [path_id(description="The user's id.")],
            "responses": {"200": json_response(ref("FollowState")), **error_responses(401, 404, 409)},
        },
        "delete": {
            "summary": "Stop following a person",
            "tags": ["posts"],
            "parameters": [path_id(description="The user's id.")],
            "responses": {"200": json_response(ref("FollowState")), **error_responses(401, 404, 409)},
        },
    },
}
