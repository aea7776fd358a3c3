"""``/api/v1`` routes of posts: group streams, the feed, a post, its comments and likes, polls, follows.

Every item has ``id``, ``body`` (the Markdown source) and ``html`` (sanitized). Lists are
``{"items": [...], "next_cursor": ...}`` with an opaque keyset cursor.
"""

from flask import request
from flask_login import current_user

from wilma.core.api import api_bp, json_body, page, page_limit, require_str
from wilma.core.errors import ValidationError
from wilma.core.models import as_utc
from wilma.core.security import require_login
from wilma.posts import access, feed, mentions, polls, services
from wilma.posts.models import COMMENT_MAX_LENGTH, POST_MAX_LENGTH, Comment, Post


def _iso(value):
    return as_utc(value).isoformat() if value else None


def person_json(user) -> dict:
    return {"id": user.id, "username": user.username, "display_name": user.display_name}


def post_json(post: Post, *, liked: set[int] | None = None) -> dict:
    """A post as the API returns it (without the poll's results, see ``/polls/<id>``)."""
    from flask import url_for

    return {
        "id": post.id, "body": post.body, "html": post.html,
        "group_id": post.group_id, "profile_user_id": post.profile_user_id,
        "author": person_json(post.author),
        "created_at": _iso(post.created_at), "edited_at": _iso(post.edited_at),
        "pinned": post.pinned_at is not None,
        "like_count": post.like_count, "comment_count": post.comment_count,
        "liked": post.id in liked if liked is not None else None,
        "poll_id": post.poll.id if post.poll is not None else None,
        "attachments": [{"id": a.id, "name": a.original_name, "content_type": a.content_type, "size": a.size,
                         "url": url_for("posts.attachment", attachment_id=a.id),
                         "thumbnail_url": url_for("posts.thumbnail", attachment_id=a.id) if a.is_image else None}
                        for a in post.attachments],
        "url": url_for("posts.detail", post_id=post.id),
    }


def comment_json(comment: Comment) -> dict:
    return {"id": comment.id, "post_id": comment.post_id, "parent_id": comment.parent_id,
            "body": comment.body, "html": comment.html, "author": person_json(comment.author),
            "created_at": _iso(comment.created_at), "like_count": comment.like_count}


def stream_json(result: feed.StreamPage) -> dict:
    items = [post_json(p, liked=result.liked) for p in result.pinned + result.posts]
    return page(items, result.next_cursor)


def _post_input(data: dict) -> dict:
    ids = data.get("attachment_ids") or []
    if not isinstance(ids, list):
        raise ValidationError("'attachment_ids' must be a list of ids.", field="attachment_ids")
    return {"body": require_str(data, "body", max_length=POST_MAX_LENGTH), "attachment_ids": ids,
            "poll": polls.parse_poll(data.get("poll"))}


@api_bp.post("/attachments")
@require_login
def upload_attachment():
    """Upload one file (multipart field ``file``); post it with ``attachment_ids`` in a new post."""
    from flask import url_for

    from wilma.posts.attachments import store_upload

    upload = request.files.get("file")
    if upload is None or not upload.filename:
        raise ValidationError("Send the file as multipart/form-data in the field 'file'.", field="file")
    item = store_upload(current_user, upload.stream, upload.filename)
    return {"id": item.id, "name": item.original_name, "content_type": item.content_type, "size": item.size,
            "url": url_for("posts.attachment", attachment_id=item.id),
            "thumbnail_url": url_for("posts.thumbnail", attachment_id=item.id) if item.is_image else None}, 201


@api_bp.get("/groups/<int:group_id>/posts")
@require_login
def group_posts(group_id: int):
    return stream_json(feed.group_stream(current_user, group_id, cursor=request.args.get("cursor"),
                                         limit=page_limit()))


@api_bp.post("/groups/<int:group_id>/posts")
@require_login
def create_group_post(group_id: int):
    access.readable_group(current_user, group_id)  # 404/403 before looking at the body
    post = services.create_post(current_user, group_id=group_id, **_post_input(json_body()))
    return post_json(post, liked=set()), 201


