"""``flask wilma regensburg check-directory NAME``: is the directory reachable, and who is NAME?"""

import click
from ldap3.core.exceptions import LDAPException

from plugins.regensburg.ldap import ATTRIBUTES, _first, find_entry


@click.command("check-directory")
@click.argument("username")
def check_directory(username):
    """Look a person up in the directory with the configured settings (no password needed)."""
    try:
        found = find_entry(username.strip().lower())
    except LDAPException as err:
        raise click.ClickException(f"The directory could not be queried: {err}") from None
    if found is None:
        raise click.ClickException(f"No (unique) entry for {username!r} in the directory.")
    dn, attrs = found
    click.echo(f"Found {dn}")
    for key, attribute in ATTRIBUTES.items():
        click.echo(f"  {key:<13} {_first(attrs, attribute)}")
