"""The e-mail digest: one message per person with their unread notifications not e-mailed yet.

Sent by ``flask wilma notifications send-digest`` (run it from cron, e.g. hourly): each person gets a
message when their frequency (daily or weekly, default weekly) has passed since the last one, and only
when something new is there. Notifications of groups they can no longer read are left out. Mail goes
over plain SMTP to ``WILMA_MAIL_SERVER``:``WILMA_MAIL_PORT`` from ``WILMA_MAIL_FROM``.
"""

import logging
import smtplib
from datetime import timedelta
from email.message import EmailMessage

from flask import current_app
from flask_babel import force_locale, ngettext
from flask_babel import gettext as _
from sqlalchemy import select

from wilma.accounts.models import User
from wilma.core.database import commit
from wilma.core.models import as_utc, utcnow
from wilma.core.templating import branding
from wilma.extensions import db
from wilma.notifications.models import DigestPreference, Notification
from wilma.notifications.services import DEFAULT_FREQUENCY, visible_notifications_query
from wilma.notifications.texts import describe

logger = logging.getLogger("wilma.notifications")
PERIODS = {"daily": timedelta(days=1), "weekly": timedelta(days=7)}
MAX_ITEMS = 50


class MailNotConfigured(RuntimeError):
    """``WILMA_MAIL_SERVER`` or ``WILMA_MAIL_FROM`` is not set."""


def is_due(pref: DigestPreference | None, now) -> bool:
    """Has the person's period passed since their last digest?"""
    frequency = pref.frequency if pref else DEFAULT_FREQUENCY
    if frequency not in PERIODS:
        return False
    last = as_utc(pref.last_sent_at) if pref else None
    # a little slack, so a daily cron job at a fixed hour does not skip every other day
    return last is None or now - last >= PERIODS[frequency] - timedelta(minutes=30)


def pending_items(user) -> list[Notification]:
    query = visible_notifications_query(user).where(Notification.read_at.is_(None),
                                                    Notification.emailed_at.is_(None))
    return list(db.session.scalars(query.order_by(Notification.created_at).limit(MAX_ITEMS)))


def build_message(user, items: list[Notification], sender: str) -> EmailMessage:
    """The digest for one person, in their language."""
    site = branding()["site_name"]
    base = current_app.config.get("WILMA_BASE_URL") or ""
    with force_locale(user.locale or current_app.config["WILMA_DEFAULT_LOCALE"]):
        message = EmailMessage()
        message["Subject"] = ngettext("%(num)d new notification on %(site)s",
                                      "%(num)d new notifications on %(site)s", len(items), site=site)
        message["From"] = sender
        message["To"] = user.email
        lines = [_("Hello %(name)s,", name=user.display_name), "",
                 _("this happened since your last summary:"), ""]
        for item in items:
            lines.append(f"- {describe(item)}")
            if item.url:
                lines.append(f"  {base.rstrip('/')}{item.url}")
        lines += ["", _("You can change how often you get this e-mail in your notification settings.")]
    message.set_content("\n".join(lines))
    return message


def send_digest(now=None, echo=logger.info) -> int:
    """Send every due digest; returns how many messages went out."""
    config = current_app.config
    if not config.get("WILMA_MAIL_SERVER") or not config.get("WILMA_MAIL_FROM"):
        raise MailNotConfigured("Set WILMA_MAIL_SERVER and WILMA_MAIL_FROM to send digests.")
    now = now or utcnow()
    sent = 0
    people = db.session.scalars(select(User).where(User.active.is_(True), User.email.is_not(None))
                                .order_by(User.id)).all()
    with smtplib.SMTP(config["WILMA_MAIL_SERVER"], int(config.get("WILMA_MAIL_PORT") or 25), timeout=30) as smtp:
        for user in people:
            pref = db.session.get(DigestPreference, user.id)
            if not is_due(pref, now):
                continue
            items = pending_items(user)
            if not items:
                continue
            smtp.send_message(build_message(user, items, config["WILMA_MAIL_FROM"]))
            for item in items:
                item.emailed_at = now
            if pref is None:
                pref = DigestPreference(user_id=user.id, frequency=DEFAULT_FREQUENCY)
                db.session.add(pref)
            pref.last_sent_at = now
            commit()
            sent += 1
            echo(f"Digest with {len(items)} notification(s) sent to {user.username}.")
    return sent
