"""``flask wilma notifications send-digest``: the e-mail digest, meant to run from cron."""

import click
from flask.cli import AppGroup

notifications_cli = AppGroup("notifications", help="Notifications and the e-mail digest.")


@notifications_cli.command("send-digest")
def send_digest_command():
    """Send each person whose daily or weekly digest is due their unread, un-e-mailed notifications."""
    from wilma.notifications.digest import MailNotConfigured, send_digest

    try:
        sent = send_digest(echo=click.echo)
    except MailNotConfigured as err:
        raise click.ClickException(str(err)) from None
    except OSError as err:
        raise click.ClickException(f"The mail server could not be reached: {err}") from None
    click.echo(f"{sent} digest(s) sent.")


commands = [notifications_cli]