@api_bp.post("/posts")
@require_login
def create_profile_post():
    """A post on the caller's own profile."""
    post = services.create_post(current_user, **_post_input(json_body()))
    return post_json(post, liked=set()), 201


@api_bp.get("/feed")
@require_login
def api_feed():
    result = feed.feed(current_user, filter=request.args.get("filter", "all"), cursor=request.args.get("cursor"),
                       limit=page_limit())
    return stream_json(result)


@api_bp.get("/posts/<int:post_id>")
@require_login
def get_post(post_id: int):
    post = access.readable_post(current_user, post_id)
    posts, liked, _votes = feed.load_posts(current_user, [post.id])
    return post_json(posts[0], liked=liked)


@api_bp.patch("/posts/<int:post_id>")
@require_login
def patch_post(post_id: int):
    access.readable_post(current_user, post_id)
    data = json_body()
    post = services.edit_post(current_user, post_id, body=require_str(data, "body", max_length=POST_MAX_LENGTH))
    return post_json(post)


@api_bp.delete("/posts/<int:post_id>")
@require_login
def delete_post(post_id: int):
    services.delete_post(current_user, post_id)
    return "", 204


@api_bp.get("/posts/<int:post_id>/comments")
@require_login
def list_comments(post_id: int):
    return page([comment_json(c) for c in services.list_comments(current_user, post_id)], None)


@api_bp.post("/posts/<int:post_id>/comments")
@require_login
def create_comment(post_id: int):
    access.readable_post(current_user, post_id)
    data = json_body()
    parent_id = data.get("parent_id")
    if parent_id is not None and (not isinstance(parent_id, int) or isinstance(parent_id, bool)):
        raise ValidationError("'parent_id' must be a comment id.", field="parent_id")
    comment = services.add_comment(current_user, post_id, parent_id=parent_id,
                                   body=require_str(data, "body", max_length=COMMENT_MAX_LENGTH))
    return comment_json(comment), 201


@api_bp.delete("/comments/<int:comment_id>")
@require_login
def delete_comment(comment_id: int):
    services.delete_comment(current_user, comment_id)
    return "", 204


@api_bp.post("/posts/<int:post_id>/like")
@require_login
def like(post_id: int):
    post = services.like_post(current_user, post_id)
    return {"id": post.id, "liked": True, "like_count": post.like_count}


@api_bp.delete("/posts/<int:post_id>/like")
@require_login
def unlike(post_id: int):
    post = services.unlike_post(current_user, post_id)
    return {"id": post.id, "liked": False, "like_count": post.like_count}


@api_bp.get("/posts/<int:post_id>/likes")
@require_login
def likes(post_id: int):
    return page([person_json(p) for p in services.likers(current_user, post_id)], None)


@api_bp.get("/polls/<int:poll_id>")
@require_login
def get_poll(poll_id: int):
    return polls.poll_json(current_user, polls.readable_poll(current_user, poll_id))


@api_bp.post("/polls/<int:poll_id>/vote")
@require_login
def vote(poll_id: int):
    poll = polls.vote(current_user, poll_id, json_body().get("option_ids"))
    return polls.poll_json(current_user, poll)


@api_bp.get("/mentions/suggest")
@require_login
def suggest_mentions():
    raw = request.args.get("group_id")
    group_id = int(raw) if raw and raw.isdigit() else None
    if raw and group_id is None:
        from wilma.core.errors import NotFound

        raise NotFound()
    people = mentions.suggest(current_user, group_id=group_id, query=request.args.get("q", ""))
    return page([person_json(p) for p in people], None)


@api_bp.post("/users/<int:user_id>/follow")
@require_login
def follow(user_id: int):
    services.follow(current_user, user_id, True)
    return {"user_id": user_id, "following": True}


@api_bp.delete("/users/<int:user_id>/follow")
@require_login
def unfollow(user_id: int):
    services.follow(current_user, user_id, False)
    return {"user_id": user_id, "following": False}
