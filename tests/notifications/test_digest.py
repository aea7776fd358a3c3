"""The e-mail digest against a real SMTP server on 127.0.0.1 (aiosmtpd), started by the test."""

import email
import socket
from datetime import timedelta
from email import policy

import pytest
from aiosmtpd.controller import Controller

from wilma.core.database import commit
from wilma.core.models import utcnow
from wilma.extensions import db
from wilma.notifications import services
from wilma.notifications.models import DigestPreference


class Inbox:
    """aiosmtpd handler keeping every received message."""

    def __init__(self):
        self.messages = []

    async def handle_DATA(self, server, session, envelope):  # noqa: N802 - aiosmtpd's name
        message = email.message_from_bytes(envelope.content, policy=policy.default)
        self.messages.append((envelope.rcpt_tos, message))
        return "250 OK"


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


@pytest.fixture
def smtp(app):
    inbox = Inbox()
    controller = Controller(inbox, hostname="127.0.0.1", port=_free_port())
    controller.start()
    app.config.update(WILMA_MAIL_SERVER="127.0.0.1", WILMA_MAIL_PORT=controller.port,
                      WILMA_MAIL_FROM="wilma@stadt.example")
    yield inbox
    controller.stop()


def _like(world, liker, post_id=9):
    services.notify(recipients=[world.people["member"]], kind="like", actor=world.people[liker],
                    subject_type="post", subject_id=post_id, text="Radweg", url=f"/posts/{post_id}",
                    group_by_subject=True)
    commit()


def test_digest_sends_unread_notifications_once(app, world, runner, smtp):
    app.config["WILMA_BASE_URL"] = "https://wilma.stadt.example/"
    for liker in ("owner", "moderator", "other"):
        _like(world, liker)
    services.notify(recipients=[world.people["member"]], kind="mention", actor=world.people["owner"],
                    subject_type="post", subject_id=2, text="Treffen", group_id=world.groups["private"].id)
    services.notify(recipients=[world.people["other"]], kind="mention", actor=world.people["owner"],
                    subject_type="post", subject_id=3, text="Schon gelesen")
    commit()
    services.mark_read(world.people["other"])

    result = runner.invoke(args=["wilma", "notifications", "send-digest"])
    assert result.exit_code == 0, result.output
    assert "1 digest(s) sent." in result.output
    assert len(smtp.messages) == 1
    recipients, message = smtp.messages[0]
    assert recipients == ["member@example.org"]
    assert message["From"] == "wilma@stadt.example"
    assert message["Subject"] == "2 new notifications on WILMA"
    body = message.get_content()
    assert "Owner Person mentioned you: Treffen" in body
    assert "Other Person and 2 others liked your post: Radweg" in body
    assert "https://wilma.stadt.example/posts/9" in body

    again = runner.invoke(args=["wilma", "notifications", "send-digest"])
    assert "0 digest(s) sent." in again.output and len(smtp.messages) == 1


def test_digest_respects_frequency_and_last_sent(world, runner, smtp):
    member = world.people["member"]
    services.save_settings(member, enabled=services.enabled_kinds(member), frequency="weekly")
    pref = db.session.get(DigestPreference, member.id)
    pref.last_sent_at = utcnow() - timedelta(days=3)
    services.save_settings(world.people["other"], enabled=services.enabled_kinds(member), frequency="never")
    commit()
    _like(world, "owner")
    services.notify(recipients=[world.people["other"]], kind="mention", actor=world.people["owner"],
                    subject_type="post", subject_id=3, text="Nie per Mail")
    commit()
    assert "0 digest(s) sent." in runner.invoke(args=["wilma", "notifications", "send-digest"]).output
    pref = db.session.get(DigestPreference, member.id)
    pref.last_sent_at = utcnow() - timedelta(days=8)
    commit()
    assert "1 digest(s) sent." in runner.invoke(args=["wilma", "notifications", "send-digest"]).output
    assert [r for r, _m in smtp.messages] == [["member@example.org"]]


def test_digest_without_mail_configuration_says_so(app, runner):
    result = runner.invoke(args=["wilma", "notifications", "send-digest"])
    assert result.exit_code != 0 and "WILMA_MAIL_SERVER" in result.output

