"""HTML pages of posts: the feed, a post with its comments, editing, likes, polls, files, profile posts.

Forms post here (CSRF is checked for every write by ``core.security.protect_request``); each route
parses, calls a service and redirects back. Input problems (empty text, too long, too many writes) come
back as a flash message on the page the person came from; refusals become the 403/404 pages.
"""

from flask import abort, flash, jsonify, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user

from wilma.accounts import services as accounts
from wilma.core.api import page_limit
from wilma.core.errors import NotFound, RateLimited, TooLarge, ValidationError
from wilma.core.security import require_login
from wilma.posts import access, attachments, bp, feed, mentions, polls, services
from wilma.posts.templating import post_form_poll

FORM_ERRORS = (ValidationError, RateLimited, TooLarge)


def back(default: str | None = None):
    """Redirect to the form's ``next`` (same-site paths only), else ``default`` or the feed."""
    target = request.form.get("next") or request.args.get("next") or ""
    if not target.startswith("/") or target.startswith("//") or "\\" in target:
        target = default or url_for("posts.feed")
    return redirect(target)


def _int(value) -> int | None:
    try:
        return int(value)
    except (TypeError, ValueError):
        return None


@bp.get("/feed", endpoint="feed")
@require_login
def feed_page():
    """The start page: my stream, with the filters all / my groups / mentions."""
    active = request.args.get("filter", "all")
    if active not in feed.FILTERS:
        active = "all"
    page = feed.feed(current_user, filter=active, cursor=request.args.get("cursor"), limit=page_limit(), cards=True)
    return render_template("posts/feed.html", page=page, active_filter=active)



@bp.post("/posts")
@require_login
def create():
    """Create a post from the composer (group post with ``group_id``, else a profile post)."""
    group_id = _int(request.form.get("group_id"))
    try:
        ids = [attachments.store_upload(current_user, f.stream, f.filename).id
               for f in request.files.getlist("files") if f and f.filename]
        poll = post_form_poll(request.form)
        post = services.create_post(current_user, body=request.form.get("body", ""), group_id=group_id,
                                    attachment_ids=ids, poll=poll)
    except FORM_ERRORS as err:
        flash(err.message, "error")
        return back()
    flash(_("Your post is published."), "success")
    return back(url_for("posts.detail", post_id=post.id))


@bp.get("/posts/<int:post_id>")
@require_login
def detail(post_id: int):
    post = access.readable_post(current_user, post_id)
    posts, liked, votes = feed.load_posts(current_user, [post.id])
    comments = services.list_comments(current_user, post.id)
    return render_template("posts/detail.html", post=posts[0], liked=liked, votes=votes, comments=comments)


@bp.route("/posts/<int:post_id>/edit", methods=["GET", "POST"])
@require_login
def edit(post_id: int):
    post = access.readable_post(current_user, post_id)
    if post.author_id != current_user.id:
        abort(403)
    if request.method == "POST":
        try:
            services.edit_post(current_user, post.id, body=request.form.get("body", ""))
        except FORM_ERRORS as err:
            flash(err.message, "error")
            return render_template("posts/edit.html", post=post, body=request.form.get("body", "")), 400
        flash(_("Your post is saved."), "success")
        return redirect(url_for("posts.detail", post_id=post.id))
    return render_template("posts/edit.html", post=post, body=post.body)


@bp.post("/posts/<int:post_id>/delete")
@require_login
def delete(post_id: int):
    services.delete_post(current_user, post_id)
    flash(_("The post is deleted."), "success")
    return back()


@bp.post("/posts/<int:post_id>/pin")
@require_login
def pin(post_id: int):
    pinned = request.form.get("pinned", "1") == "1"
    services.set_pinned(current_user, post_id, pinned)
    flash(_("The post is pinned.") if pinned else _("The post is no longer pinned."), "success")
    return back(url_for("posts.detail", post_id=post_id))


@bp.post("/posts/<int:post_id>/comments")
@require_login
def comment(post_id: int):
    try:
        services.add_comment(current_user, post_id, body=request.form.get("body", ""),
                             parent_id=_int(request.form.get("parent_id")))
    except FORM_ERRORS as err:
        flash(err.message, "error")
    return back(url_for("posts.detail", post_id=post_id) + "#comments")


@bp.post("/posts/<int:post_id>/like")
@require_login
def like(post_id: int):
    if request.form.get("liked", "1") == "1":
        services.like_post(current_user, post_id)
    else:
        services.unlike_post(current_user, post_id)
    return back(url_for("posts.detail", post_id=post_id))


@bp.get("/posts/<int:post_id>/likes")
@require_login
def likes(post_id: int):
    post = access.readable_post(current_user, post_id)
    return render_template("posts/likers.html", post=post, people=services.likers(current_user, post.id))


@bp.post("/comments/<int:comment_id>/delete")
@require_login
def delete_comment(comment_id: int):
    services.delete_comment(current_user, comment_id)
    flash(_("The comment is deleted."), "success")
    return back()


@bp.post("/comments/<int:comment_id>/like")
@require_login
def like_comment(comment_id: int):
    services.like_comment(current_user, comment_id, request.form.get("liked", "1") == "1")
    return back()


@bp.post("/polls/<int:poll_id>/vote")
@require_login
def vote(poll_id: int):
    choices = [_int(v) for v in request.form.getlist("option_id")]
    try:
        poll = polls.vote(current_user, poll_id, [c for c in choices if c is not None])
    except FORM_ERRORS as err:
        flash(err.message, "error")
        return back()
    flash(_("Thank you for voting."), "success")
    return back(url_for("posts.detail", post_id=poll.post_id))


@bp.get("/attachments/<int:attachment_id>")
@require_login
def attachment(attachment_id: int):
    return attachments.send_attachment(attachments.readable_attachment(current_user, attachment_id))


@bp.get("/attachments/<int:attachment_id>/thumbnail")
@require_login
def thumbnail(attachment_id: int):
    item = attachments.readable_attachment(current_user, attachment_id)
    return attachments.send_attachment(item, thumbnail=True)


@bp.get("/people/<int:user_id>/posts")
@require_login
def profile_posts(user_id: int):
    person = accounts.get_user(user_id)
    page = feed.profile_stream(current_user, person.id, cursor=request.args.get("cursor"), cards=True)
    following = services.is_following(current_user, person.id)
    return render_template("posts/profile_posts.html", person=person, page=page, following=following)


@bp.post("/people/<int:user_id>/follow")
@require_login
def follow(user_id: int):
    following = request.form.get("following", "1") == "1"
    services.follow(current_user, user_id, following)
    flash(_("You follow this person now.") if following else _("You no longer follow this person."), "success")
    return back(url_for("posts.profile_posts", user_id=user_id))


@bp.get("/posts/mention-suggest")
@require_login
def mention_suggest():
    """Autocomplete for @mentions: only people who can read the group (404 for hidden groups)."""
    group_id = _int(request.args.get("group_id"))
    if request.args.get("group_id") and group_id is None:
        raise NotFound()
    people = mentions.suggest(current_user, group_id=group_id, query=request.args.get("q", ""))
    return jsonify([{"id": p.id, "username": p.username, "name": p.display_name} for p in people])
