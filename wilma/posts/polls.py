"""Polls: single or multiple choice, an optional closing time, results for those who voted.

Results are shown to people who voted, and to everyone who can read the post once the poll closed.
After a vote, ``poll:updated`` with only ``{poll_id, post_id}`` goes to the group's room; browsers that
may see the results fetch them (so nobody learns results over the socket before voting).
"""

from datetime import UTC, datetime

from flask_babel import gettext as _
from sqlalchemy import delete, select, update

from wilma.core.database import commit
from wilma.core.errors import Conflict, NotFound, ValidationError
from wilma.core.models import as_utc, utcnow
from wilma.core.realtime import emit_after_commit
from wilma.extensions import db
from wilma.posts import access
from wilma.posts.models import Poll, PollOption, PollVote, Post

MAX_OPTIONS = 20


def parse_poll(data) -> dict | None:
    """``{"options": [...], "multiple": bool, "closes_at": iso-time?}`` checked; ``None`` when absent."""
    if data in (None, "", {}):
        return None
    if not isinstance(data, dict):
        raise ValidationError(_("The poll must be an object with options."), field="poll")
    options = [o.strip() for o in data.get("options") or [] if isinstance(o, str) and o.strip()]
    if len(options) < 2:
        raise ValidationError(_("A poll needs at least two options."), field="poll")
    if len(options) > MAX_OPTIONS:
        raise ValidationError(_("A poll can have at most %(n)d options.", n=MAX_OPTIONS), field="poll")
    if any(len(o) > 200 for o in options):
        raise ValidationError(_("A poll option can be at most 200 characters long."), field="poll")
    closes_at = data.get("closes_at")
    if closes_at:
        try:
            # stored in UTC: SQLite keeps no zone, so an offset would be lost
            closes_at = as_utc(datetime.fromisoformat(str(closes_at))).astimezone(UTC)
        except ValueError:
            raise ValidationError(_("The closing time is not a valid date and time."), field="poll") from None
        if closes_at <= utcnow():
            raise ValidationError(_("The closing time must be in the future."), field="poll")
    return {"options": options, "multiple": bool(data.get("multiple")), "closes_at": closes_at or None}


def add_poll(post: Post, data: dict) -> Poll:
    """Attach a poll to a new post (called inside ``create_post``'s transaction)."""
    spec = parse_poll(data)
    poll = Poll(post_id=post.id, multiple=spec["multiple"], closes_at=spec["closes_at"])
    poll.options = [PollOption(label=label, position=i) for i, label in enumerate(spec["options"])]
    db.session.add(poll)
    return poll


def readable_poll(user, poll_id: int) -> Poll:
    poll = db.session.get(Poll, poll_id) if isinstance(poll_id, int) else None
    if poll is None:
        raise NotFound()
    access.readable_post(user, poll.post_id)
    return poll


def my_votes(user, poll: Poll) -> set[int]:
    return set(db.session.scalars(select(PollVote.option_id).where(PollVote.poll_id == poll.id,
                                                                   PollVote.user_id == user.id)))


def results_visible(user, poll: Poll, votes: set[int] | None = None) -> bool:
    votes = my_votes(user, poll) if votes is None else votes
    return bool(votes) or poll.is_closed()


def vote(user, poll_id: int, option_ids) -> Poll:
    """Vote (or change one's vote): one option for single choice, one or more for multiple choice."""
    poll = readable_poll(user, poll_id)
    post = db.session.get(Post, poll.post_id)
    access.ensure_writable(post.group)
    if poll.is_closed():
        raise Conflict(_("This poll is closed."))
    if not isinstance(option_ids, list) or not all(isinstance(i, int) for i in option_ids):
        raise ValidationError(_("Choose an option."), field="option_ids")
    chosen = set(option_ids)
    valid = {o.id for o in poll.options}
    if not chosen or not chosen <= valid:
        raise ValidationError(_("Choose one of the poll's options."), field="option_ids")
    if not poll.multiple and len(chosen) > 1:
        raise ValidationError(_("Choose only one option."), field="option_ids")
    before = my_votes(user, poll)
    removed, added = before - chosen, chosen - before
    if removed:
        db.session.execute(delete(PollVote).where(PollVote.poll_id == poll.id, PollVote.user_id == user.id,
                                                  PollVote.option_id.in_(removed)))
        db.session.execute(update(PollOption).where(PollOption.id.in_(removed))
                           .values(vote_count=PollOption.vote_count - 1))
    for option_id in added:
        db.session.add(PollVote(poll_id=poll.id, option_id=option_id, user_id=user.id))
    if added:
        db.session.execute(update(PollOption).where(PollOption.id.in_(added))
                           .values(vote_count=PollOption.vote_count + 1))
    if not before:
        db.session.execute(update(Poll).where(Poll.id == poll.id).values(voter_count=Poll.voter_count + 1))
    if post.group_id is not None:
        emit_after_commit("poll:updated", {"poll_id": poll.id, "post_id": post.id}, to=f"group:{post.group_id}")
    commit()
    db.session.expire(poll)
    return poll


def poll_json(user, poll: Poll) -> dict:
    """The poll as the API and the browser see it; counts only when results are visible."""
    votes = my_votes(user, poll)
    show = results_visible(user, poll, votes)
    return {
        "id": poll.id, "post_id": poll.post_id, "multiple": poll.multiple,
        "closes_at": as_utc(poll.closes_at).isoformat() if poll.closes_at else None,
        "closed": poll.is_closed(), "my_votes": sorted(votes), "results_visible": show,
        "voter_count": poll.voter_count if show else None,
        "options": [{"id": o.id, "label": o.label, "votes": o.vote_count if show else None}
                    for o in poll.options],
    }
