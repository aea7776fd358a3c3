"""The sentences of notifications, made when shown so that each reader gets their own language.

Grouped likes read "Anna Müller and 4 others liked your post"; ``Notification.text`` holds the subject
(a post's first words, a group's name) that the sentence quotes.
"""

from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_babel import ngettext

KIND_LABELS = {
    "mention": _l("Someone mentions me"),
    "comment": _l("Comments on my posts"),
    "reply": _l("Replies to my comments"),
    "like": _l("Likes of my posts and comments"),
    "join_request": _l("Requests to join groups I manage"),
    "invitation": _l("Invitations to groups"),
    "approval": _l("My request to join a group was approved"),
    "wiki": _l("Changes to wiki pages I follow"),
    "chat": _l("Chat messages while I am away"),
}


def actors(notification) -> str:
    """"Anna Müller", "Anna Müller and one other", "Anna Müller and 4 others"."""
    name = notification.actor.display_name if notification.actor else _("Someone")
    others = max(0, (notification.actor_count or 1) - 1)
    if not others:
        return name
    return ngettext("%(name)s and %(num)d other", "%(name)s and %(num)d others", others, name=name)


def describe(notification) -> str:
    """The notification as one sentence in the current language."""
    who, what = actors(notification), notification.text
    sentences = {
        "mention": lambda: _("%(who)s mentioned you: %(what)s", who=who, what=what),
        "comment": lambda: _("%(who)s commented on your post: %(what)s", who=who, what=what),
        "reply": lambda: _("%(who)s replied to your comment: %(what)s", who=who, what=what),
        "like": lambda: (_("%(who)s liked your comment: %(what)s", who=who, what=what)
                         if notification.subject_type == "comment"
                         else _("%(who)s liked your post: %(what)s", who=who, what=what)),
        "join_request": lambda: _("%(who)s asks to join %(what)s", who=who, what=what),
        "invitation": lambda: _("%(who)s invited you to the group %(what)s", who=who, what=what),
        "approval": lambda: _("You are now a member of %(what)s", what=what),
    }
    make = sentences.get(notification.kind)
    if make is not None:
        return make()
    return f"{who}: {what}" if what else who
